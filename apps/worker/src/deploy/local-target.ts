import {
  AGENT_SCRIPT,
  agentCommand,
  localTargetAgentPaths,
  type TAgentStatus,
} from '@elasticdash/pg-knowledge/deploy/agent';
import type { TDesiredConfig } from '@elasticdash/pg-knowledge/deploy/desired-config';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/*
 * The local deploy target: a real PostgreSQL cluster on this machine, made with initdb and run with
 * pg_ctl as the `postgres` OS user (this worker runs as root), configured by the same agent script
 * the AWS instances run (pg-knowledge/deploy/agent.ts). Layout per deployment:
 *
 *   <DEPLOY_LOCAL_ROOT>/<deploymentId>/        root 0711 (postgres may traverse, not list)
 *     data/                                    postgres 0700, the cluster (initdb)
 *     run/                                     postgres 0700, unix socket + server.log
 *     agent/                                   root 0700: agent.sh, desired.json, status.json,
 *                                              admin-password (a SCRAM verifier, deleted by the agent)
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class LocalTargetError extends Error {
  override readonly name = 'LocalTargetError';
}

export interface LocalPaths {
  dir: string;
  dataDir: string;
  runDir: string;
  agentDir: string;
  serverLog: string;
  passwordFile: string;
  statusFile: string;
}

export interface LocalTargetOptions {
  root: string;
  portRange: { first: number; last: number };
  listenAddresses: string[];
  /** '' = detect. */
  binDir: string;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  return new Promise<RunResult>((resolve) => {
    execFile(
      file,
      args,
      {
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 4 * 1024 * 1024,
        // Children never see this process's environment (it holds the secrets master key).
        env: options.env ?? { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr || (error && !stderr ? error.message : '') });
      },
    );
  });
}

function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join(' | ').slice(0, 600);
}

/** `PG_BIN_DIR`, else `pg_config --bindir`, else the highest /usr/lib/postgresql/N/bin with initdb. */
export function detectPgBinDir(configured: string): string {
  if (configured) {
    if (!existsSync(path.join(configured, 'initdb')))
      throw new LocalTargetError(`PG_BIN_DIR ${configured} has no initdb`);
    return configured;
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (dir && existsSync(path.join(dir, 'initdb'))) return dir;
  } catch {
    // no pg_config
  }
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((name) => /^\d+$/.test(name) && existsSync(path.join(base, name, 'bin', 'initdb')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  if (majors[0] === undefined) {
    throw new LocalTargetError('no PostgreSQL binaries found (set PG_BIN_DIR or install postgresql)');
  }
  return path.join(base, String(majors[0]), 'bin');
}

export class LocalTarget {
  private binDirCache: string | null = null;
  private majorCache: number | null = null;
  private postgresIds: { uid: number; gid: number } | null = null;

  constructor(private readonly options: LocalTargetOptions) {}

  get binDir(): string {
    this.binDirCache ??= detectPgBinDir(this.options.binDir);
    return this.binDirCache;
  }

  get listenAddresses(): string[] {
    return this.options.listenAddresses;
  }

  /** Major version of the binaries (`postgres -V`). */
  async majorVersion(): Promise<number> {
    if (this.majorCache !== null) return this.majorCache;
    const r = await run(path.join(this.binDir, 'postgres'), ['-V']);
    const match = /\(PostgreSQL\) (\d+)/.exec(r.stdout);
    if (!match) throw new LocalTargetError(`cannot read the PostgreSQL version: ${lastLines(r.stdout + r.stderr)}`);
    this.majorCache = Number(match[1]);
    return this.majorCache;
  }

  paths(deploymentId: string): LocalPaths {
    if (!UUID.test(deploymentId)) throw new LocalTargetError(`not a deployment id: ${deploymentId}`);
    const dir = path.join(this.options.root, deploymentId.toLowerCase());
    return {
      dir,
      dataDir: path.join(dir, 'data'),
      runDir: path.join(dir, 'run'),
      agentDir: path.join(dir, 'agent'),
      serverLog: path.join(dir, 'run', 'server.log'),
      passwordFile: path.join(dir, 'agent', 'admin-password'),
      statusFile: path.join(dir, 'agent', 'status.json'),
    };
  }

  private async ids(): Promise<{ uid: number; gid: number }> {
    if (this.postgresIds) return this.postgresIds;
    const uid = await run('id', ['-u', 'postgres']);
    const gid = await run('id', ['-g', 'postgres']);
    if (uid.code !== 0 || gid.code !== 0) throw new LocalTargetError('there is no "postgres" OS user on this machine');
    this.postgresIds = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    return this.postgresIds;
  }

  private asPostgres(command: string, args: string[], timeoutMs?: number): Promise<RunResult> {
    return run('runuser', ['-u', 'postgres', '--', path.join(this.binDir, command), ...args], { timeoutMs });
  }

  /** Creates the root and the deployment's directories (idempotent). */
  async prepareDirs(p: LocalPaths): Promise<void> {
    const { uid, gid } = await this.ids();
    await mkdir(this.options.root, { recursive: true });
    // Traversable by postgres (the cluster lives below), not listable.
    await chmod(this.options.root, 0o711);
    await mkdir(p.dir, { recursive: true, mode: 0o711 });
    await chmod(p.dir, 0o711);
    await mkdir(p.runDir, { recursive: true, mode: 0o700 });
    await chown(p.runDir, uid, gid);
    await mkdir(p.agentDir, { recursive: true, mode: 0o700 });
    await chmod(p.agentDir, 0o700);
  }

  async portIsFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
    });
  }

  /** A free port of the range: not held by another deployment, nothing listening. Starts at a random offset. */
  async pickPort(inUse: Set<number>): Promise<number> {
    const { first, last } = this.options.portRange;
    const size = last - first + 1;
    const offset = Math.floor(Math.random() * size);
    for (let i = 0; i < size; i++) {
      const port = first + ((offset + i) % size);
      if (inUse.has(port)) continue;
      if (await this.portIsFree(port)) return port;
    }
    throw new LocalTargetError(`no free port in DEPLOY_LOCAL_PORT_RANGE ${first}-${last}`);
  }

  async hasCluster(p: LocalPaths): Promise<boolean> {
    return existsSync(path.join(p.dataDir, 'PG_VERSION'));
  }

  /** initdb as postgres (scram-sha-256 for TCP, peer on the socket); a half-made data dir is removed first. */
  async initdb(p: LocalPaths, port: number): Promise<void> {
    await rm(p.dataDir, { recursive: true, force: true });
    // initdb (as postgres) cannot create it inside the root-owned deployment directory.
    const { uid, gid } = await this.ids();
    await mkdir(p.dataDir, { mode: 0o700 });
    await chown(p.dataDir, uid, gid);
    const r = await this.asPostgres(
      'initdb',
      [
        '-D',
        p.dataDir,
        '-U',
        'postgres',
        '--auth-local=peer',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--no-instructions',
      ],
      120_000,
    );
    if (r.code !== 0) throw new LocalTargetError(`initdb failed: ${lastLines(r.stderr || r.stdout)}`);
    const conf = path.join(p.dataDir, 'postgresql.conf');
    // Where the server listens until the agent's include file takes over (it sets port and listen_addresses too).
    await writeFile(
      conf,
      `${await readFile(conf, 'utf8')}\n# elasticdash local target\nport = ${port}\nunix_socket_directories = '${p.runDir}'\nlisten_addresses = '127.0.0.1'\n`,
    );
  }

  async isRunning(p: LocalPaths): Promise<boolean> {
    if (!(await this.hasCluster(p))) return false;
    const r = await this.asPostgres('pg_ctl', ['-D', p.dataDir, 'status'], 10_000);
    return r.code === 0;
  }

  async start(p: LocalPaths): Promise<void> {
    const r = await this.asPostgres('pg_ctl', ['-D', p.dataDir, '-l', p.serverLog, '-w', '-t', '60', 'start'], 90_000);
    if (r.code !== 0) {
      const log = await readFile(p.serverLog, 'utf8').catch(() => '');
      throw new LocalTargetError(`PostgreSQL did not start: ${lastLines(log || r.stderr || r.stdout)}`);
    }
  }

  /** Fast shutdown, then immediate when it does not stop within 15 s. */
  async stop(p: LocalPaths): Promise<void> {
    const fast = await this.asPostgres('pg_ctl', ['-D', p.dataDir, '-m', 'fast', '-w', '-t', '15', 'stop'], 30_000);
    if (fast.code === 0 || !(await this.isRunning(p))) return;
    const immediate = await this.asPostgres(
      'pg_ctl',
      ['-D', p.dataDir, '-m', 'immediate', '-w', '-t', '15', 'stop'],
      30_000,
    );
    if (immediate.code !== 0 && (await this.isRunning(p))) {
      throw new LocalTargetError(`PostgreSQL did not stop: ${lastLines(immediate.stderr || immediate.stdout)}`);
    }
  }

  async remove(p: LocalPaths): Promise<void> {
    await rm(p.dir, { recursive: true, force: true });
  }

  /**
   * Writes the agent script, the desired config and the admin password verifier (0600, root), runs
   * the agent and returns its status. The verifier file is deleted by the agent (and here, whatever happens).
   */
  async applyDesired(p: LocalPaths, desired: TDesiredConfig, verifier: string | null): Promise<TAgentStatus> {
    const script = path.join(p.agentDir, 'agent.sh');
    const current = await readFile(script, 'utf8').catch(() => '');
    if (current !== AGENT_SCRIPT) {
      await writeFile(`${script}.tmp`, AGENT_SCRIPT, { mode: 0o700 });
      await rename(`${script}.tmp`, script);
    }
    const desiredFile = path.join(p.agentDir, 'desired.json');
    await writeFile(`${desiredFile}.tmp`, JSON.stringify(desired, null, 2), { mode: 0o600 });
    await rename(`${desiredFile}.tmp`, desiredFile);
    try {
      if (verifier) await writeFile(p.passwordFile, verifier, { mode: 0o600 });
      const command = agentCommand(
        localTargetAgentPaths({
          workDir: p.agentDir,
          dataDir: p.dataDir,
          socketDir: p.runDir,
          port: desired.postgres.port,
          binDir: this.binDir,
          serverLog: p.serverLog,
          ...(verifier ? { adminPasswordFile: p.passwordFile } : {}),
        }),
      );
      const [file, ...args] = command.argv;
      const r = await run(file ?? '/bin/bash', args, {
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...command.env },
        timeoutMs: 180_000,
      });
      let status: TAgentStatus | null = null;
      try {
        status = JSON.parse(await readFile(p.statusFile, 'utf8')) as TAgentStatus;
      } catch {
        status = null;
      }
      if (!status || status.desiredVersion !== desired.version) {
        throw new LocalTargetError(`the agent wrote no status for version ${desired.version}: ${lastLines(r.stderr)}`);
      }
      return status;
    } finally {
      await rm(p.passwordFile, { force: true });
    }
  }

  /** Used percentage of the filesystem holding the data directory (like df: used / (used + available)). */
  async diskUsedPercent(p: LocalPaths): Promise<number | null> {
    try {
      await stat(p.dataDir);
      const s = await statfs(p.dataDir);
      const used = s.blocks - s.bfree;
      const total = used + s.bavail;
      return total > 0 ? Math.round((used / total) * 1000) / 10 : null;
    } catch {
      return null;
    }
  }
}

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../../tests/support/ports.js';

/**
 * A throw-away PostgreSQL cluster for what the shared test server cannot show: it trusts
 * every loopback connection and has no SSL. This one requires SCRAM passwords and serves TLS
 * with a certificate for `localhost` signed by a test CA, so wrong passwords, CA checks and
 * host-name checks are real. Needs the PostgreSQL server binaries (initdb, pg_ctl) and
 * openssl; `startTempPostgres` answers null with the reason when they are missing.
 */
export interface TempPostgres {
  host: '127.0.0.1';
  port: number;
  /** PEM of the CA that signed the server certificate. */
  caCert: string;
  /** PEM of a CA that signed nothing here. */
  otherCaCert: string;
  /** Runs SQL as the superuser (in `database`, default postgres). */
  admin(sql: string, database?: string): Promise<unknown[]>;
  stop(): Promise<void>;
}

function findBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0) candidates.push(fromConfig.stdout.trim());
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // not a Debian/Ubuntu layout
  }
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** A CA and a server certificate for DNS:localhost signed by it; plus an unrelated CA. */
function makeCertificates(dir: string): void {
  const subject = (cn: string) => ['-subj', `/CN=${cn}`];
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      ...subject('ElasticDash Test CA'),
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      'other-ca.key',
      '-out',
      'other-ca.crt',
      ...subject('Unrelated CA'),
    ],
    dir,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', ...subject('localhost')],
    dir,
  );
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      'server.crt',
      '-extfile',
      'san.ext',
    ],
    dir,
  );
  chmodSync(path.join(dir, 'server.key'), 0o600);
}

export async function startTempPostgres(): Promise<TempPostgres | string> {
  const bin = findBinDir();
  if (!bin) return 'PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BINDIR';
  if (spawnSync('openssl', ['version']).status !== 0) return 'openssl not found';
  // initdb refuses to run as root: run the cluster as the `postgres` user then.
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return 'running as root without a postgres user for initdb';
    owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };

  const dir = mkdtempSync(path.join(tmpdir(), 'ed-pg-'));
  const data = path.join(dir, 'data');
  const superPassword = randomBytes(16).toString('hex');
  const port = await freePort();
  try {
    makeCertificates(dir);
    writeFileSync(path.join(dir, 'pw'), `${superPassword}\n`);
    if (owner) {
      for (const file of ['', 'pw', 'server.key', 'server.crt']) chownSync(path.join(dir, file), owner.uid, owner.gid);
    }
    run(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--pwfile',
      path.join(dir, 'pw'),
      '-A',
      'scram-sha-256',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    writeFileSync(
      path.join(data, 'pg_hba.conf'),
      [
        'local all all scram-sha-256',
        // `ssl_only` may only connect over TLS.
        'hostnossl all ssl_only 127.0.0.1/32 reject',
        'host all all 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    );
    if (owner) chownSync(path.join(data, 'pg_hba.conf'), owner.uid, owner.gid);
    const options = [
      `-p ${port}`,
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories=${dir}`,
      '-c ssl=on',
      `-c ssl_cert_file=${path.join(dir, 'server.crt')}`,
      `-c ssl_key_file=${path.join(dir, 'server.key')}`,
      '-c fsync=off',
      '-c max_connections=50',
    ].join(' ');
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-o',
      options,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `could not start a temporary PostgreSQL: ${(error as Error).message}`;
  }

  return {
    host: '127.0.0.1',
    port,
    caCert: readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    otherCaCert: readFileSync(path.join(dir, 'other-ca.crt'), 'utf8'),
    async admin(sql: string, database = 'postgres') {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: superPassword, database });
      await client.connect();
      try {
        const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
        return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

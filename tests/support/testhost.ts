/*
 * Cloud-fidelity test host (infra/testhost, docs/cloud-fidelity.md): a Debian 12 system with
 * systemd as PID 1 and real cloud-init, booted from a NoCloud seed holding the exact user data the
 * AWS driver passes to RunInstances, in its own network namespace (guest 10.213.N.2, host side
 * 10.213.N.1). Everything runs through the scripts in infra/testhost; this file only drives them.
 *
 * Every call is asynchronous on purpose: the local S3 server the guest talks to runs in the test
 * process, so blocking the event loop (spawnSync) would stall the guest's S3 requests.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KIT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../infra/testhost');

export interface TExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell), resolving with its exit code and output; never rejects on a non-zero exit. */
export function run(
  file: string,
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
): Promise<TExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a program that does not read its input
      child.stdin.end(opts.input);
    }
  });
}

/** Why the kit cannot run on this machine, or null when it can (root, tools, loop devices). */
export async function testHostProblem(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'the test host needs root (namespaces, loop devices, veth pairs)';
  if (!existsSync('/dev/loop-control')) return 'this kernel offers no loop devices (/dev/loop-control)';
  for (const tool of ['debootstrap', 'unshare', 'nsenter', 'ip', 'losetup', 'mkfs.ext4', 'openssl']) {
    const r = await run('sh', ['-c', `command -v ${tool}`]);
    if (r.code !== 0) {
      return tool === 'debootstrap'
        ? 'debootstrap is not installed (apt-get install -y debootstrap)'
        : `${tool} is not installed`;
    }
  }
  return null;
}

/**
 * Builds (first time, ~2 min) or finds the cached Debian 12 root; returns the tarball path.
 * Throws with the script's reason when it cannot (no mirror, no root, no debootstrap).
 */
export async function buildTestHostRoot(): Promise<string> {
  const r = await run(path.join(KIT, 'build-root.sh'), [], { timeoutMs: 900_000 });
  if (r.code !== 0)
    throw new Error(`the test host root could not be built: ${r.stderr.trim().split('\n').slice(-8).join('\n')}`);
  return r.stdout.trim().split('\n').pop() ?? '';
}

export interface TTestHostOptions {
  /** [a-z0-9-], unique among running hosts. */
  name: string;
  /** 1-250: the host is 10.213.<index>.2, the host side 10.213.<index>.1. One per concurrent host. */
  index: number;
  /** The user data exactly as EC2 hands it to cloud-init (RunInstances' UserData, base64-decoded). */
  userData: Buffer;
  /** AWS region the user data uses (S3 host names). */
  region: string;
  /** host:port of the local S3 server, reached by the guest as https://<bucket>.s3.<region>.amazonaws.com. */
  s3Target?: string;
  /** Buckets the guest must resolve (state bucket, backup bucket). */
  buckets?: string[];
  dataGiB?: number;
}

export interface TCloudInitResult {
  status: string;
  /** `cloud-init status --long` output. */
  long: string;
  /** Seconds from up.sh's return to cloud-init's end. */
  seconds: number;
}

export interface TTestHost {
  name: string;
  /** PID of the host's systemd (PID 1 inside). */
  pid: number;
  /** The guest's address (eth0). */
  address: string;
  /** The host side of the veth: where the test's connections come from. */
  hostAddress: string;
  instanceId: string;
  runDir: string;
  /** Runs a command inside the guest (all its namespaces and root), like ssh. */
  exec(args: string[], opts?: { timeoutMs?: number; input?: string }): Promise<TExecResult>;
  /** Reads a file of the guest through /proc/<pid>/root (absolute symlinks inside resolve on the host: avoid them). */
  readFile(file: string): string;
  readBytes(file: string): Buffer;
  /** Waits until cloud-init reports done / error / degraded (`cloud-init status --wait`). */
  waitForCloudInit(timeoutMs: number): Promise<TCloudInitResult>;
  /**
   * A second network namespace attached to the guest through its own veth pair (guest side
   * 10.215.<index>.1, peer 10.215.<index>.2): a source that is not in the allowed CIDRs. Runs a
   * program there.
   */
  execFromOtherSource(
    args: string[],
    opts?: { env?: Record<string, string>; timeoutMs?: number },
  ): Promise<TExecResult>;
  otherSourceAddress: string;
  /** SIGKILL to PID 1, veth/netns, loop devices and the unpacked root removed. Safe to call twice. */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

/** Boots a test host (root built first if needed) and returns once its systemd runs. */
export async function startTestHost(o: TTestHostOptions): Promise<TTestHost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ed-testhost-'));
  const userDataFile = path.join(dir, 'user-data');
  writeFileSync(userDataFile, o.userData, { mode: 0o600 });
  const env: Record<string, string> = {
    TESTHOST_REGION: o.region,
    TESTHOST_BUCKETS: (o.buckets ?? []).join(' '),
    TESTHOST_DATA_GIB: String(o.dataGiB ?? 2),
    TESTHOST_NODE: process.execPath,
  };
  if (o.s3Target) env.TESTHOST_S3_TARGET = o.s3Target;
  const up = await run(path.join(KIT, 'up.sh'), [o.name, String(o.index), userDataFile], { env, timeoutMs: 900_000 });
  rmSync(dir, { recursive: true, force: true });
  if (up.code !== 0) {
    await run(path.join(KIT, 'down.sh'), [o.name]);
    throw new Error(
      `the test host did not boot (up.sh exit ${up.code}): ${up.stderr.trim().split('\n').slice(-10).join('\n')}`,
    );
  }
  const kv = keyValues(up.stdout);
  const pid = Number(kv.PID);
  const bootedAt = Date.now();
  const peerNs = `edth-${o.name}-x`;
  const peerLink = `edthx${o.index}`;
  let peerReady = false;
  const exec = (args: string[], opts: { timeoutMs?: number; input?: string } = {}) =>
    run(path.join(KIT, 'exec.sh'), [o.name, ...args], opts);

  const host: TTestHost = {
    name: o.name,
    pid,
    address: kv.ADDRESS ?? '',
    hostAddress: kv.HOST_ADDRESS ?? '',
    instanceId: kv.INSTANCE_ID ?? '',
    runDir: kv.RUN_DIR ?? '',
    otherSourceAddress: `10.215.${o.index}.2`,
    exec,
    readFile: (file) => readFileSync(path.join(`/proc/${pid}/root`, file), 'utf8'),
    readBytes: (file) => readFileSync(path.join(`/proc/${pid}/root`, file)),
    async waitForCloudInit(timeoutMs) {
      const r = await exec(['cloud-init', 'status', '--wait'], { timeoutMs });
      const long = await exec(['cloud-init', 'status', '--long']);
      const status = /^status: (\S+)/m.exec(long.stdout)?.[1] ?? (r.code === 137 ? 'timeout' : 'unknown');
      return { status, long: long.stdout + long.stderr, seconds: Math.round((Date.now() - bootedAt) / 1000) };
    },
    async execFromOtherSource(args, opts = {}) {
      if (!peerReady) {
        const steps = [
          ['netns', 'add', peerNs],
          ['link', 'add', peerLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peerNs],
          ['link', 'set', peerLink, 'netns', `/proc/${pid}/ns/net`],
          ['-n', peerNs, 'addr', 'add', `10.215.${o.index}.2/24`, 'dev', 'eth0'],
          ['-n', peerNs, 'link', 'set', 'eth0', 'up'],
          ['-n', peerNs, 'link', 'set', 'lo', 'up'],
        ];
        for (const step of steps) {
          const r = await run('ip', step);
          if (r.code !== 0) throw new Error(`ip ${step.join(' ')}: ${r.stderr}`);
        }
        // The guest's end of the second link (what a second ENI would be).
        for (const step of [
          ['addr', 'add', `10.215.${o.index}.1/24`, 'dev', peerLink],
          ['link', 'set', peerLink, 'up'],
        ]) {
          const r = await run('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', ...step]);
          if (r.code !== 0) throw new Error(`guest ip ${step.join(' ')}: ${r.stderr}`);
        }
        peerReady = true;
      }
      return run('ip', ['netns', 'exec', peerNs, ...args], opts);
    },
    async stop(opts = {}) {
      await run('ip', ['netns', 'del', peerNs]);
      await run(path.join(KIT, 'down.sh'), opts.keep ? [o.name, '--keep'] : [o.name], { timeoutMs: 120_000 });
    },
  };
  return host;
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './env-file.js';

export interface RunningService {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (JSON log lines). */
  logs(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartServiceOptions {
  app: string;
  env: Record<string, string>;
  /** The env var name carrying the port (e.g. SVC_AUTH_PORT) and its value. */
  portVar?: string;
  port: number;
  /** Run `dist/migrate.js` first (default: when the app has one). */
  migrate?: boolean;
  /** Wait for /health/ready instead of /health/live. */
  waitForReady?: boolean;
}

const PORT_VARS: Record<string, string> = {
  gateway: 'GATEWAY_PORT',
  'svc-auth': 'SVC_AUTH_PORT',
  'svc-tenants': 'SVC_TENANTS_PORT',
  'svc-connections': 'SVC_CONNECTIONS_PORT',
  'svc-plans': 'SVC_PLANS_PORT',
  'svc-datasets': 'SVC_DATASETS_PORT',
  'svc-realtime': 'SVC_REALTIME_PORT',
  'svc-deployer': 'SVC_DEPLOYER_PORT',
  worker: 'WORKER_PORT',
};

/** Spawns a built app (`node apps/<app>/dist/main.js`) and waits until it answers health checks. */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const appDir = path.join(repoRoot, 'apps', options.app);
  const portVar = options.portVar ?? PORT_VARS[options.app] ?? 'PORT';
  const env = {
    ...process.env,
    // The SDK's notice that releases after January 2027 need Node 22 (we pin below them).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.env,
    [portVar]: String(options.port),
  };
  if (options.migrate ?? options.app.startsWith('svc-')) {
    // Asynchronous on purpose: a test may run a TCP proxy in this process that the migration goes through.
    const migration = spawn(process.execPath, [path.join(appDir, 'dist', 'migrate.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let migrationOutput = '';
    migration.stdout.on('data', (chunk: Buffer) => (migrationOutput += chunk.toString()));
    migration.stderr.on('data', (chunk: Buffer) => (migrationOutput += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => migration.once('exit', resolve));
    if (code !== 0) throw new Error(`${options.app} migrate failed:\n${migrationOutput}`);
  }
  const child = spawn(process.execPath, [path.join(appDir, 'dist', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const healthPath = options.waitForReady ? '/health/ready' : '/health/live';
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.app} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(url + healthPath);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.app} did not become healthy within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port: options.port,
    process: child,
    logs: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

// Starts the whole platform as child processes: used by `npm start` and by the e2e tests.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from './pnpm.mjs';
import { startLocalS3 } from './s3-local.mjs';

/** Every app with the env var holding its port. Order matters: services before the gateway, web last. */
export const APPS = [
  { name: 'svc-auth', portVar: 'SVC_AUTH_PORT', migrate: true },
  { name: 'svc-tenants', portVar: 'SVC_TENANTS_PORT', migrate: true },
  { name: 'svc-connections', portVar: 'SVC_CONNECTIONS_PORT', migrate: true },
  { name: 'svc-datasets', portVar: 'SVC_DATASETS_PORT', migrate: true },
  { name: 'svc-plans', portVar: 'SVC_PLANS_PORT', migrate: true },
  { name: 'svc-deployer', portVar: 'SVC_DEPLOYER_PORT', migrate: true },
  { name: 'svc-realtime', portVar: 'SVC_REALTIME_PORT', migrate: false },
  { name: 'worker', portVar: 'WORKER_PORT', migrate: false },
  { name: 'gateway', portVar: 'GATEWAY_PORT', migrate: false },
  { name: 'web', portVar: 'WEB_PORT', migrate: false, web: true },
];

function tcpReachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Fails with instructions when PostgreSQL or Redis cannot be reached. */
export async function checkInfrastructure(env) {
  const missing = [];
  const db = new URL(env.DATABASE_URL);
  const redis = new URL(env.REDIS_URL);
  if (!(await tcpReachable(db.hostname, db.port || 5432)))
    missing.push(`PostgreSQL at ${db.hostname}:${db.port || 5432} (DATABASE_URL)`);
  if (!(await tcpReachable(redis.hostname, redis.port || 6379)))
    missing.push(`Redis at ${redis.hostname}:${redis.port || 6379} (REDIS_URL)`);
  if (missing.length === 0) return;
  throw new Error(
    [
      `Cannot reach ${missing.join(' and ')}.`,
      'Start them with one of:',
      '  • docker compose up -d postgres redis          (uses docker-compose.yaml)',
      '  • sudo apt-get install -y postgresql redis-server && sudo service postgresql start && sudo service redis-server start',
      'or point DATABASE_URL / REDIS_URL in .env at running servers.',
    ].join('\n'),
  );
}

/** Creates the database named in DATABASE_URL when it does not exist (optionally from scratch). */
export async function ensureDatabase(databaseUrl, { recreate = false } = {}) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    if (recreate) await client.query(`drop database if exists ${quoted} with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) await client.query(`create database ${quoted}`);
  } finally {
    await client.end();
  }
}

/**
 * With S3_LOCAL=true, runs the local S3-compatible server on S3_ENDPOINT's port, keeping objects
 * in `directory`, with the bucket and browser CORS for `WEB_ORIGINS`. Returns a stop function.
 */
export async function startLocalS3IfConfigured(env, directory) {
  if (env.S3_LOCAL !== 'true') return async () => undefined;
  const endpoint = new URL(env.S3_ENDPOINT);
  const origins = (env.WEB_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (await tcpReachable(endpoint.hostname, endpoint.port)) {
    throw new Error(`S3_LOCAL=true but ${endpoint.host} is already in use (another ElasticDash running?)`);
  }
  const server = await startLocalS3({
    address: endpoint.hostname,
    port: Number(endpoint.port),
    directory,
    bucket: env.S3_BUCKET,
    origins,
  });
  return server.stop;
}

/**
 * With DEPLOY_AWS_EMULATOR_URL on loopback, runs the EC2 emulator of the test hosts there
 * (infra/testhost/ec2-emulator.mjs, docs/cloud-fidelity.md; needs root), its hosts reaching the
 * local S3 server. Returns a stop function, which also tears down every host it booted.
 */
export async function startEc2EmulatorIfConfigured(env) {
  if (!env.DEPLOY_AWS_EMULATOR_URL) return async () => undefined;
  const url = new URL(env.DEPLOY_AWS_EMULATOR_URL);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) return async () => undefined; // runs elsewhere
  if (!env.S3_ENDPOINT) throw new Error('DEPLOY_AWS_EMULATOR_URL needs the local S3 server: set S3_ENDPOINT');
  if (process.getuid?.() !== 0) throw new Error('DEPLOY_AWS_EMULATOR_URL: the test hosts need root');
  const { startEc2Emulator } = await import('../../infra/testhost/ec2-emulator.mjs');
  const s3 = new URL(env.S3_ENDPOINT);
  const emulator = await startEc2Emulator({
    host: url.hostname,
    port: Number(url.port || 80),
    s3Target: `${s3.hostname}:${s3.port || 80}`,
  });
  return () => emulator.close();
}

export function migrateAll(env) {
  for (const app of APPS.filter((candidate) => candidate.migrate)) {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'apps', app.name, 'dist', 'migrate.js')], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`${app.name} migrations failed:\n${result.stdout}${result.stderr}`);
  }
}

function commandFor(app, env) {
  if (app.web) {
    const next = path.join(repoRoot, 'apps', 'web', 'node_modules', 'next', 'dist', 'bin', 'next');
    return [process.execPath, [next, 'start', '--port', env.WEB_PORT, '--hostname', env.HOST ?? '127.0.0.1']];
  }
  return [process.execPath, [path.join(repoRoot, 'apps', app.name, 'dist', 'main.js')]];
}

async function waitHealthy(url, child, name, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts every app. `logDir` set: each app logs to `<logDir>/<app>.log`; otherwise output is
 * printed with an `[app]` prefix. Returns handles and a `stop()` that SIGTERMs them all.
 */
export async function startStack(env, { logDir, apps = APPS.map((app) => app.name), onOutput } = {}) {
  const running = [];
  const stop = async () => {
    await Promise.all(
      running.reverse().map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  if (logDir) mkdirSync(logDir, { recursive: true });
  try {
    for (const app of APPS.filter((candidate) => apps.includes(candidate.name))) {
      const [command, args] = commandFor(app, env);
      const child = spawn(command, args, {
        cwd: path.join(repoRoot, 'apps', app.name),
        env: {
          ...process.env,
          // The SDK's notice that releases after January 2027 need Node 22 (we pin below them; ENVIRONMENT.md).
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...env,
          NEXT_TELEMETRY_DISABLED: '1',
          PORT: env[app.portVar],
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (logDir) {
        const file = createWriteStream(path.join(logDir, `${app.name}.log`), { flags: 'a' });
        child.stdout.pipe(file);
        child.stderr.pipe(file);
      } else {
        const prefix = (chunk) => {
          const text = chunk.toString().replace(/\n$/, '');
          (onOutput ?? ((line) => process.stdout.write(line + '\n')))(
            text
              .split('\n')
              .map((line) => `[${app.name}] ${line}`)
              .join('\n'),
          );
        };
        child.stdout.on('data', prefix);
        child.stderr.on('data', prefix);
      }
      running.push({ name: app.name, child });
      const port = env[app.portVar];
      const healthUrl = app.web ? `http://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/health/live`;
      await waitHealthy(healthUrl, child, app.name, app.web ? 60_000 : 30_000);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { running, stop };
}

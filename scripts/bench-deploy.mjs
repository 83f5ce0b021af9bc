// `pnpm bench:deploy`: plan → running PostgreSQL on the local target, and a parameter re-deploy.
//  1. creates a fresh database with svc-deployer's migrations, a temp DEPLOY_LOCAL_ROOT, and starts
//     the built worker (apps/worker/dist) with its own BullMQ prefix;
//  2. inserts the deployment / sealed admin password / operation rows as svc-deployer does for the
//     example plan (EXAMPLE_CS_JSON sized for this machine: 2 vCPU, 1 GiB) and enqueues plan.deploy;
//     times enqueue → `deployment.status` running (Redis pub/sub) and prints each step's duration
//     (deployment_events);
//  3. re-deploys with a changed work_mem (a reload, no restart) and times it the same way;
//  4. prints both totals with PASS/FAIL against ≤ 8 s and ≤ 3 s, then destroys the deployment.
// Needs: `pnpm build` (worker + svc-deployer dist), Postgres and Redis on loopback, PostgreSQL server
// binaries (initdb, pg_ctl) and root (clusters run as the postgres OS user).
// Env: BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parseEnvFile } from './lib/env-file.mjs';
import { adminQuery, freePort } from './lib/bench-support.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DEPLOY_TARGET_MS = 8_000;
const REDEPLOY_TARGET_MS = 3_000;

const { EXAMPLE_CS_JSON } = await import(path.join(repoRoot, 'packages/contracts/dist/plans/cs-json.js'));
const { DEPLOY_JOB_NAMES, DeployerQueues } = await import(
  path.join(repoRoot, 'packages/contracts/dist/deployer/jobs.js')
);
const { RealtimeRedis } = await import(path.join(repoRoot, 'packages/contracts/dist/realtime/event.js'));
const { sealSecret } = await import(path.join(repoRoot, 'packages/service-kit/dist/secrets/envelope.js'));
const { decodeMasterKey } = await import(path.join(repoRoot, 'packages/service-kit/dist/secrets/keyring.js'));

const databaseName = `ed_bench_deploy_${randomUUID().slice(0, 8)}`;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const cleanups = [];
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function waitHealthy(url, child, logs) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}):\n${logs()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`worker not healthy within 30 s:\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function plan(parameters) {
  const doc = structuredClone(EXAMPLE_CS_JSON);
  const c = doc.components[0];
  c.compute = { vcpu: 2, memoryGiB: 1, architecture: 'x86_64' };
  c.database.maxConnections = 50;
  c.database.parameters = { log_min_duration_statement: '500ms', ...parameters };
  return doc;
}

try {
  if (process.getuid?.() !== 0) throw new Error('run as root: local clusters are run as the postgres OS user');
  const workerMain = path.join(repoRoot, 'apps', 'worker', 'dist', 'main.js');
  const migrateMain = path.join(repoRoot, 'apps', 'svc-deployer', 'dist', 'migrate.js');
  for (const file of [workerMain, migrateMain]) {
    try {
      statSync(file);
    } catch {
      throw new Error(`${path.relative(repoRoot, file)} is missing: build first (pnpm build)`);
    }
  }
  const example = parseEnvFile(path.join(repoRoot, '.env.example'));
  const keyId = example.SECRETS_MASTER_KEY_ID;
  const key = decodeMasterKey(example.SECRETS_MASTER_KEY ?? '');
  if (!key || !keyId) throw new Error('.env.example has no SECRETS_MASTER_KEY / SECRETS_MASTER_KEY_ID');
  const keyring = { currentId: keyId, keys: new Map([[keyId, key]]) };

  await adminQuery(adminUrl, `create database "${databaseName}"`);
  cleanups.push(() => adminQuery(adminUrl, `drop database if exists "${databaseName}" with (force)`));
  const migrate = spawnSync(process.execPath, [migrateMain], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`svc-deployer migrate failed:\n${migrate.stdout}${migrate.stderr}`);

  const root = mkdtempSync(path.join(os.tmpdir(), 'ed-bench-deploy-'));
  chmodSync(root, 0o711);
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));

  const prefix = `ed-bench-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  let workerLogs = '';
  const worker = spawn(process.execPath, [workerMain], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_VERBOSE ? 'debug' : 'info',
      WORKER_PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      BULLMQ_PREFIX: prefix,
      S3_BUCKET: 'unused-by-bench-deploy',
      SECRETS_MASTER_KEY: example.SECRETS_MASTER_KEY,
      SECRETS_MASTER_KEY_ID: keyId,
      DEPLOY_LOCAL_ROOT: root,
      DEPLOY_LOCAL_PORT_RANGE: process.env.DEPLOY_LOCAL_PORT_RANGE ?? '57000-57999',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keepLog = (chunk) => (workerLogs = (workerLogs + chunk.toString()).slice(-20_000));
  worker.stdout.on('data', keepLog);
  worker.stderr.on('data', keepLog);
  cleanups.push(async () => {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
  });
  await waitHealthy(`http://127.0.0.1:${port}/health/live`, worker, () => workerLogs);

  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(DeployerQueues.operations, { connection, prefix });
  const monitorQueue = new Queue(DeployerQueues.monitor, { connection, prefix });
  cleanups.push(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await monitorQueue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await monitorQueue.close();
    connection.disconnect();
  });
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  cleanups.push(() => sql.end());

  const tenantId = randomUUID();
  const subscriber = new Redis(redisUrl);
  cleanups.push(() => subscriber.disconnect());
  const waiters = [];
  await subscriber.subscribe(RealtimeRedis.channel);
  subscriber.on('message', (_channel, message) => {
    let envelope;
    try {
      envelope = JSON.parse(message);
    } catch {
      return;
    }
    if (envelope.tenantId !== tenantId || envelope.event?.type !== 'deployment.status') return;
    for (const waiter of waiters) waiter(envelope.event);
  });
  const statusEvent = (accept) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching deployment.status within 60 s\n${workerLogs}`)),
        60_000,
      );
      waiters.push((event) => {
        if (event.state === 'failed') {
          clearTimeout(timer);
          reject(new Error(`deployment failed: ${event.reason}`));
        } else if (accept(event)) {
          clearTimeout(timer);
          resolve(event);
        }
      });
    });

  // The deployment row and its sealed admin password, as svc-deployer creates them.
  const secretId = randomUUID();
  const sealed = sealSecret(randomBytes(18).toString('base64url'), { tenantId, secretId }, keyring);
  await sql.query(
    `insert into deployer.secrets (id, tenant_id, master_key_id, wrapped_key, wrap_iv, wrap_tag, iv, ciphertext, auth_tag)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      secretId,
      tenantId,
      sealed.masterKeyId,
      sealed.wrappedKey,
      sealed.wrapIv,
      sealed.wrapTag,
      sealed.iv,
      sealed.ciphertext,
      sealed.authTag,
    ],
  );
  const first = plan({});
  const { rows } = await sql.query(
    `insert into deployer.deployments (tenant_id, plan_id, plan_name, component_id, target, admin_secret_ref)
     values ($1, $2, $3, $4, 'local', $5) returning id`,
    [tenantId, randomUUID(), first.name, first.components[0].id, secretId],
  );
  const deploymentId = rows[0].id;

  async function operate(kind, doc, revision, accept) {
    const operationId = randomUUID();
    await sql.query(
      `insert into deployer.operations (id, tenant_id, deployment_id, kind, plan_revision, document, requested_by, request_id)
       values ($1, $2, $3, $4, $5, $6::jsonb, 'bench', $7)`,
      [operationId, tenantId, deploymentId, kind, revision, doc ? JSON.stringify(doc) : null, `bench-${kind}`],
    );
    const done = statusEvent(accept);
    const started = performance.now();
    await queue.add(
      kind === 'destroy' ? DEPLOY_JOB_NAMES.destroy : DEPLOY_JOB_NAMES.deploy,
      { tenantId, deploymentId, operationId, requestId: `bench-${kind}` },
      { jobId: operationId, attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
    );
    await done;
    const totalMs = performance.now() - started;
    const { rows: steps } = await sql.query(
      `select step, message, duration_ms from deployer.deployment_events
        where operation_id = $1 and kind = 'step' and duration_ms is not null order by id`,
      [operationId],
    );
    return { totalMs, steps };
  }
  const printSteps = (steps) => {
    for (const s of steps) {
      console.log(`    ${s.step.padEnd(14)} ${String(s.duration_ms).padStart(6)} ms  ${s.message.slice(0, 100)}`);
    }
  };

  console.log('[bench:deploy] deploy: plan → running (local target) …');
  const deploy = await operate('deploy', first, 1, (e) => e.state === 'running');
  printSteps(deploy.steps);
  console.log('[bench:deploy] re-deploy: work_mem 4MB → 16MB …');
  const redeploy = await operate('redeploy', plan({ work_mem: '16MB' }), 2, (e) => e.state === 'running');
  printSteps(redeploy.steps);
  console.log('[bench:deploy] destroy …');
  const destroy = await operate('destroy', null, null, (e) => e.state === 'destroyed');
  printSteps(destroy.steps);

  const deployOk = deploy.totalMs <= DEPLOY_TARGET_MS;
  const redeployOk = redeploy.totalMs <= REDEPLOY_TARGET_MS;
  console.log('');
  console.log(
    `[bench:deploy] deploy    (enqueue → running): ${secs(deploy.totalMs)}  target ≤ ${secs(DEPLOY_TARGET_MS)}  ${deployOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `[bench:deploy] re-deploy (work_mem, reload):  ${secs(redeploy.totalMs)}  target ≤ ${secs(REDEPLOY_TARGET_MS)}  ${redeployOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(`[bench:deploy] destroy:                      ${secs(destroy.totalMs)}`);
  process.exitCode = deployOk && redeployOk ? 0 : 1;
} catch (error) {
  console.error(`[bench:deploy] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

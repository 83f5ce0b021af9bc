import { DEPLOY_JOB_NAMES, DeployerQueues, type TDeploymentOperationJob } from '@elasticdash/contracts/deployer/jobs';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { RealtimeRedis, ZRealtimeEnvelope, type TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import { sealSecret } from '@elasticdash/service-kit/secrets/envelope';
import { decodeMasterKey } from '@elasticdash/service-kit/secrets/keyring';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../tests/support/database.js';
import { exampleEnv, repoRoot } from '../../../tests/support/env-file.js';
import { freePort } from '../../../tests/support/ports.js';
import { startService, type RunningService } from '../../../tests/support/service-process.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const CAN_RUN_LOCAL_TARGET =
  process.getuid?.() === 0 &&
  (() => {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

/**
 * One isolated deployer environment per test file: a fresh database with svc-deployer's
 * migrations, a temp DEPLOY_LOCAL_ROOT, its own port range and BullMQ prefix, the built worker,
 * and every realtime envelope published on `ed:events`.
 */
export interface DeployHarness {
  sql: pg.Pool;
  queue: Queue<TDeploymentOperationJob>;
  monitorQueue: Queue;
  prefix: string;
  root: string;
  worker: RunningService;
  events: TRealtimeEnvelope[];
  keyring: { currentId: string; keys: Map<string, Buffer> };
  startWorker(extra?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

export interface DeploymentRef {
  tenantId: string;
  planId: string;
  deploymentId: string;
  secretId: string;
  password: string;
}

export async function migrateDeployer(databaseUrl: string): Promise<void> {
  const script = path.join(repoRoot, 'apps', 'svc-deployer', 'dist', 'migrate.js');
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`svc-deployer migrate failed:\n${output}`);
}

export async function createDeployHarness(
  name: string,
  portRange: string,
  workerEnv: Record<string, string> = {},
): Promise<DeployHarness> {
  const database = await createTestDatabase(name);
  await migrateDeployer(database.url);
  const example = exampleEnv();
  const masterKey = example.SECRETS_MASTER_KEY ?? '';
  const keyId = example.SECRETS_MASTER_KEY_ID ?? 'dev-local-1';
  const key = decodeMasterKey(masterKey);
  if (!key) throw new Error('.env.example has no usable SECRETS_MASTER_KEY');
  const root = mkdtempSync(path.join(os.tmpdir(), `ed-deploy-${name}-`));
  // The postgres OS user must traverse the root to reach each cluster.
  chmodSync(root, 0o711);
  const prefix = `ed-test-${name}-${randomUUID().slice(0, 8)}`;
  const sql = new pg.Pool({ connectionString: database.url, max: 4 });
  // pool.end() resolves while its last sockets still close: the database drop's terminate must
  // not become an uncaught idle-client error.
  sql.on('error', () => undefined);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<TDeploymentOperationJob>(DeployerQueues.operations, { connection, prefix });
  const monitorQueue = new Queue(DeployerQueues.monitor, { connection, prefix });
  const subscriber = new Redis(REDIS_URL);
  const events: TRealtimeEnvelope[] = [];
  await subscriber.subscribe(RealtimeRedis.channel);
  subscriber.on('message', (_channel, message: string) => {
    try {
      const parsed = ZRealtimeEnvelope.safeParse(JSON.parse(message));
      if (parsed.success) events.push(parsed.data);
    } catch {
      // not an envelope
    }
  });
  const start = async (extra: Record<string, string> = {}) =>
    startService({
      app: 'worker',
      portVar: 'WORKER_PORT',
      port: await freePort(),
      migrate: false,
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        REDIS_URL,
        BULLMQ_PREFIX: prefix,
        SECRETS_MASTER_KEY: masterKey,
        SECRETS_MASTER_KEY_ID: keyId,
        DEPLOY_LOCAL_ROOT: root,
        DEPLOY_LOCAL_PORT_RANGE: portRange,
        // Ingest settings (unused here; /health/live does not check S3).
        S3_BUCKET: 'unused-by-deploy-tests',
        ...workerEnv,
        ...extra,
      },
    });
  let worker: RunningService;
  try {
    worker = await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    await queue.close();
    await monitorQueue.close();
    connection.disconnect();
    subscriber.disconnect();
    await sql.end();
    await database.drop();
    throw error;
  }
  const harness: DeployHarness = {
    sql,
    queue,
    monitorQueue,
    prefix,
    root,
    events,
    keyring: { currentId: keyId, keys: new Map([[keyId, key]]) },
    worker,
    startWorker: async (extra) => {
      harness.worker = await start(extra);
      return harness.worker;
    },
    async close() {
      await harness.worker.stop().catch(() => undefined);
      // Whatever a failed test left running.
      for (const entry of existsSync(root) ? readdirSync(root) : []) {
        const data = path.join(root, entry, 'data');
        if (existsSync(path.join(data, 'postmaster.pid'))) stopCluster(data, 'immediate');
      }
      rmSync(root, { recursive: true, force: true });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await monitorQueue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await monitorQueue.close();
      connection.disconnect();
      subscriber.disconnect();
      await sql.end();
      await database.drop();
    },
  };
  return harness;
}

export function pgBin(): string {
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

export function stopCluster(dataDir: string, mode: 'fast' | 'immediate' = 'fast'): void {
  execFileSync(
    'runuser',
    ['-u', 'postgres', '--', path.join(pgBin(), 'pg_ctl'), '-D', dataDir, '-m', mode, '-w', 'stop'],
    {
      stdio: 'ignore',
    },
  );
}

export function startCluster(dataDir: string, log: string): void {
  execFileSync(
    'runuser',
    ['-u', 'postgres', '--', path.join(pgBin(), 'pg_ctl'), '-D', dataDir, '-l', log, '-w', 'start'],
    {
      stdio: 'ignore',
    },
  );
}

/** A plan sized for this machine (1 GiB, 2 vCPU), with the given max_connections and overrides. */
export function localPlan(maxConnections: number, parameters: Record<string, string> = {}): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
  const c = doc.components[0]!;
  c.compute = { vcpu: 2, memoryGiB: 1, architecture: 'x86_64' };
  c.database.maxConnections = maxConnections;
  c.database.parameters = { log_min_duration_statement: '500ms', ...parameters };
  return doc;
}

/** What svc-deployer does on the first deploy request: the deployment row and its sealed admin password. */
/** A secret sealed as svc-deployer seals it, stored in `deployer.secrets` (admin passwords, AWS keys). */
export async function insertSealedSecret(
  sql: pg.Pool,
  keyring: DeployHarness['keyring'],
  secret: { tenantId: string; secretId: string; value: string },
): Promise<void> {
  const sealed = sealSecret(secret.value, { tenantId: secret.tenantId, secretId: secret.secretId }, keyring);
  await sql.query(
    `insert into deployer.secrets (id, tenant_id, master_key_id, wrapped_key, wrap_iv, wrap_tag, iv, ciphertext, auth_tag)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      secret.secretId,
      secret.tenantId,
      sealed.masterKeyId,
      sealed.wrappedKey,
      sealed.wrapIv,
      sealed.wrapTag,
      sealed.iv,
      sealed.ciphertext,
      sealed.authTag,
    ],
  );
}

export async function createDeployment(h: DeployHarness, doc: TCsJsonDocument): Promise<DeploymentRef> {
  const tenantId = randomUUID();
  const planId = randomUUID();
  const secretId = randomUUID();
  const password = randomBytes(18).toString('base64url');
  await insertSealedSecret(h.sql, h.keyring, { tenantId, secretId, value: password });
  const { rows } = await h.sql.query<{ id: string }>(
    `insert into deployer.deployments (tenant_id, plan_id, plan_name, component_id, target, admin_secret_ref)
     values ($1, $2, $3, $4, 'local', $5) returning id`,
    [tenantId, planId, doc.name, doc.components[0]!.id, secretId],
  );
  return { tenantId, planId, deploymentId: rows[0]!.id, secretId, password };
}

/** What svc-deployer does on deploy / re-deploy / destroy: the operation row, then the job (id = operation id). */
export async function enqueueOperation(
  h: DeployHarness,
  ref: DeploymentRef,
  kind: 'deploy' | 'redeploy' | 'destroy',
  doc: TCsJsonDocument | null,
  revision: number | null,
): Promise<string> {
  const operationId = randomUUID();
  const requestId = `req-${operationId.slice(0, 8)}`;
  await h.sql.query(
    `insert into deployer.operations (id, tenant_id, deployment_id, kind, plan_revision, document, requested_by, request_id)
     values ($1, $2, $3, $4, $5, $6::jsonb, 'test', $7)`,
    [operationId, ref.tenantId, ref.deploymentId, kind, revision, doc ? JSON.stringify(doc) : null, requestId],
  );
  await h.queue.add(
    kind === 'destroy' ? DEPLOY_JOB_NAMES.destroy : DEPLOY_JOB_NAMES.deploy,
    { tenantId: ref.tenantId, deploymentId: ref.deploymentId, operationId, requestId },
    { jobId: operationId, attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 },
  );
  return operationId;
}

export interface DeploymentState {
  state: string;
  reason: string | null;
  endpoint: { host: string; port: number; database: string; user: string } | null;
  resources: { port?: number; dataDir?: string; dir?: string };
  config_version: number;
  deployed_revision: number | null;
  health: { ok: boolean; reason: string | null; settings: Record<string, string> } | null;
  admin_secret_ref: string | null;
}

export async function deploymentState(h: DeployHarness, deploymentId: string): Promise<DeploymentState> {
  const { rows } = await h.sql.query<DeploymentState>(
    `select state, reason, endpoint, resources, config_version, deployed_revision, health, admin_secret_ref
       from deployer.deployments where id = $1`,
    [deploymentId],
  );
  return rows[0]!;
}

export interface OperationState {
  status: string;
  error: string | null;
  steps_done: string[];
  runs: number;
}

export async function operationState(h: DeployHarness, operationId: string): Promise<OperationState> {
  const { rows } = await h.sql.query<OperationState>(
    'select status, error, steps_done, runs from deployer.operations where id = $1',
    [operationId],
  );
  return rows[0]!;
}

export async function waitForOperation(h: DeployHarness, operationId: string, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = await operationState(h, operationId);
    if (op.status === 'succeeded' || op.status === 'failed') return op;
    if (Date.now() > deadline) {
      throw new Error(`operation ${operationId} still ${op.status}\n${h.worker.logs().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function waitForState(
  h: DeployHarness,
  deploymentId: string,
  predicate: (d: DeploymentState) => boolean,
  timeoutMs: number,
): Promise<{ deployment: DeploymentState; ms: number }> {
  const started = Date.now();
  for (;;) {
    const deployment = await deploymentState(h, deploymentId);
    if (predicate(deployment)) return { deployment, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `deployment ${deploymentId} is ${deployment.state} (${deployment.reason ?? ''})\n${h.worker.logs().slice(-4000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function asAdmin<T>(
  endpoint: NonNullable<DeploymentState['endpoint']>,
  password: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ ...endpoint, password, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function show(
  endpoint: NonNullable<DeploymentState['endpoint']>,
  password: string,
  setting: string,
): Promise<string> {
  return asAdmin(endpoint, password, async (c) => {
    const { rows } = await c.query<{ v: string }>('select current_setting($1) as v', [setting]);
    return rows[0]!.v;
  });
}

export async function stepEvents(h: DeployHarness, operationId: string) {
  const { rows } = await h.sql.query<{ kind: string; step: string | null; state: string | null; message: string }>(
    'select kind, step, state, message from deployer.deployment_events where operation_id = $1 order by id',
    [operationId],
  );
  return rows;
}

/** Postmaster processes serving a data directory (to prove there is exactly one cluster). */
export function postmastersFor(dataDir: string): number {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('postgres') && line.includes(`-D ${dataDir}`)).length;
}

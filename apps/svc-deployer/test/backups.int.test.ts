import { randomUUID } from 'node:crypto';
import {
  type TBackupResponse,
  type TListBackupsResponse,
  ZBackupBusyDetails,
  ZBackupResponse,
  ZListBackupsResponse,
} from '@elasticdash/contracts/deployer/backups';
import { BACKUP_JOB_NAMES, DeployerQueues, type TDeploymentBackupJob } from '@elasticdash/contracts/deployer/jobs';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { RealtimeRedis, ZRealtimeEnvelope, type TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import { InternalTokenSigner, ZPrivateJwk } from '@elasticdash/service-kit/internal-token';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { exampleEnv } from '../../../tests/support/env-file.js';
import { devEnv } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';

/**
 * The backups API of svc-deployer against real Postgres and Redis (the built service, driven
 * over HTTP with internal tokens signed as the gateway signs them). No worker runs: jobs are
 * inspected in the queue, deployments and the worker's results are written with SQL.
 */

const BULLMQ_PREFIX = `ed-test-backups-${randomUUID().slice(0, 8)}`;
const REDIS_URL = devEnv().REDIS_URL ?? 'redis://127.0.0.1:6379/0';

interface Member {
  userId: string;
  email: string;
  tenantId: string;
  role: TRole;
}
interface Answer<T> {
  status: number;
  body: T;
  text: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

function member(tenantId: string, role: TRole): Member {
  const userId = randomUUID();
  return { userId, email: `${role}-${userId.slice(0, 8)}@example.test`, tenantId, role };
}
function newTenant() {
  const id = randomUUID();
  return { id, admin: member(id, 'admin'), editor: member(id, 'editor'), viewer: member(id, 'viewer') };
}

let deployer: RunningService;
let database: { url: string; drop(): Promise<void> };
let sql: pg.Pool;
let redis: Redis;
let subscriber: Redis;
let queue: Queue<TDeploymentBackupJob>;
let signer: InternalTokenSigner;
const events: TRealtimeEnvelope[] = [];
const tenantsSeen = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase('svc_deployer_backups');
  const example = exampleEnv();
  deployer = await startService({
    app: 'svc-deployer',
    env: {
      ...devEnv(),
      DATABASE_URL: database.url,
      // No plan is read in these tests; svc-plans is never called.
      SVC_PLANS_URL: 'http://127.0.0.1:9',
      BULLMQ_PREFIX,
      SECRETS_MASTER_KEY: example.SECRETS_MASTER_KEY ?? '',
      SECRETS_MASTER_KEY_ID: example.SECRETS_MASTER_KEY_ID ?? '',
      LOG_LEVEL: 'warn',
    },
    port: await freePort(),
    portVar: 'SVC_DEPLOYER_PORT',
    waitForReady: true,
  });
  sql = new pg.Pool({ connectionString: database.url, max: 3 });
  redis = new Redis(REDIS_URL);
  subscriber = new Redis(REDIS_URL);
  await subscriber.subscribe(RealtimeRedis.channel);
  subscriber.on('message', (_channel, message: string) => {
    const parsed = ZRealtimeEnvelope.safeParse(JSON.parse(message));
    if (parsed.success) events.push(parsed.data);
  });
  queue = new Queue<TDeploymentBackupJob>(DeployerQueues.backups, {
    connection: { url: REDIS_URL } as never,
    prefix: BULLMQ_PREFIX,
  });
  signer = await InternalTokenSigner.create(ZPrivateJwk.parse(JSON.parse(example.INTERNAL_TOKEN_PRIVATE_KEY ?? '')));
});

afterAll(async () => {
  const code = await deployer?.stop();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  if (redis && tenantsSeen.size > 0) await redis.del(...[...tenantsSeen].map((id) => RealtimeRedis.streamKey(id)));
  redis?.disconnect();
  subscriber?.disconnect();
  await sql?.end();
  await database?.drop();
  expect(code).toBe(0);
});

async function call<T = Record<string, unknown>>(who: Member, method: string, path: string): Promise<Answer<T>> {
  tenantsSeen.add(who.tenantId);
  const requestId = `test-${randomUUID()}`;
  const context: TInternalContext = {
    requestId,
    userId: who.userId,
    email: who.email,
    userName: who.role,
    sessionId: randomUUID(),
    tenantId: who.tenantId,
    role: who.role,
  };
  const response = await fetch(deployer.url + path, {
    method,
    headers: { 'x-internal-context': await signer.sign('svc-deployer', context), 'x-request-id': requestId },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}

function expectError(answer: Answer<unknown>, status: number, code: string, message?: RegExp) {
  expect(answer.status, answer.text).toBe(status);
  const { error } = answer.body as ErrorBody;
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

function planDocument(): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
  doc.components[0]!.backups = {
    enabled: true,
    schedule: '30 2 * * *',
    retentionDays: 9,
    target: { bucket: 'acme-backups', prefix: 'db/' },
    validateByRestore: true,
  };
  return doc;
}

/** A deployed plan, as svc-deployer + the worker leave it. */
async function deployed(tenantId: string, state = 'running'): Promise<{ planId: string; deploymentId: string }> {
  const planId = randomUUID();
  const doc = planDocument();
  const { rows } = await sql.query<{ id: string }>(
    `insert into deployer.deployments (tenant_id, plan_id, plan_name, component_id, target, state, reason,
       deployed_revision, deployed_document, endpoint)
     values ($1, $2, 'orders', $3, 'local', $4, $5, 1, $6::jsonb, $7::jsonb) returning id`,
    [
      tenantId,
      planId,
      doc.components[0]!.id,
      state,
      state === 'failed' ? 'PostgreSQL is not accepting connections on 127.0.0.1:55432 (connection refused)' : null,
      JSON.stringify(doc),
      JSON.stringify({ host: '127.0.0.1', port: 55432, database: 'orders', user: 'orders_admin' }),
    ],
  );
  return { planId, deploymentId: rows[0]!.id };
}

describe('backups API', () => {
  it('"back up now" (admin): 202 with a running manual backup, a job with its id, and a live event', async () => {
    const t = newTenant();
    const { planId, deploymentId } = await deployed(t.id);
    const answer = await call<TBackupResponse>(t.admin, 'POST', `/v1/plans/${planId}/deployment/backups`);
    expect(answer.status, answer.text).toBe(202);
    const { backup } = ZBackupResponse.parse(answer.body);
    expect(backup).toMatchObject({
      deploymentId,
      trigger: 'manual',
      status: 'running',
      validation: 'pending',
      error: null,
      objectKey: null,
    });
    const job = await queue.getJob(backup.id);
    expect(job?.name).toBe(BACKUP_JOB_NAMES.backup);
    expect(job?.data).toMatchObject({
      tenantId: t.id,
      deploymentId,
      backupId: backup.id,
      trigger: 'manual',
      requestId: expect.any(String),
    });
    expect(job?.opts.attempts).toBe(3);
    await expect
      .poll(() => events.find((e) => e.event.type === 'deployment.backup' && e.event.backupId === backup.id)?.event)
      .toMatchObject({ planId, deploymentId, status: 'running', validation: 'pending' });
  });

  it('409 backup_running names the backup in progress; a stale running row no longer blocks', async () => {
    const t = newTenant();
    const { planId } = await deployed(t.id);
    const first = ZBackupResponse.parse(
      (await call<TBackupResponse>(t.admin, 'POST', `/v1/plans/${planId}/deployment/backups`)).body,
    ).backup;
    const second = await call(t.admin, 'POST', `/v1/plans/${planId}/deployment/backups`);
    const error = expectError(second, 409, 'backup_running', new RegExp(`backup ${first.id}`));
    expect(ZBackupBusyDetails.parse(error.details).backup.id).toBe(first.id);

    // A worker that died long ago: the row is failed with a reason and a new backup starts.
    await sql.query(`update deployer.backups set started_at = now() - interval '7 hours' where id = $1`, [first.id]);
    const third = await call<TBackupResponse>(t.admin, 'POST', `/v1/plans/${planId}/deployment/backups`);
    expect(third.status, third.text).toBe(202);
    const { rows } = await sql.query<{ status: string; error: string }>(
      'select status, error from deployer.backups where id = $1',
      [first.id],
    );
    expect(rows[0]).toEqual({
      status: 'failed',
      error: 'the backup did not finish (its worker stopped); start a new one',
    });
  });

  it('refuses with a clear message when the deployment is not running or does not exist', async () => {
    const t = newTenant();
    const failed = await deployed(t.id, 'failed');
    expectError(
      await call(t.admin, 'POST', `/v1/plans/${failed.planId}/deployment/backups`),
      409,
      'conflict',
      /^Backups need a running database; this deployment is failed \(PostgreSQL is not accepting connections/,
    );
    const destroyed = await deployed(t.id, 'destroyed');
    expectError(
      await call(t.admin, 'POST', `/v1/plans/${destroyed.planId}/deployment/backups`),
      409,
      'conflict',
      /destroyed/,
    );
    expectError(
      await call(t.admin, 'POST', `/v1/plans/${randomUUID()}/deployment/backups`),
      404,
      'not_found',
      /not been deployed/,
    );
    const { rows } = await sql.query('select 1 from deployer.backups where tenant_id = $1', [t.id]);
    expect(rows).toEqual([]);
  });

  it('roles: viewers list, editors and viewers cannot back up or validate', async () => {
    const t = newTenant();
    const { planId } = await deployed(t.id);
    expect((await call(t.viewer, 'GET', `/v1/plans/${planId}/deployment/backups`)).status).toBe(200);
    expectError(await call(t.viewer, 'POST', `/v1/plans/${planId}/deployment/backups`), 403, 'forbidden');
    expectError(await call(t.editor, 'POST', `/v1/plans/${planId}/deployment/backups`), 403, 'forbidden');
    expectError(
      await call(t.editor, 'POST', `/v1/plans/${planId}/deployment/backups/${randomUUID()}/validate`),
      403,
      'forbidden',
    );
    const { rows } = await sql.query('select 1 from deployer.backups where tenant_id = $1', [t.id]);
    expect(rows).toEqual([]);
  });

  it("another tenant's plan is 404 for every backups route, and its backups are never listed", async () => {
    const owner = newTenant();
    const other = newTenant();
    const { planId, deploymentId } = await deployed(owner.id);
    const { rows } = await sql.query<{ id: string }>(
      `insert into deployer.backups (tenant_id, deployment_id, trigger, status, bucket, object_key, size_bytes,
         table_counts, validation, finished_at)
       values ($1, $2, 'schedule', 'succeeded', 'b', 'k', 10, '{"public.a": 1}', 'passed', now()) returning id`,
      [owner.id, deploymentId],
    );
    const backupId = rows[0]!.id;
    expectError(await call(other.admin, 'GET', `/v1/plans/${planId}/deployment/backups`), 404, 'not_found');
    expectError(await call(other.admin, 'POST', `/v1/plans/${planId}/deployment/backups`), 404, 'not_found');
    expectError(
      await call(other.admin, 'POST', `/v1/plans/${planId}/deployment/backups/${backupId}/validate`),
      404,
      'not_found',
    );
    // The owner sees it.
    const listed = ZListBackupsResponse.parse(
      (await call<TListBackupsResponse>(owner.viewer, 'GET', `/v1/plans/${planId}/deployment/backups`)).body,
    );
    expect(listed.backups.map((b) => b.id)).toEqual([backupId]);
  });

  it('lists newest first with sizes, count summaries, validation details and the plan schedule', async () => {
    const t = newTenant();
    const { planId, deploymentId } = await deployed(t.id);
    const details = {
      message: 'row counts differ: public.orders: 1000 at backup, 998 restored',
      scratchDatabase: 'ed_restore_x',
      tablesCompared: 2,
      mismatches: [{ table: 'public.orders', source: 1000, restored: 998 }],
      restoredCounts: { 'public.orders': 998, 'public.lines': 5 },
      durationMs: 120,
    };
    await sql.query(
      `insert into deployer.backups (tenant_id, deployment_id, trigger, status, bucket, object_key, size_bytes,
         table_counts, validation, validation_details, validated_at, started_at, finished_at)
       values ($1, $2, 'schedule', 'succeeded', 'bkt', 'backups/x.dump', 4096, '{"public.orders": 1000, "public.lines": 5}',
         'failed', $3::jsonb, now(), now() - interval '1 hour', now() - interval '59 minutes'),
              ($1, $2, 'manual', 'failed', null, null, null, null, 'skipped', null, null, now(), now())`,
      [t.id, deploymentId, JSON.stringify(details)],
    );
    await sql.query(
      `update deployer.backups set error = 'pg_dump failed: permission denied for sequence s'
        where deployment_id = $1 and status = 'failed'`,
      [deploymentId],
    );
    const answer = await call<TListBackupsResponse>(t.viewer, 'GET', `/v1/plans/${planId}/deployment/backups`);
    expect(answer.status, answer.text).toBe(200);
    const body = ZListBackupsResponse.parse(answer.body);
    expect(body.schedule).toEqual({ enabled: true, cron: '30 2 * * *', retentionDays: 9, validateByRestore: true });
    expect(body.backups.map((b) => [b.trigger, b.status])).toEqual([
      ['manual', 'failed'],
      ['schedule', 'succeeded'],
    ]);
    expect(body.backups[0]).toMatchObject({ error: 'pg_dump failed: permission denied for sequence s' });
    expect(body.backups[1]).toMatchObject({
      sizeBytes: 4096,
      tableCount: 2,
      totalRows: 1005,
      validation: 'failed',
      validationDetails: details,
    });
  });

  it('validate again (admin): 202, validation pending and a validate job; 409 for a failed backup', async () => {
    const t = newTenant();
    const { planId, deploymentId } = await deployed(t.id);
    const { rows } = await sql.query<{ id: string; status: string }>(
      `insert into deployer.backups (tenant_id, deployment_id, trigger, status, bucket, object_key, size_bytes,
         table_counts, validation, finished_at, error)
       values ($1, $2, 'manual', 'succeeded', 'b', 'k', 10, '{}', 'failed', now(), null),
              ($1, $2, 'manual', 'failed', null, null, null, null, 'skipped', now(), 'pg_dump failed: boom')
       returning id, status`,
      [t.id, deploymentId],
    );
    const stored = rows.find((r) => r.status === 'succeeded')!.id;
    const broken = rows.find((r) => r.status === 'failed')!.id;
    const answer = await call<TBackupResponse>(
      t.admin,
      'POST',
      `/v1/plans/${planId}/deployment/backups/${stored}/validate`,
    );
    expect(answer.status, answer.text).toBe(202);
    expect(ZBackupResponse.parse(answer.body).backup).toMatchObject({ id: stored, validation: 'pending' });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.name === BACKUP_JOB_NAMES.validate && j.data.backupId === stored)).toHaveLength(1);

    expectError(
      await call(t.admin, 'POST', `/v1/plans/${planId}/deployment/backups/${broken}/validate`),
      409,
      'conflict',
      /This backup failed \(pg_dump failed: boom\)/,
    );
    expectError(
      await call(t.admin, 'POST', `/v1/plans/${planId}/deployment/backups/not-a-uuid/validate`),
      400,
      'validation_failed',
    );
  });
});

/*
 * Backups on the local target, for real: the built worker deploys a cluster, dumps it with pg_dump
 * into an s3rver bucket, validates the stored object by restoring it into a scratch database and
 * comparing row counts, applies retention, and records every failure (a corrupt object, counts
 * that differ, pg_dump refused, the cluster stopped) with its reason — never silently.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { TBackupValidationDetails } from '@elasticdash/contracts/deployer/backups';
import { BACKUP_JOB_NAMES, DeployerQueues, type TDeploymentBackupJob } from '@elasticdash/contracts/deployer/jobs';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from '../../../tests/support/s3.js';
import {
  CAN_RUN_LOCAL_TARGET,
  REDIS_URL,
  asAdmin,
  createDeployHarness,
  createDeployment,
  deploymentState,
  enqueueOperation,
  localPlan,
  pgBin,
  startCluster,
  stopCluster,
  waitForOperation,
  type DeployHarness,
  type DeploymentRef,
  type DeploymentState,
} from './deploy-harness.js';

interface BackupState {
  id: string;
  trigger: string;
  status: string;
  bucket: string | null;
  object_key: string | null;
  size_bytes: string | null;
  error: string | null;
  table_counts: Record<string, number> | null;
  validation: string;
  validation_details: TBackupValidationDetails | null;
  expired_at: Date | null;
}

/** The first defined answer of `read` within 5 s (undefined after that). */
async function poll<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function backupPlan(enabled: boolean): TCsJsonDocument {
  const doc = localPlan(30);
  doc.components[0]!.backups = {
    enabled,
    schedule: '0 3 * * *',
    retentionDays: 7,
    target: { bucket: 'acme-orders-db-backups', prefix: 'orders-db/' },
    validateByRestore: true,
  };
  return doc;
}

describe.skipIf(!CAN_RUN_LOCAL_TARGET)('backups on the local target', () => {
  let s3server: TestS3;
  let s3: S3Client;
  let h: DeployHarness;
  let ref: DeploymentRef;
  let d: DeploymentState;
  let connection: Redis;
  let backupQueue: Queue<TDeploymentBackupJob>;
  let dataDir = '';

  beforeAll(async () => {
    s3server = await startTestS3();
    s3 = new S3Client({
      endpoint: s3server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    h = await createDeployHarness('backups', '56500-56549', {
      ...s3server.env,
      MONITOR_INTERVAL_MS: '3600000',
    });
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    backupQueue = new Queue<TDeploymentBackupJob>(DeployerQueues.backups, { connection, prefix: h.prefix });
  });
  afterAll(async () => {
    await backupQueue?.obliterate({ force: true }).catch(() => undefined);
    await backupQueue?.close();
    connection?.disconnect();
    await h?.close();
    s3?.destroy();
    await s3server?.stop();
  });

  async function backupRow(id: string): Promise<BackupState> {
    const { rows } = await h.sql.query<BackupState>(
      `select id, trigger, status, bucket, object_key, size_bytes::text, error, table_counts, validation,
              validation_details, expired_at
         from deployer.backups where id = $1`,
      [id],
    );
    return rows[0]!;
  }

  async function waitForBackup(id: string, done: (b: BackupState) => boolean, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const b = await backupRow(id);
      if (b && done(b)) return b;
      if (Date.now() > deadline) {
        throw new Error(`backup ${id} is ${JSON.stringify(b)}\n${h.worker.logs().slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const settled = (b: BackupState) => b.status === 'failed' || (b.status === 'succeeded' && b.validation !== 'pending');

  /** What svc-deployer does on "Back up now": the running row, then the job (id = backup id). */
  async function backUpNow(): Promise<string> {
    const { rows } = await h.sql.query<{ id: string }>(
      `insert into deployer.backups (tenant_id, deployment_id, trigger, status) values ($1, $2, 'manual', 'running') returning id`,
      [ref.tenantId, ref.deploymentId],
    );
    const id = rows[0]!.id;
    await backupQueue.add(
      BACKUP_JOB_NAMES.backup,
      { tenantId: ref.tenantId, deploymentId: ref.deploymentId, backupId: id, trigger: 'manual', requestId: null },
      { jobId: id, attempts: 2, backoff: { type: 'fixed', delay: 200 } },
    );
    return id;
  }

  async function revalidate(id: string): Promise<void> {
    await h.sql.query(`update deployer.backups set validation = 'pending' where id = $1`, [id]);
    await backupQueue.add(
      BACKUP_JOB_NAMES.validate,
      { tenantId: ref.tenantId, deploymentId: ref.deploymentId, backupId: id, trigger: 'manual', requestId: null },
      { jobId: `validate-${id}-${Date.now()}`, attempts: 1 },
    );
  }

  async function objectBytes(key: string): Promise<Buffer> {
    const object = await s3.send(new GetObjectCommand({ Bucket: s3server.bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  async function objectExists(key: string): Promise<boolean> {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: s3server.bucket, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  async function databases(): Promise<string[]> {
    return asAdmin(d.endpoint!, ref.password, async (c) =>
      (await c.query<{ datname: string }>('select datname from pg_database order by 1')).rows.map((r) => r.datname),
    );
  }

  /** As the cluster's superuser over its unix socket (what the admin role cannot do). */
  function superuserSql(statement: string): void {
    execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(pgBin(), 'psql'),
        '-h',
        path.join(h.root, ref.deploymentId, 'run'),
        '-p',
        String(d.resources.port),
        '-d',
        d.endpoint!.database,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        statement,
      ],
      { stdio: 'pipe' },
    );
  }

  it('a deploy with backups enabled schedules them with the plan cron', async () => {
    const doc = backupPlan(true);
    ref = await createDeployment(h, doc);
    const op = await waitForOperation(h, await enqueueOperation(h, ref, 'deploy', doc, 1), 60_000);
    expect(op.error).toBeNull();
    d = await deploymentState(h, ref.deploymentId);
    expect(d.state).toBe('running');
    dataDir = d.resources.dataDir!;
    // Synced right after the operation is recorded as succeeded.
    const scheduler = await poll(() => backupQueue.getJobScheduler(`backup:${ref.deploymentId}`));
    expect(scheduler).toMatchObject({ pattern: '0 3 * * *', tz: 'UTC' });
  });

  let first: BackupState;
  it('backs up to S3 with exact row counts and validates it by restore', async () => {
    await asAdmin(d.endpoint!, ref.password, async (c) => {
      await c.query(`create table orders (id int primary key, note text)`);
      await c.query(`insert into orders select g, 'order ' || g from generate_series(1, 1000) g`);
      await c.query(`create schema sales`);
      await c.query(`create table sales."Line Items" (id serial primary key, qty int)`);
      await c.query(`insert into sales."Line Items" (qty) select g from generate_series(1, 5) g`);
      await c.query(`create table empty_one (x int)`);
    });
    const id = await backUpNow();
    first = await waitForBackup(id, settled);
    expect(first.error).toBeNull();
    expect(first).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      validation: 'passed',
      bucket: s3server.bucket,
    });
    expect(first.table_counts).toEqual({ 'public.orders': 1000, 'sales.Line Items': 5, 'public.empty_one': 0 });
    expect(first.object_key).toMatch(
      new RegExp(`^backups/${ref.tenantId}/${ref.deploymentId}/\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z-${id}\\.dump$`),
    );
    const bytes = await objectBytes(first.object_key!);
    expect(bytes.length).toBe(Number(first.size_bytes));
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(first.validation_details).toMatchObject({
      tablesCompared: 3,
      mismatches: [],
      restoredCounts: { 'public.orders': 1000, 'sales.Line Items': 5, 'public.empty_one': 0 },
      message: 'restored 3 tables with the same row counts (1005 rows)',
    });
    // The scratch database is gone; the password never reached a log line.
    expect(await databases()).not.toContain(first.validation_details!.scratchDatabase);
    expect(h.worker.logs()).not.toContain(ref.password);
    const lastOfBackup = () =>
      h.events
        .filter((e) => e.tenantId === ref.tenantId)
        .map((e) => e.event)
        .filter((e) => e.type === 'deployment.backup' && e.backupId === id)
        .at(-1);
    await expect.poll(lastOfBackup, { timeout: 5_000 }).toMatchObject({
      status: 'succeeded',
      validation: 'passed',
      planId: ref.planId,
      message: null,
    });
  });

  it('a scheduled run creates its own row; retention removes old objects and keeps the latest', async () => {
    // Two backups from long ago, with their objects.
    const old: { id: string; key: string }[] = [];
    for (const days of [40, 30]) {
      const id = randomUUID();
      const key = `backups/${ref.tenantId}/${ref.deploymentId}/old-${id}.dump`;
      await s3.send(new PutObjectCommand({ Bucket: s3server.bucket, Key: key, Body: Buffer.from('old dump') }));
      await h.sql.query(
        `insert into deployer.backups (id, tenant_id, deployment_id, trigger, status, bucket, object_key, size_bytes,
           validation, started_at, finished_at)
         values ($1, $2, $3, 'schedule', 'succeeded', $4, $5, 8, 'passed', now() - make_interval(days => $6),
           now() - make_interval(days => $6))`,
        [id, ref.tenantId, ref.deploymentId, s3server.bucket, key, days],
      );
      old.push({ id, key });
    }
    await backupQueue.add(
      BACKUP_JOB_NAMES.backup,
      { tenantId: ref.tenantId, deploymentId: ref.deploymentId, backupId: null, trigger: 'schedule', requestId: null },
      { attempts: 2 },
    );
    const deadline = Date.now() + 45_000;
    let scheduled: BackupState | undefined;
    while (!scheduled || !settled(scheduled)) {
      if (Date.now() > deadline) throw new Error(`no scheduled backup\n${h.worker.logs().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rows } = await h.sql.query<{ id: string }>(
        `select id from deployer.backups where deployment_id = $1 and trigger = 'schedule' and started_at > now() - interval '1 day'`,
        [ref.deploymentId],
      );
      scheduled = rows[0] ? await backupRow(rows[0].id) : undefined;
    }
    expect(scheduled).toMatchObject({ status: 'succeeded', validation: 'passed' });

    // Retention runs after the scheduled backup has settled: both old objects gone, their rows
    // expired; recent ones kept. Wait for it to finish (object deleted, then the row marked).
    for (const o of old) {
      const retained = Date.now() + 15_000;
      while ((await backupRow(o.id)).expired_at === null && Date.now() < retained) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await objectExists(o.key)).toBe(false);
      expect((await backupRow(o.id)).expired_at).toBeInstanceOf(Date);
    }
    expect(await objectExists(first.object_key!)).toBe(true);
    expect(await objectExists(scheduled.object_key!)).toBe(true);
    expect((await backupRow(first.id)).expired_at).toBeNull();
    first = await backupRow(first.id);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: s3server.bucket, Prefix: `backups/${ref.tenantId}/${ref.deploymentId}/` }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([first.object_key, scheduled.object_key].sort());
  });

  it('validation fails with the reason when the stored object is truncated', async () => {
    const bytes = await objectBytes(first.object_key!);
    await s3.send(
      new PutObjectCommand({
        Bucket: s3server.bucket,
        Key: first.object_key!,
        Body: bytes.subarray(0, Math.floor(bytes.length / 2)),
      }),
    );
    await revalidate(first.id);
    const b = await waitForBackup(first.id, (x) => x.validation !== 'pending');
    expect(b.status).toBe('succeeded');
    expect(b.validation).toBe('failed');
    expect(b.validation_details?.message).toMatch(/^pg_restore failed: .+/);
    expect(await databases()).not.toContain(b.validation_details!.scratchDatabase);
    expect(h.worker.logs()).toMatch(/backup validation failed: pg_restore failed/);
    const last = h.events.map((e) => e.event).filter((e) => e.type === 'deployment.backup' && e.backupId === first.id);
    expect(last.at(-1)).toMatchObject({ validation: 'failed', message: b.validation_details!.message });
  });

  it('validation fails naming the table whose restored count differs', async () => {
    // The dump is fine; the count recorded at backup time says 1001 orders.
    const { rows } = await h.sql.query<{ id: string }>(
      `update deployer.backups set table_counts = jsonb_set(table_counts, '{public.orders}', '1001')
        where deployment_id = $1 and trigger = 'schedule' and expired_at is null and status = 'succeeded' returning id`,
      [ref.deploymentId],
    );
    const id = rows[0]!.id;
    await revalidate(id);
    const b = await waitForBackup(id, (x) => x.validation !== 'pending');
    expect(b.validation).toBe('failed');
    expect(b.validation_details?.message).toBe('row counts differ: public.orders: 1001 at backup, 1000 restored');
    expect(b.validation_details?.mismatches).toEqual([{ table: 'public.orders', source: 1001, restored: 1000 }]);
  });

  it('a pg_dump failure is recorded with its message, and no object is left', async () => {
    // A sequence the admin role may not read: counting tables works, pg_dump cannot read it.
    superuserSql('create sequence private_seq; revoke all on sequence private_seq from public');
    try {
      const id = await backUpNow();
      const b = await waitForBackup(id, settled);
      expect(b.status).toBe('failed');
      expect(b.error).toMatch(/^pg_dump failed: .*permission denied for sequence private_seq/);
      expect(b.validation).toBe('skipped');
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: s3server.bucket, Prefix: `backups/${ref.tenantId}/${ref.deploymentId}/` }),
      );
      expect((listed.Contents ?? []).map((o) => o.Key).filter((k) => k?.includes(id))).toEqual([]);
      const event = h.events.map((e) => e.event).filter((e) => e.type === 'deployment.backup' && e.backupId === id);
      expect(event.at(-1)).toMatchObject({ status: 'failed', message: b.error });
      expect(h.worker.logs()).toContain('backup failed: pg_dump failed');
    } finally {
      superuserSql('drop sequence private_seq');
    }
  });

  it('a stopped cluster fails the backup with the reason', async () => {
    stopCluster(dataDir, 'fast');
    try {
      const id = await backUpNow();
      const b = await waitForBackup(id, settled);
      expect(b).toMatchObject({
        status: 'failed',
        error: `PostgreSQL is not accepting connections on 127.0.0.1:${d.resources.port} (connection refused)`,
      });
    } finally {
      startCluster(dataDir, path.join(h.root, ref.deploymentId, 'run', 'server.log'));
    }
  });

  it('a re-deploy with backups disabled removes the schedule; destroy removes a schedule too', async () => {
    const doc = backupPlan(false);
    const op = await waitForOperation(h, await enqueueOperation(h, ref, 'redeploy', doc, 2), 60_000);
    expect(op.error).toBeNull();
    expect(
      await poll(async () => ((await backupQueue.getJobScheduler(`backup:${ref.deploymentId}`)) ? undefined : 'gone')),
    ).toBe('gone');

    const again = backupPlan(true);
    expect((await waitForOperation(h, await enqueueOperation(h, ref, 'redeploy', again, 3), 60_000)).error).toBeNull();
    expect(await poll(() => backupQueue.getJobScheduler(`backup:${ref.deploymentId}`))).toBeDefined();
    const destroy = await enqueueOperation(h, ref, 'destroy', null, null);
    expect((await waitForOperation(h, destroy, 60_000)).error).toBeNull();
    expect(await backupQueue.getJobScheduler(`backup:${ref.deploymentId}`)).toBeUndefined();
    const { rows } = await h.sql.query<{ message: string }>(
      `select message from deployer.deployment_events where operation_id = $1 and step = 'unmonitor' order by id desc limit 1`,
      [destroy],
    );
    expect(rows[0]?.message).toBe('done: monitor and backup schedule removed');
    // The history stays: rows of a destroyed deployment are kept (objects follow retention).
    const { rows: kept } = await h.sql.query('select 1 from deployer.backups where deployment_id = $1', [
      ref.deploymentId,
    ]);
    expect(kept.length).toBeGreaterThan(0);
  });
});

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Queues, type TDatasetIngestJob } from '@elasticdash/contracts/datasets/jobs';
import { RealtimeRedis, ZRealtimeEnvelope, type TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../tests/support/database.js';
import { repoRoot } from '../../../tests/support/env-file.js';
import { freePort } from '../../../tests/support/ports.js';
import { startTestS3, type TestS3 } from '../../../tests/support/s3.js';
import { startService, type RunningService } from '../../../tests/support/service-process.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/**
 * One isolated ingest environment per test file: a fresh database with svc-datasets' migrations,
 * an s3rver bucket, the built worker on a free port and a BullMQ key prefix of its own.
 */
export interface Harness {
  sql: pg.Pool;
  s3: S3Client;
  testS3: TestS3;
  queue: Queue<TDatasetIngestJob>;
  prefix: string;
  databaseUrl: string;
  worker: RunningService;
  events: TRealtimeEnvelope[];
  startWorker(extra?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

export async function migrateDatasets(databaseUrl: string): Promise<void> {
  const script = path.join(repoRoot, 'apps', 'svc-datasets', 'dist', 'migrate.js');
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`svc-datasets migrate failed:\n${output}`);
}

export async function createHarness(
  name: string,
  workerEnv: Record<string, string> = {},
  redisUrl = REDIS_URL,
): Promise<Harness> {
  const database = await createTestDatabase(name);
  await migrateDatasets(database.url);
  const testS3 = await startTestS3();
  const prefix = `ed-test-${name}-${randomUUID().slice(0, 8)}`;
  const sql = new pg.Pool({ connectionString: database.url, max: 4 });
  // pool.end() resolves while its last sockets still close: the database drop's terminate must
  // not become an uncaught idle-client error.
  sql.on('error', () => undefined);
  const s3 = new S3Client({
    endpoint: testS3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<TDatasetIngestJob>(Queues.datasetIngest, { connection, prefix });
  const subscriber = new Redis(redisUrl);
  // A fault test may kill Redis: the clients reconnect by themselves; no unhandled error events.
  connection.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  queue.on('error', () => undefined);
  const events: TRealtimeEnvelope[] = [];
  await subscriber.subscribe(RealtimeRedis.channel);
  subscriber.on('message', (_channel, message: string) => {
    // The channel is shared with other test files running at the same time: keep only envelopes.
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
      waitForReady: true,
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        BULLMQ_PREFIX: prefix,
        ...testS3.env,
        ...workerEnv,
        ...extra,
      },
    });
  const harness: Harness = {
    sql,
    s3,
    testS3,
    queue,
    prefix,
    databaseUrl: database.url,
    worker: await start(),
    events,
    startWorker: async (extra) => {
      harness.worker = await start(extra);
      return harness.worker;
    },
    async close() {
      await harness.worker.stop().catch(() => undefined);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      connection.disconnect();
      subscriber.disconnect();
      await sql.end();
      s3.destroy();
      await testS3.stop();
      await database.drop();
    },
  };
  return harness;
}

export interface DatasetRef {
  tenantId: string;
  datasetId: string;
}

export async function createDataset(h: Harness, tenantId = randomUUID()): Promise<DatasetRef> {
  const { rows } = await h.sql.query<{ id: string }>(
    `insert into datasets.datasets (tenant_id, name, status) values ($1, $2, 'uploaded') returning id`,
    [tenantId, `dataset ${randomUUID().slice(0, 8)}`],
  );
  return { tenantId, datasetId: rows[0]!.id };
}

/** What svc-datasets does on "ingest": upload row (object in S3), ingest row (next version), job. */
export async function ingestFile(
  h: Harness,
  ref: DatasetRef,
  body: Buffer | string,
  options: {
    fileName?: string;
    attempts?: number;
    skipUpload?: boolean;
    beforeEnqueue?: (ingestId: string) => Promise<void>;
    /** false: only the rows, as if Redis lost the job after svc-datasets added it. */
    enqueue?: boolean;
  } = {},
): Promise<{ ingestId: string; targetVersion: number }> {
  const uploadId = randomUUID();
  const ingestId = randomUUID();
  const objectKey = `tenants/${ref.tenantId}/datasets/${ref.datasetId}/uploads/${uploadId}.csv`;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (!options.skipUpload)
    await h.s3.send(new PutObjectCommand({ Bucket: h.testS3.bucket, Key: objectKey, Body: bytes }));
  await h.sql.query(
    `insert into datasets.uploads (id, tenant_id, dataset_id, object_key, mode, file_name, size_bytes, status, completed_at)
     values ($1, $2, $3, $4, 'single', $5, $6, 'completed', now())`,
    [uploadId, ref.tenantId, ref.datasetId, objectKey, options.fileName ?? 'data.csv', bytes.length],
  );
  const { rows } = await h.sql.query<{ target: number }>(
    `select greatest((select version from datasets.datasets where id = $1),
                     coalesce((select max(target_version) from datasets.ingests where dataset_id = $1), 0)) + 1 as target`,
    [ref.datasetId],
  );
  const targetVersion = rows[0]!.target;
  await h.sql.query(
    `insert into datasets.ingests (id, tenant_id, dataset_id, upload_id, target_version, request_id)
     values ($1, $2, $3, $4, $5, $6)`,
    [ingestId, ref.tenantId, ref.datasetId, uploadId, targetVersion, `req-${ingestId.slice(0, 8)}`],
  );
  await h.sql.query(
    `update datasets.datasets set status = 'processing', latest_upload_id = $2, file_name = $3, size_bytes = $4,
            updated_at = now() where id = $1`,
    [ref.datasetId, uploadId, options.fileName ?? 'data.csv', bytes.length],
  );
  await options.beforeEnqueue?.(ingestId);
  if (options.enqueue === false) return { ingestId, targetVersion };
  await h.queue.add(
    'dataset.ingest',
    { tenantId: ref.tenantId, datasetId: ref.datasetId, ingestId, requestId: `req-${ingestId.slice(0, 8)}` },
    {
      jobId: ingestId,
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    },
  );
  return { ingestId, targetVersion };
}

export interface IngestState {
  status: string;
  failure_reason: string | null;
  rows_done: string;
  runs: number;
}

export async function waitForIngest(h: Harness, ingestId: string, timeoutMs = 45_000): Promise<IngestState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await h.sql.query<IngestState>(
      'select status, failure_reason, rows_done, runs from datasets.ingests where id = $1',
      [ingestId],
    );
    const row = rows[0]!;
    if (row.status === 'succeeded' || row.status === 'failed') return row;
    if (Date.now() > deadline)
      throw new Error(`ingest ${ingestId} still ${row.status}\n${h.worker.logs().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface DatasetState {
  status: string;
  failure_reason: string | null;
  version: number;
  live_table: string | null;
  row_count: string | null;
  columns: Array<{ key: string; name: string; type: string; position: number }>;
  progress: unknown;
}

export async function datasetState(h: Harness, datasetId: string): Promise<DatasetState> {
  const { rows } = await h.sql.query<DatasetState>(
    'select status, failure_reason, version, live_table, row_count, columns, progress from datasets.datasets where id = $1',
    [datasetId],
  );
  return rows[0]!;
}

/** Every ds table of a tenant (to prove nothing is left behind). */
export async function dataTables(h: Harness, tenantId: string): Promise<string[]> {
  const { rows } = await h.sql.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind = 'r' order by 1`,
    [`ds_${tenantId.replaceAll('-', '')}`],
  );
  return rows.map((row) => row.relname);
}

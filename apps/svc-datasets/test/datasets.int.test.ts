import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type {
  TDashboard,
  TDashboardResponse,
  TListDashboardsResponse,
} from '@elasticdash/contracts/datasets/dashboard';
import {
  type TDataset,
  type TDatasetColumn,
  type TDatasetResponse,
  type TListDatasetsResponse,
  ZDatasetResponse,
} from '@elasticdash/contracts/datasets/dataset';
import { Queues, type TDatasetIngestJob } from '@elasticdash/contracts/datasets/jobs';
import {
  type TDatasetFilter,
  type TDatasetRowsPage,
  type TPanelQuery,
  type TPanelQueryResult,
  ZDatasetRowsPage,
  ZPanelQueryResult,
} from '@elasticdash/contracts/datasets/query';
import type { TCreateUploadResponse } from '@elasticdash/contracts/datasets/upload';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { devEnv, signInternalToken } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { startTestS3, type TestS3 } from '../../../tests/support/s3.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';

/**
 * svc-datasets against real Postgres, Redis and a local S3 server (s3rver): the built service
 * runs as a process and is driven over HTTP with internal tokens signed like the gateway's.
 * Data tables are created here in the worker's documented layout.
 */

const MiB = 1024 * 1024;
/** A Redis database of its own, so a worker of another test never takes these jobs. */
const REDIS_URL = 'redis://127.0.0.1:6379/13';

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
function newTenant(): Record<TRole, Member> & { id: string } {
  const id = randomUUID();
  return {
    id,
    owner: member(id, 'owner'),
    admin: member(id, 'admin'),
    editor: member(id, 'editor'),
    viewer: member(id, 'viewer'),
  };
}

let service: RunningService;
let database: { url: string; drop(): Promise<void> };
let s3: TestS3;
let s3Client: S3Client;
let sql: pg.Pool;
let redis: Redis;
let queue: Queue<TDatasetIngestJob>;

beforeAll(async () => {
  [database, s3] = await Promise.all([createTestDatabase('svc_datasets'), startTestS3()]);
  redis = new Redis(REDIS_URL);
  await redis.flushdb();
  service = await startService({
    app: 'svc-datasets',
    env: {
      ...devEnv(),
      ...s3.env,
      REDIS_URL,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      DATASET_MAX_UPLOAD_BYTES: String(1024 * MiB),
      UPLOAD_SINGLE_PUT_MAX_BYTES: String(5 * MiB),
      UPLOAD_PART_SIZE_BYTES: String(5 * MiB),
      QUERY_TIMEOUT_MS: '2000',
    },
    port: await freePort(),
    portVar: 'SVC_DATASETS_PORT',
    waitForReady: true,
  });
  sql = new pg.Pool({ connectionString: database.url, max: 3 });
  s3Client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  queue = new Queue<TDatasetIngestJob>(Queues.datasetIngest, { connection: { url: REDIS_URL } as never });
});

afterAll(async () => {
  if (process.env.SHOW_SERVICE_LOGS) console.log(service?.logs());
  const code = await service?.stop();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await redis?.flushdb();
  redis?.disconnect();
  s3Client?.destroy();
  await sql?.end();
  await s3?.stop();
  await database?.drop();
  expect(code).toBe(0);
});

async function call<T = Record<string, unknown>>(
  who: Member,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const headers: Record<string, string> = {
    'x-internal-context': await signInternalToken('svc-datasets', {
      userId: who.userId,
      email: who.email,
      userName: who.role,
      sessionId: randomUUID(),
      tenantId: who.tenantId,
      role: who.role,
    }),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(service.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}

function expectError(answer: Answer<unknown>, status: number, code: string, message?: RegExp): ErrorBody['error'] {
  expect(answer.status, answer.text).toBe(status);
  const { error } = answer.body as ErrorBody;
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

const issuePaths = (error: ErrorBody['error']) =>
  ((error.details as { issues: TFieldIssue[] }).issues ?? []).map((issue) => issue.path);

async function createDataset(who: Member, name = `Sales ${randomUUID().slice(0, 8)}`): Promise<TDataset> {
  const answer = await call<TDatasetResponse>(who, 'POST', '/datasets', { name, description: 'test' });
  expect(answer.status, answer.text).toBe(201);
  return ZDatasetResponse.parse(answer.body).dataset;
}

/** Uploads `content` through a presigned single PUT and completes it. */
async function uploadSmall(who: Member, datasetId: string, content: string): Promise<TDataset> {
  const created = await call<TCreateUploadResponse>(who, 'POST', `/datasets/${datasetId}/uploads`, {
    fileName: 'sales.csv',
    sizeBytes: Buffer.byteLength(content),
    contentType: 'text/csv',
  });
  expect(created.status, created.text).toBe(201);
  if (created.body.mode !== 'single') throw new Error('expected a single PUT');
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: content });
  expect(put.status).toBe(200);
  const completed = await call<TDatasetResponse>(
    who,
    'POST',
    `/datasets/${datasetId}/uploads/${created.body.uploadId}/complete`,
    {},
  );
  expect(completed.status, completed.text).toBe(200);
  return completed.body.dataset;
}

const hex = (id: string) => id.replaceAll('-', '');
const tableOf = (tenantId: string, datasetId: string, version: number) =>
  `"ds_${hex(tenantId)}"."d_${hex(datasetId)}_v${version}"`;

const COLUMNS: TDatasetColumn[] = [
  { key: 'c1', name: 'ordered_at', type: 'timestamp', position: 0 },
  { key: 'c2', name: 'category', type: 'text', position: 1 },
  { key: 'c3', name: 'amount', type: 'numeric', position: 2 },
  { key: 'c4', name: 'qty', type: 'integer', position: 3 },
  { key: 'c5', name: 'paid', type: 'boolean', position: 4 },
  { key: 'c6', name: 'ship_date', type: 'date', position: 5 },
];

/**
 * Creates version `version` of a dataset's data (the worker's layout) with `rows` rows:
 * one order an hour from 2024-01-01, categories cycling, amount = i * 1.5, qty = i % 50,
 * paid on even rows, ship_date null every 100th row. Then swaps it in as the live version.
 */
async function seedVersion(tenantId: string, datasetId: string, version: number, rows: number): Promise<void> {
  const table = tableOf(tenantId, datasetId, version);
  await sql.query(`create schema if not exists "ds_${hex(tenantId)}"`);
  await sql.query(
    `create table ${table} (_row bigint primary key, c1 timestamptz, c2 text, c3 numeric, c4 bigint, c5 boolean, c6 date)`,
  );
  await sql.query(
    `insert into ${table}
     select i, timestamptz '2024-01-01 00:00:00+00' + (i - 1) * interval '1 hour',
            (array['alpha','beta','gamma','delta','epsilon'])[1 + (i - 1) % 5],
            i * 1.5, i % 50, i % 2 = 0,
            case when i % 100 = 0 then null else date '2024-02-01' + (i % 30) end
     from generate_series(1, $1::int) as i`,
    [rows],
  );
  await sql.query(
    `update datasets.datasets set live_table = $2, columns = $3::jsonb, version = $4, row_count = $5,
            status = 'ready', ready_at = now(), updated_at = now() where id = $1`,
    [datasetId, table, JSON.stringify(COLUMNS), version, rows],
  );
}

describe('datasets CRUD and access', () => {
  it('creates, lists, renames and deletes; names are unique ignoring case', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor, 'Orders 2024');
    expect(dataset).toMatchObject({ status: 'awaiting_upload', version: 0, columns: [], rowCount: null });
    const listed = await call<TListDatasetsResponse>(tenant.viewer, 'GET', '/datasets');
    expect(listed.body.datasets.map((item) => item.id)).toEqual([dataset.id]);
    const duplicate = expectError(
      await call(tenant.editor, 'POST', '/datasets', { name: 'orders 2024' }),
      409,
      'conflict',
      /already exists/,
    );
    expect(issuePaths(duplicate)).toEqual(['name']);
    const renamed = await call<TDatasetResponse>(tenant.editor, 'PATCH', `/datasets/${dataset.id}`, { name: 'Orders' });
    expect(renamed.body.dataset.name).toBe('Orders');
    expect((await call(tenant.editor, 'DELETE', `/datasets/${dataset.id}`)).status).toBe(204);
    expectError(await call(tenant.viewer, 'GET', `/datasets/${dataset.id}`), 404, 'not_found');
  });

  it("answers 404 for another tenant's dataset and 403 to a viewer's writes", async () => {
    const tenant = newTenant();
    const other = newTenant();
    const dataset = await createDataset(tenant.editor);
    for (const [method, path, body] of [
      ['GET', `/datasets/${dataset.id}`, undefined],
      ['PATCH', `/datasets/${dataset.id}`, { name: 'stolen' }],
      ['DELETE', `/datasets/${dataset.id}`, undefined],
      ['GET', `/datasets/${dataset.id}/rows`, undefined],
      ['GET', `/datasets/${dataset.id}/stats`, undefined],
      ['POST', `/datasets/${dataset.id}/query`, { y: { agg: 'count' } }],
      ['POST', `/datasets/${dataset.id}/uploads`, { fileName: 'a.csv', sizeBytes: 10 }],
      ['POST', `/datasets/${dataset.id}/ingest`, undefined],
      ['POST', '/dashboards', { name: 'x', datasetId: dataset.id }],
    ] as const) {
      expectError(await call(other.owner, method, path, body), 404, 'not_found');
    }
    expect((await call<TListDatasetsResponse>(other.owner, 'GET', '/datasets')).body.datasets).toEqual([]);
    for (const [method, path, body] of [
      ['POST', '/datasets', { name: 'viewer' }],
      ['PATCH', `/datasets/${dataset.id}`, { name: 'viewer' }],
      ['DELETE', `/datasets/${dataset.id}`, undefined],
      ['POST', `/datasets/${dataset.id}/uploads`, { fileName: 'a.csv', sizeBytes: 10 }],
      ['POST', `/datasets/${dataset.id}/ingest`, undefined],
      ['POST', '/dashboards', { name: 'x', datasetId: dataset.id }],
    ] as const) {
      expectError(await call(tenant.viewer, method, path, body), 403, 'forbidden');
    }
  });

  it('reports Postgres, Redis and S3 in readiness', async () => {
    const ready = (await (await fetch(`${service.url}/health/ready`)).json()) as { checks: { name: string }[] };
    expect(ready.checks.map((check) => check.name).sort()).toEqual(['postgres', 'redis', 's3']);
  });
});

describe('presigned uploads', () => {
  it('uploads with one presigned PUT, completes (twice) and records the file', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    const content = 'a,b\n1,2\n3,4\n';
    const created = await call<TCreateUploadResponse>(tenant.editor, 'POST', `/datasets/${dataset.id}/uploads`, {
      fileName: '../../etc/passwd\u0000.csv',
      sizeBytes: content.length,
      contentType: 'text/csv',
    });
    expect(created.status, created.text).toBe(201);
    if (created.body.mode !== 'single') throw new Error('expected single');
    const url = new URL(created.body.url);
    expect(url.pathname).toBe(
      `/${s3.bucket}/tenants/${tenant.id}/datasets/${dataset.id}/uploads/${created.body.uploadId}.csv`,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(created.body.headers).toEqual({ 'Content-Type': 'text/csv' });
    const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: content });
    expect(put.status).toBe(200);
    const path = `/datasets/${dataset.id}/uploads/${created.body.uploadId}/complete`;
    const first = await call<TDatasetResponse>(tenant.editor, 'POST', path, {});
    expect(first.status, first.text).toBe(200);
    expect(first.body.dataset).toMatchObject({ status: 'uploaded', fileName: 'passwd.csv', sizeBytes: content.length });
    const again = await call<TDatasetResponse>(tenant.editor, 'POST', path, {});
    expect(again.status).toBe(200);
    expect(again.body.dataset.updatedAt).toBe(first.body.dataset.updatedAt);
  });

  it('refuses to complete when the uploaded size differs from the declared one, or nothing was uploaded', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    const created = await call<TCreateUploadResponse>(tenant.editor, 'POST', `/datasets/${dataset.id}/uploads`, {
      fileName: 'short.csv',
      sizeBytes: 100,
    });
    if (created.body.mode !== 'single') throw new Error('expected single');
    const path = `/datasets/${dataset.id}/uploads/${created.body.uploadId}/complete`;
    expectError(await call(tenant.editor, 'POST', path, {}), 400, 'bad_request', /not been uploaded/);
    await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: 'x'.repeat(50) });
    const error = expectError(await call(tenant.editor, 'POST', path, {}), 400, 'bad_request', /50 bytes.*100 bytes/);
    expect(error.details).toEqual({ declaredBytes: 100, uploadedBytes: 50 });
    const after = await call<TDatasetResponse>(tenant.viewer, 'GET', `/datasets/${dataset.id}`);
    expect(after.body.dataset.status).toBe('awaiting_upload');
  });

  it('uploads a 12 MiB file in three presigned parts and assembles it', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    const size = 12 * MiB;
    const created = await call<TCreateUploadResponse>(tenant.editor, 'POST', `/datasets/${dataset.id}/uploads`, {
      fileName: 'big.csv',
      sizeBytes: size,
    });
    expect(created.status, created.text).toBe(201);
    if (created.body.mode !== 'multipart') throw new Error('expected multipart');
    expect(created.body.partSize).toBe(5 * MiB);
    expect(created.body.parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    const file = Buffer.alloc(size, 'a');
    const etags: { partNumber: number; etag: string }[] = [];
    for (const part of created.body.parts) {
      const start = (part.partNumber - 1) * created.body.partSize;
      const body = file.subarray(start, Math.min(size, start + created.body.partSize));
      const put = await fetch(part.url, { method: 'PUT', body });
      expect(put.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: put.headers.get('etag') ?? '' });
    }
    const completed = await call<TDatasetResponse>(
      tenant.editor,
      'POST',
      `/datasets/${dataset.id}/uploads/${created.body.uploadId}/complete`,
      { parts: etags.reverse() },
    );
    expect(completed.status, completed.text).toBe(200);
    expect(completed.body.dataset).toMatchObject({ status: 'uploaded', sizeBytes: size, fileName: 'big.csv' });
    const head = await s3Client.send(
      new HeadObjectCommand({
        Bucket: s3.bucket,
        Key: `tenants/${tenant.id}/datasets/${dataset.id}/uploads/${created.body.uploadId}.csv`,
      }),
    );
    expect(head.ContentLength).toBe(size);
  });

  it('refuses a file over the limit, naming it in bytes and human units', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    const error = expectError(
      await call(tenant.editor, 'POST', `/datasets/${dataset.id}/uploads`, {
        fileName: 'huge.csv',
        sizeBytes: 2 * 1024 * MiB,
      }),
      400,
      'validation_failed',
    );
    expect(error.message).toContain('1,073,741,824 bytes');
    expect(error.message).toContain('1 GiB');
    expect(issuePaths(error)).toEqual(['sizeBytes']);
  });

  it('aborts a pending multipart upload, which can no longer be completed', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    const created = await call<TCreateUploadResponse>(tenant.editor, 'POST', `/datasets/${dataset.id}/uploads`, {
      fileName: 'big.csv',
      sizeBytes: 6 * MiB,
    });
    expect(created.body.mode).toBe('multipart');
    const path = `/datasets/${dataset.id}/uploads/${created.body.uploadId}`;
    expect((await call(tenant.editor, 'DELETE', path)).status).toBe(204);
    expect((await call(tenant.editor, 'DELETE', path)).status).toBe(204);
    expectError(
      await call(tenant.editor, 'POST', `${path}/complete`, { parts: [{ partNumber: 1, etag: '"x"' }] }),
      409,
      'conflict',
    );
    const { rows } = await sql.query('select status from datasets.uploads where id = $1', [created.body.uploadId]);
    expect(rows[0]?.status).toBe('aborted');
  });
});

describe('ingest', () => {
  it('needs an upload, enqueues exactly one job with jobId = ingest id, and refuses a second', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    expectError(
      await call(tenant.editor, 'POST', `/datasets/${dataset.id}/ingest`),
      409,
      'conflict',
      /Upload a file first/,
    );
    await uploadSmall(tenant.editor, dataset.id, 'a,b\n1,2\n');
    const started = await call(tenant.editor, 'POST', `/datasets/${dataset.id}/ingest`);
    expect(started.status, started.text).toBe(202);
    expect(started.body).toEqual({ status: 'processing', datasetId: dataset.id });
    const { rows } = await sql.query<{ id: string; target_version: number; status: string }>(
      'select id, target_version, status from datasets.ingests where dataset_id = $1',
      [dataset.id],
    );
    expect(rows).toHaveLength(1);
    const ingest = rows[0]!;
    expect(ingest).toMatchObject({ target_version: 1, status: 'queued' });
    const job = await queue.getJob(ingest.id);
    expect(job?.name).toBe('dataset.ingest');
    expect(job?.data).toMatchObject({ tenantId: tenant.id, datasetId: dataset.id, ingestId: ingest.id });
    expect(job?.opts.attempts).toBe(5);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 2000 });
    const second = expectError(await call(tenant.editor, 'POST', `/datasets/${dataset.id}/ingest`), 409, 'conflict');
    expect(second.message).toContain(ingest.id);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    expect(jobs.filter((candidate) => candidate.data.datasetId === dataset.id)).toHaveLength(1);
    const shown = await call<TDatasetResponse>(tenant.viewer, 'GET', `/datasets/${dataset.id}`);
    expect(shown.body.dataset).toMatchObject({ status: 'processing', progress: { rowsDone: 0, percent: 0 } });
    // The realtime event went out on the tenant's stream.
    const events = await redis.xrange(`ed:events:${tenant.id}`, '-', '+');
    expect(events.map(([, fields]) => JSON.parse(fields[1] ?? '{}').event.status)).toContain('processing');
    // Deleting the dataset drops its queued job, so the worker never runs it.
    expect((await call(tenant.editor, 'DELETE', `/datasets/${dataset.id}`)).status).toBe(204);
    expect(await queue.getJob(ingest.id)).toBeUndefined();
  });
});

describe('rows, stats and panel queries', () => {
  const tenant = newTenant();
  let dataset: TDataset;
  const rowsOf = async (query: Record<string, string | number>) => {
    const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
    return call<TDatasetRowsPage>(tenant.viewer, 'GET', `/datasets/${dataset.id}/rows?${search}`);
  };
  const filtered = async (filters: TDatasetFilter[], extra: Record<string, string | number> = {}) => {
    const answer = await rowsOf({ filters: JSON.stringify(filters), ...extra });
    expect(answer.status, answer.text).toBe(200);
    return ZDatasetRowsPage.parse(answer.body);
  };
  const panel = async (query: Partial<TPanelQuery> & Pick<TPanelQuery, 'y'>) => {
    const answer = await call<TPanelQueryResult>(tenant.viewer, 'POST', `/datasets/${dataset.id}/query`, query);
    expect(answer.status, answer.text).toBe(200);
    return ZPanelQueryResult.parse(answer.body);
  };

  beforeAll(async () => {
    dataset = await createDataset(tenant.editor);
    await seedVersion(tenant.id, dataset.id, 1, 5000);
  });

  it('answers empty pages and no points before any data', async () => {
    const empty = await createDataset(tenant.editor);
    const rows = await call<TDatasetRowsPage>(tenant.viewer, 'GET', `/datasets/${empty.id}/rows`);
    expect(rows.body).toMatchObject({ version: 0, total: 0, rows: [] });
    const stats = await call(tenant.viewer, 'GET', `/datasets/${empty.id}/stats`);
    expect(stats.body).toEqual({ version: 0, columns: [], rollups: [] });
    const points = await call<TPanelQueryResult>(tenant.viewer, 'POST', `/datasets/${empty.id}/query`, {
      y: { agg: 'count' },
    });
    expect(points.body).toMatchObject({ version: 0, points: [] });
  });

  it('pages rows in file order with typed values', async () => {
    const answer = await rowsOf({ pageSize: 3 });
    expect(answer.status, answer.text).toBe(200);
    const page = ZDatasetRowsPage.parse(answer.body);
    expect(page).toMatchObject({ version: 1, page: 1, pageSize: 3, total: 5000 });
    expect(page.rows[0]).toEqual({
      _row: 1,
      c1: '2024-01-01T00:00:00.000Z',
      c2: 'alpha',
      c3: 1.5,
      c4: 1,
      c5: false,
      c6: '2024-02-02',
    });
    const third = ZDatasetRowsPage.parse((await rowsOf({ page: 3, pageSize: 100 })).body);
    expect(third.rows[0]?._row).toBe(201);
  });

  it('filters, sorts and counts with the same filters', async () => {
    const alpha = await filtered([{ column: 'c2', op: 'eq', value: 'alpha' }], { pageSize: 5 });
    expect(alpha.total).toBe(1000);
    expect(alpha.rows.every((row) => row.c2 === 'alpha')).toBe(true);
    expect((await filtered([{ column: 'c4', op: 'between', value: [10, 12] }])).total).toBe(300);
    expect((await filtered([{ column: 'c2', op: 'in', value: ['beta', 'gamma'] }])).total).toBe(2000);
    expect((await filtered([{ column: 'c2', op: 'contains', value: 'PSI' }])).total).toBe(1000);
    expect((await filtered([{ column: 'c6', op: 'is_null' }])).total).toBe(50);
    expect((await filtered([{ column: 'c5', op: 'eq', value: true }])).total).toBe(2500);
    expect((await filtered([{ column: 'c3', op: 'gt', value: '7497' }])).total).toBe(2);
    expect(
      (
        await filtered([
          { column: 'c1', op: 'lt', value: '2024-01-02T00:00:00Z' },
          { column: 'c4', op: 'gte', value: 20 },
        ])
      ).total,
    ).toBe(5);
    expect((await filtered([{ column: 'c2', op: 'contains', value: '%' }])).total).toBe(0);
    const sorted = await filtered([{ column: 'c2', op: 'eq', value: 'beta' }], {
      sort: 'c3',
      dir: 'desc',
      page: 2,
      pageSize: 10,
    });
    const amounts = sorted.rows.map((row) => row.c3 as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(amounts[0]).toBe(4947 * 1.5); // beta rows are i ≡ 2 (mod 5); page 2 starts at the 11th largest
    // Ties on the sort column break by file order, so pages never overlap.
    const byQty1 = await filtered([], { sort: 'c4', page: 1, pageSize: 50 });
    const byQty2 = await filtered([], { sort: 'c4', page: 2, pageSize: 50 });
    expect(byQty1.rows.map((row) => row._row)).toEqual(
      Array.from({ length: 50 }, (_, index) => 50 * (index + 1)).slice(0, 50),
    );
    const seen = new Set(byQty1.rows.map((row) => row._row));
    expect(byQty2.rows.some((row) => seen.has(row._row))).toBe(false);
  });

  it('answers 400 with the field path to bad filters and sorts', async () => {
    expect(issuePaths(expectError(await rowsOf({ filters: '[{' }), 400, 'validation_failed'))).toEqual(['filters']);
    expect(
      issuePaths(
        expectError(
          await rowsOf({ filters: JSON.stringify([{ column: 'c99', op: 'eq', value: 1 }]) }),
          400,
          'validation_failed',
        ),
      ),
    ).toEqual(['filters.0.column']);
    expect(
      issuePaths(
        expectError(
          await rowsOf({
            filters: JSON.stringify([
              { column: 'c2', op: 'eq', value: 'a' },
              { column: 'c4', op: 'gt', value: 'abc' },
            ]),
          }),
          400,
          'validation_failed',
        ),
      ),
    ).toEqual(['filters.1.value']);
    expect(
      issuePaths(
        expectError(
          await rowsOf({ filters: JSON.stringify([{ column: 'c4', op: 'between', value: [1] }]) }),
          400,
          'validation_failed',
        ),
      ),
    ).toEqual(['filters.0.value']);
    expect(
      issuePaths(
        expectError(
          await rowsOf({ filters: JSON.stringify([{ column: 'c1', op: 'eq', value: 'yesterday' }]) }),
          400,
          'validation_failed',
        ),
      ),
    ).toEqual(['filters.0.value']);
    expect(
      issuePaths(
        expectError(
          await rowsOf({ filters: JSON.stringify([{ column: 'c1; drop table x', op: 'eq', value: 1 }]) }),
          400,
          'validation_failed',
        ),
      ),
    ).toEqual(['filters.0.column']);
    expect(issuePaths(expectError(await rowsOf({ sort: 'c99' }), 400, 'validation_failed'))).toEqual(['sort']);
    expectError(await rowsOf({ sort: '"_row"; drop table x' }), 400, 'validation_failed');
  });

  it('never executes hostile filter values', async () => {
    const hostile = `'); drop table ${tableOf(tenant.id, dataset.id, 1)}; --`;
    expect((await filtered([{ column: 'c2', op: 'eq', value: hostile }])).total).toBe(0);
    expect((await filtered([{ column: 'c2', op: 'in', value: [hostile, 'alpha'] }])).total).toBe(1000);
    expect((await filtered([{ column: 'c2', op: 'contains', value: hostile }])).total).toBe(0);
    const points = await panel({ y: { agg: 'count' }, filters: [{ column: 'c2', op: 'neq', value: hostile }] });
    expect(points.points[0]?.value).toBe(5000);
    const { rows } = await sql.query(`select count(*)::int as n from ${tableOf(tenant.id, dataset.id, 1)}`);
    expect(rows[0]?.n).toBe(5000);
  });

  it('answers time buckets, top categories and groups', async () => {
    const byDay = await panel({ x: { kind: 'time', column: 'c1', grain: 'day' }, y: { agg: 'count' } });
    expect(byDay.points).toHaveLength(Math.ceil(5000 / 24));
    expect(byDay.points[0]).toEqual({ x: '2024-01-01T00:00:00.000Z', group: null, value: 24 });
    expect(byDay.points[1]?.x).toBe('2024-01-02T00:00:00.000Z');
    const byMonth = await panel({ x: { kind: 'time', column: 'c1', grain: 'month' }, y: { agg: 'sum', column: 'c4' } });
    expect(byMonth.points.map((point) => point.x)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
      '2024-05-01T00:00:00.000Z',
      '2024-06-01T00:00:00.000Z',
      '2024-07-01T00:00:00.000Z',
    ]);
    const top = await panel({ x: { kind: 'category', column: 'c2', limit: 2 }, y: { agg: 'sum', column: 'c3' } });
    // epsilon rows are i = 5, 10, …: the largest amounts.
    expect(top.points.map((point) => point.x)).toEqual(['epsilon', 'delta']);
    expect(top.points[0]?.value).toBe(
      Array.from({ length: 1000 }, (_, k) => 5 * (k + 1) * 1.5).reduce((a, b) => a + b),
    );
    const grouped = await panel({
      x: { kind: 'time', column: 'c1', grain: 'month' },
      y: { agg: 'count' },
      groupBy: { column: 'c5', limit: 10 },
      filters: [{ column: 'c1', op: 'lt', value: '2024-02-01T00:00:00Z' }],
    });
    expect(grouped.points).toEqual([
      { x: '2024-01-01T00:00:00.000Z', group: 'false', value: 372 },
      { x: '2024-01-01T00:00:00.000Z', group: 'true', value: 372 },
    ]);
    const pie = await panel({
      x: { kind: 'category', column: 'c2', limit: 3 },
      y: { agg: 'avg', column: 'c4' },
      groupBy: { column: 'c5', limit: 1 },
    });
    expect(new Set(pie.points.map((point) => point.group)).size).toBe(1);
    expect(new Set(pie.points.map((point) => point.x)).size).toBe(3);
    const single = await panel({ y: { agg: 'max', column: 'c3' } });
    expect(single.points).toEqual([{ x: null, group: null, value: 7500 }]);
    const byGroup = await panel({ y: { agg: 'count' }, groupBy: { column: 'c2', limit: 2 } });
    expect(byGroup.points).toHaveLength(2);
  });

  it('refuses panel queries that do not fit the columns', async () => {
    const bad = await call(tenant.viewer, 'POST', `/datasets/${dataset.id}/query`, {
      x: { kind: 'time', column: 'c2', grain: 'day' },
      y: { agg: 'sum', column: 'c2' },
      groupBy: { column: 'c42' },
      filters: [{ column: 'c4', op: 'eq', value: 'many' }],
    });
    expect(issuePaths(expectError(bad, 400, 'validation_failed')).sort()).toEqual(
      ['filters.0.value', 'groupBy.column', 'x.column', 'y.column'].sort(),
    );
    expectError(
      await call(tenant.viewer, 'POST', `/datasets/${dataset.id}/query`, { y: { agg: 'sum' } }),
      400,
      'validation_failed',
    );
  });

  it('caches per data version and drops the cache when a new version is swapped in', async () => {
    const query: TPanelQuery = {
      x: { kind: 'category', column: 'c2', limit: 10 },
      y: { agg: 'count' },
      groupBy: null,
      filters: [
        { column: 'c4', op: 'gte', value: 1 },
        { column: 'c5', op: 'eq', value: true },
      ],
    };
    const cold = await panel(query);
    expect(cold.cached).toBe(false);
    const warm = await panel(query);
    expect(warm.cached).toBe(true);
    expect(warm.points).toEqual(cold.points);
    // Same query, other key order and filter order: same cache entry.
    const reordered = await panel({
      filters: [...query.filters].reverse(),
      y: { agg: 'count' },
      x: { column: 'c2', kind: 'category', limit: 10 },
    });
    expect(reordered.cached).toBe(true);
    const v1Keys = await redis.keys(`ed:dsq:${tenant.id}:${dataset.id}:v1:*`);
    expect(v1Keys.length).toBeGreaterThan(0);

    // Identical concurrent queries share one statement.
    const fresh: TPanelQuery = { ...query, x: { kind: 'category', column: 'c2', limit: 3 } };
    const results = await Promise.all(Array.from({ length: 5 }, () => panel(fresh)));
    expect(new Set(results.map((result) => JSON.stringify(result.points))).size).toBe(1);

    // The worker swaps version 2 in and drops version 1.
    await seedVersion(tenant.id, dataset.id, 2, 10);
    await sql.query(`drop table ${tableOf(tenant.id, dataset.id, 1)}`);
    const after = await panel(query);
    expect(after).toMatchObject({ version: 2, cached: false });
    expect(after.points.reduce((sum, point) => sum + (point.value ?? 0), 0)).toBe(5);
    expect(await redis.keys(`ed:dsq:${tenant.id}:${dataset.id}:v1:*`)).toEqual([]);
    expect((await panel(query)).cached).toBe(true);
    const rows = ZDatasetRowsPage.parse((await rowsOf({})).body);
    expect(rows).toMatchObject({ version: 2, total: 10 });
  });

  it('answers the statistics of the live version', async () => {
    const current = (await call<TDatasetResponse>(tenant.viewer, 'GET', `/datasets/${dataset.id}`)).body.dataset;
    const before = await call(tenant.viewer, 'GET', `/datasets/${dataset.id}/stats`);
    expect(before.body).toEqual({ version: current.version, columns: [], rollups: [] });
    const columns = [
      {
        key: 'c4',
        count: 10,
        nulls: 0,
        distinct: 10,
        min: 1,
        max: 10,
        histogram: [{ from: 1, to: 10, count: 10 }],
        topValues: null,
      },
    ];
    const rollups = [{ key: 'c1', grain: 'day', points: [{ t: '2024-01-01T00:00:00.000Z', count: 10 }] }];
    await sql.query(
      'insert into datasets.dataset_stats (dataset_id, version, tenant_id, columns, rollups) values ($1, $2, $3, $4, $5)',
      [dataset.id, current.version, tenant.id, JSON.stringify(columns), JSON.stringify(rollups)],
    );
    const after = await call(tenant.viewer, 'GET', `/datasets/${dataset.id}/stats`);
    expect(after.body).toEqual({ version: current.version, columns, rollups });
  });
});

describe('slow panel queries', () => {
  /** A "data table" that is a view sleeping `seconds` before answering one row. */
  async function sleepyDataset(tenantId: string, who: Member, seconds: number): Promise<TDataset> {
    const dataset = await createDataset(who);
    const table = tableOf(tenantId, dataset.id, 1);
    await sql.query(`create schema if not exists "ds_${hex(tenantId)}"`);
    await sql.query(
      `create view ${table} as select 1::bigint as _row, now() as c1, 'a'::text as c2, 1::numeric as c3,
         1::bigint as c4, true as c5, current_date as c6 from pg_sleep(${seconds})`,
    );
    await sql.query(
      "update datasets.datasets set live_table = $2, columns = $3::jsonb, version = 1, row_count = 1, status = 'ready' where id = $1",
      [dataset.id, table, JSON.stringify(COLUMNS)],
    );
    return dataset;
  }

  const running = async (datasetId: string) => {
    const { rows } = await sql.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where application_name = 'svc-datasets' and state = 'active' and query like $1",
      [`%d_${hex(datasetId)}_v1%`],
    );
    return rows[0]?.n ?? 0;
  };

  it('stops a query that runs longer than QUERY_TIMEOUT_MS', async () => {
    const tenant = newTenant();
    const dataset = await sleepyDataset(tenant.id, tenant.editor, 4);
    const started = Date.now();
    const answer = await call(tenant.viewer, 'POST', `/datasets/${dataset.id}/query`, { y: { agg: 'count' } });
    expectError(answer, 503, 'query_timeout', /took too long/);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(await running(dataset.id)).toBe(0);
  });

  it('cancels the statement when the client goes away', async () => {
    const tenant = newTenant();
    const dataset = await sleepyDataset(tenant.id, tenant.editor, 1.8);
    const controller = new AbortController();
    const token = await signInternalToken('svc-datasets', {
      userId: tenant.viewer.userId,
      email: tenant.viewer.email,
      tenantId: tenant.id,
      role: 'viewer',
    });
    const request = fetch(`${service.url}/datasets/${dataset.id}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-context': token },
      body: JSON.stringify({ y: { agg: 'count' } }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    for (let waited = 0; (await running(dataset.id)) === 0 && waited < 50; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await running(dataset.id)).toBe(1);
    controller.abort();
    expect(await request).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await running(dataset.id)).toBe(0);
  });
});

describe('dashboards', () => {
  const panelOf = (query: Partial<TPanelQuery> & Pick<TPanelQuery, 'y'>, index = 0) => ({
    id: randomUUID(),
    title: `Panel ${index}`,
    type: 'bar',
    query: { x: null, groupBy: null, filters: [], ...query },
    layout: { x: 0, y: index * 4, w: 6, h: 4 },
  });

  it('creates, saves with revisions, refuses stale saves and bad panels, and goes with its dataset', async () => {
    const tenant = newTenant();
    const other = newTenant();
    const dataset = await createDataset(tenant.editor);
    await seedVersion(tenant.id, dataset.id, 1, 100);
    const created = await call<TDashboardResponse>(tenant.editor, 'POST', '/dashboards', {
      name: 'Revenue',
      datasetId: dataset.id,
    });
    expect(created.status, created.text).toBe(201);
    const dashboard: TDashboard = created.body.dashboard;
    expect(dashboard).toMatchObject({ revision: 1, panels: [], filters: [] });
    expectError(
      await call(tenant.editor, 'POST', '/dashboards', { name: 'REVENUE', datasetId: dataset.id }),
      409,
      'conflict',
    );
    expectError(
      await call(tenant.editor, 'POST', '/dashboards', { name: 'x', datasetId: randomUUID() }),
      404,
      'not_found',
    );

    const panels = [
      panelOf({ x: { kind: 'time', column: 'c1', grain: 'day' }, y: { agg: 'count' } }, 0),
      panelOf({ x: { kind: 'category', column: 'c2', limit: 5 }, y: { agg: 'sum', column: 'c3' } }, 1),
    ];
    const saved = await call<TDashboardResponse>(tenant.editor, 'PUT', `/dashboards/${dashboard.id}`, {
      baseRevision: 1,
      name: 'Revenue 2024',
      filters: [{ column: 'c5', op: 'eq', value: true }],
      panels,
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.dashboard).toMatchObject({ revision: 2, name: 'Revenue 2024' });
    expect(saved.body.dashboard.panels).toHaveLength(2);

    const stale = expectError(
      await call(tenant.editor, 'PUT', `/dashboards/${dashboard.id}`, {
        baseRevision: 1,
        name: 'Mine',
        filters: [],
        panels: [],
      }),
      409,
      'conflict',
    );
    expect((stale.details as { latest: TDashboard }).latest).toMatchObject({ revision: 2, name: 'Revenue 2024' });

    const invalid = expectError(
      await call(tenant.editor, 'PUT', `/dashboards/${dashboard.id}`, {
        baseRevision: 2,
        name: 'Revenue 2024',
        filters: [{ column: 'c77', op: 'eq', value: 1 }],
        panels: [
          ...panels,
          panelOf({ y: { agg: 'avg', column: 'c99' } }, 2),
          panelOf({ y: { agg: 'sum', column: 'c2' } }, 3),
        ],
      }),
      400,
      'validation_failed',
    );
    expect(issuePaths(invalid).sort()).toEqual([
      'filters.0.column',
      'panels.2.query.y.column',
      'panels.3.query.y.column',
    ]);

    const listed = await call<TListDashboardsResponse>(tenant.viewer, 'GET', '/dashboards');
    expect(listed.body.dashboards).toEqual([
      expect.objectContaining({ id: dashboard.id, panelCount: 2, datasetId: dataset.id }),
    ]);
    expect(
      (await call<TListDashboardsResponse>(tenant.viewer, 'GET', `/dashboards?datasetId=${randomUUID()}`)).body
        .dashboards,
    ).toEqual([]);
    expectError(await call(other.owner, 'GET', `/dashboards/${dashboard.id}`), 404, 'not_found');
    expectError(
      await call(other.owner, 'PUT', `/dashboards/${dashboard.id}`, {
        baseRevision: 2,
        name: 'x',
        filters: [],
        panels: [],
      }),
      404,
      'not_found',
    );
    expectError(await call(tenant.viewer, 'DELETE', `/dashboards/${dashboard.id}`), 403, 'forbidden');

    // Deleting the dataset removes its dashboards, its data tables and its uploaded objects.
    const withFile = await uploadSmall(tenant.editor, dataset.id, 'x,y\n1,2\n');
    expect(withFile.fileName).toBe('sales.csv');
    const { rows: uploads } = await sql.query<{ object_key: string }>(
      'select object_key from datasets.uploads where dataset_id = $1',
      [dataset.id],
    );
    expect((await call(tenant.editor, 'DELETE', `/datasets/${dataset.id}`)).status).toBe(204);
    expectError(await call(tenant.viewer, 'GET', `/dashboards/${dashboard.id}`), 404, 'not_found');
    const { rows: tables } = await sql.query('select to_regclass($1) as t', [tableOf(tenant.id, dataset.id, 1)]);
    expect(tables[0]?.t).toBeNull();
    await expect(
      s3Client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: uploads[0]!.object_key })),
    ).rejects.toThrow();
  });

  it('deletes a dashboard', async () => {
    const tenant = newTenant();
    const dataset = await createDataset(tenant.editor);
    const created = await call<TDashboardResponse>(tenant.editor, 'POST', '/dashboards', {
      name: 'D',
      datasetId: dataset.id,
    });
    expect((await call(tenant.editor, 'DELETE', `/dashboards/${created.body.dashboard.id}`)).status).toBe(204);
    expectError(await call(tenant.editor, 'DELETE', `/dashboards/${created.body.dashboard.id}`), 404, 'not_found');
  });
});

import { gzipSync, deflateRawSync } from 'node:zlib';
import pg from 'pg';
import { beforeAll, describe, expect, inject } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp } from '../support/api-client.js';
import { attackSuite } from './support/report.js';
import { expectStatus, waitForDataset } from './support/world.js';

/**
 * Upload attacks against the presigned-upload flow of svc-datasets and the ingest of the worker:
 * a declared size over the limit, more bytes than declared, hostile content types, archives
 * that would expand to far more than they weigh (gzip / zip bombs), binary files named .csv,
 * and hostile file names. Object keys are built from ids only, never from user text.
 */
const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');
const stackEnv = inject('stackEnv');
const attack = attackSuite('Uploads');

let client: ApiClient;

async function newDataset(name: string): Promise<string> {
  const created = await expectStatus(
    client.post<{ dataset: { id: string } }>('/api/datasets', { name }),
    201,
    'dataset',
  );
  return created.dataset.id;
}

/** Presign, PUT `bytes` (declaring `declared` bytes), complete; returns the complete answer. */
async function upload(datasetId: string, bytes: Buffer, options: { declared?: number; fileName?: string } = {}) {
  const presigned = await expectStatus(
    client.post<{ uploadId: string; url: string; headers: Record<string, string> }>(
      `/api/datasets/${datasetId}/uploads`,
      {
        fileName: options.fileName ?? 'data.csv',
        sizeBytes: options.declared ?? bytes.length,
        contentType: 'text/csv',
      },
    ),
    201,
    'presign',
  );
  const put = await fetch(presigned.url, { method: 'PUT', headers: presigned.headers, body: new Uint8Array(bytes) });
  const complete = await client.post(`/api/datasets/${datasetId}/uploads/${presigned.uploadId}/complete`, {
    parts: [],
  });
  return { presigned, put, complete };
}

async function ingestAndWait(datasetId: string) {
  await expectStatus(client.post(`/api/datasets/${datasetId}/ingest`), 202, 'ingest');
  return waitForDataset(client, datasetId, 60_000);
}

beforeAll(async () => {
  client = new ApiClient(gatewayUrl, origin);
  await signUp(client, 'uploads');
  client.tenantId = await createTenant(client, 'Uploads workspace');
});

describe('upload attacks', () => {
  attack(
    'Declared size over the limit',
    'POST /datasets/:id/uploads declaring 6 GiB (limit 5 GiB), 0 bytes and a negative size',
    async () => {
      const datasetId = await newDataset('Too big');
      const huge = await client.post(`/api/datasets/${datasetId}/uploads`, {
        fileName: 'huge.csv',
        sizeBytes: 6 * 1024 ** 3,
        contentType: 'text/csv',
      });
      expect(huge.status).toBe(400);
      const issues = (errorOf(huge).details as { issues: { path: string; message: string }[] }).issues;
      expect(issues[0]?.path).toBe('sizeBytes');
      expect(issues[0]?.message).toMatch(/5 GB limit/);
      for (const sizeBytes of [0, -1]) {
        const response = await client.post(`/api/datasets/${datasetId}/uploads`, { fileName: 'a.csv', sizeBytes });
        expect(response.status).toBe(400);
      }
      return `400 with sizeBytes: "${issues[0]?.message}"; 0 and negative sizes → 400`;
    },
  );

  attack(
    'More bytes than declared',
    'presign for 10 bytes, PUT 64 KiB to the URL (local S3 does not enforce the signed length), then complete',
    async () => {
      const datasetId = await newDataset('Liar');
      const { complete } = await upload(datasetId, Buffer.alloc(64 * 1024, 'a,b\n'), { declared: 10 });
      expect(complete.status).toBeGreaterThanOrEqual(400);
      expect(complete.status).toBeLessThan(500);
      return `complete → ${complete.status}: "${errorOf(complete).message}"`;
    },
  );

  attack(
    'Wrong or hostile content type',
    'presign with text/html, image/svg+xml, a header-injection attempt and an over-long type; the signed Content-Type is read back',
    async () => {
      const datasetId = await newDataset('Content types');
      const results: string[] = [];
      for (const contentType of ['text/html', 'image/svg+xml', 'text/csv\r\nX-Injected: 1', 'a/'.padEnd(300, 'b')]) {
        const response = await client.post<{ headers: Record<string, string> }>(`/api/datasets/${datasetId}/uploads`, {
          fileName: 'x.csv',
          sizeBytes: 10,
          contentType,
        });
        const shown = JSON.stringify(contentType.slice(0, 20));
        if (contentType.includes('\r\n')) {
          // Malformed: never signed as given, replaced by text/csv.
          expect(response.status).toBe(201);
          expect(response.body.headers['Content-Type']).toBe('text/csv');
          results.push(`${shown} → 201 signed as text/csv`);
          continue;
        }
        expect(response.status, shown).toBe(400);
        const issues = (errorOf(response).details as { issues: { path: string }[] }).issues;
        expect(issues.map((issue) => issue.path)).toContain('contentType');
        results.push(`${shown} → 400 contentType`);
      }
      return results.join('; ');
    },
  );

  attack(
    'gzip bomb',
    'a gzip of 64 MiB of CSV rows (~64 KiB compressed) uploaded as data.csv and ingested',
    async () => {
      const datasetId = await newDataset('Gzip bomb');
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, '1,2,3\n'), { level: 9 });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const { complete } = await upload(datasetId, bomb);
      expect(complete.status).toBe(200);
      const result = await ingestAndWait(datasetId);
      expect(result.status).toBe('failed');
      expect(result.failureReason).toMatch(/not a CSV.*gzip/i);
      expect(result.rowCount ?? 0).toBe(0);
      return `${bomb.length} bytes → ingest failed without expanding: "${result.failureReason}"`;
    },
    90_000,
  );

  attack(
    'zip bomb',
    'a ZIP local header followed by 64 MiB deflated to ~64 KiB, uploaded as data.csv and ingested',
    async () => {
      const datasetId = await newDataset('Zip bomb');
      const header = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]);
      const bomb = Buffer.concat([header, deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 'a,b\n'), { level: 9 })]);
      const { complete } = await upload(datasetId, bomb);
      expect(complete.status).toBe(200);
      const result = await ingestAndWait(datasetId);
      expect(result.status).toBe('failed');
      expect(result.failureReason).toMatch(/not a CSV.*ZIP/i);
      return `${bomb.length} bytes → ingest failed: "${result.failureReason}"`;
    },
    90_000,
  );

  attack(
    'Binary file named .csv',
    'random bytes with NULs uploaded as data.csv and ingested',
    async () => {
      const datasetId = await newDataset('Binary');
      const bytes = Buffer.alloc(4096);
      for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 131) % 256;
      await upload(datasetId, bytes);
      const result = await ingestAndWait(datasetId);
      expect(result.status).toBe('failed');
      expect(result.failureReason).toMatch(/not a CSV/i);
      return `ingest failed: "${result.failureReason}"`;
    },
    60_000,
  );

  attack(
    'Path tricks and hostile file names',
    'file names ../../etc/passwd.csv, ..\\..\\win.ini, a NUL, control characters, "..", 300 characters; then the stored name and object key are read back',
    async () => {
      const datasetId = await newDataset('Names');
      const names = ['../../etc/passwd.csv', '..\\..\\win.ini', 'a\u0000b.csv', 'x\r\ny.csv', '..', 'n'.repeat(300)];
      const results: string[] = [];
      const uploadIds: string[] = [];
      for (const fileName of names) {
        const response = await client.post<{ uploadId: string; url: string }>(`/api/datasets/${datasetId}/uploads`, {
          fileName,
          sizeBytes: 10,
          contentType: 'text/csv',
        });
        if (response.status === 400) {
          const issues = (errorOf(response).details as { issues: { path: string }[] }).issues;
          expect(issues.map((issue) => issue.path)).toContain('fileName');
          results.push(`${JSON.stringify(fileName.slice(0, 24))} → 400 fileName`);
          continue;
        }
        expect(response.status).toBe(201);
        // The presigned URL's path is made of ids only.
        const urlPath = decodeURIComponent(new URL(response.body.url).pathname);
        expect(urlPath).not.toMatch(/passwd|win\.ini|\.\.|nnnn/);
        uploadIds.push(response.body.uploadId);
        results.push(`${JSON.stringify(fileName.slice(0, 24))} → 201`);
      }
      const db = new pg.Client({ connectionString: stackEnv.DATABASE_URL });
      await db.connect();
      try {
        const stored = await db.query<{ file_name: string; object_key: string }>(
          'select file_name, object_key from datasets.uploads where id = any($1)',
          [uploadIds],
        );
        expect(stored.rowCount).toBe(uploadIds.length);
        for (const row of stored.rows) {
          expect(row.object_key).toMatch(/^[A-Za-z0-9/_.-]+$/);
          expect(row.object_key).not.toMatch(/passwd|win|\.\.|nnnn/);
          // eslint-disable-next-line no-control-regex
          expect(row.file_name).not.toMatch(/[\u0000-\u001f/\\]/);
          expect(row.file_name).not.toBe('..');
        }
        results.push(
          `stored names: ${stored.rows.map((row) => JSON.stringify(row.file_name.slice(0, 24))).join(', ')}`,
        );
      } finally {
        await db.end();
      }
      return results.join('; ');
    },
  );
});

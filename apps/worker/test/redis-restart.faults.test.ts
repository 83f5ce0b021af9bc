import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../../../tests/support/private-redis.js';
import { reliabilitySuite } from '../../../tests/support/reliability.js';
import { createDataset, createHarness, datasetState, ingestFile, waitForIngest, type Harness } from './harness.js';

/**
 * Redis dies (SIGKILL) while the worker is ingesting, and comes back empty — these machines run it
 * without persistence, so every queued job and lock is gone. The worker reports not-ready, then
 * ready again by itself; the job reconciler re-enqueues from the rows in Postgres; every ingest
 * finishes exactly once (each live table holds exactly its file's rows).
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function csv(rows: number, label: string): string {
  const lines = ['id,label,amount'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${label} ${i % 50},${(i % 1000) / 4}`);
  return lines.join('\n') + '\n';
}

async function readyStatus(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/health/ready`)).status;
  } catch {
    return 0;
  }
}

async function eventuallyReady(url: string, want: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await readyStatus(url);
    if (status === want || Date.now() > deadline) return status;
    await sleep(200);
  }
}

describe('fault: Redis restarts during ingests', () => {
  const fault = reliabilitySuite('faults', 'Redis');
  let redis: PrivateRedis;
  let h: Harness;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    h = await createHarness(
      'faults_redis',
      {
        INGEST_CONCURRENCY: '1',
        INGEST_LOCK_DURATION_MS: '3000',
        RECOVERY_INTERVAL_MS: '500',
        RECOVERY_GRACE_MS: '1000',
      },
      redis.url,
    );
  });

  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  fault(
    'Redis killed and restarted empty during ingests',
    'a private redis-server gets SIGKILL while one ingest runs and two wait in its queue; restarted 1 s later with nothing in it',
    async () => {
      const files = [
        { rows: 400_000, label: 'first' },
        { rows: 20_000, label: 'second' },
        { rows: 30_000, label: 'third' },
      ];
      const ingests: { datasetId: string; ingestId: string; rows: number }[] = [];
      for (const file of files) {
        const ref = await createDataset(h);
        const { ingestId } = await ingestFile(h, ref, csv(file.rows, file.label));
        ingests.push({ datasetId: ref.datasetId, ingestId, rows: file.rows });
      }
      // Kill Redis once the first (large) ingest is running; the others are still queued in Redis.
      const first = ingests[0]!;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { rows } = await h.sql.query<{ status: string }>('select status from datasets.ingests where id = $1', [
          first.ingestId,
        ]);
        if (rows[0]?.status === 'running') break;
        if (Date.now() > deadline) throw new Error(`the first ingest never started:\n${h.worker.logs().slice(-3000)}`);
        await sleep(20);
      }
      await redis.kill();
      expect(await eventuallyReady(h.worker.url, 503)).toBe(503);
      await sleep(1_000);
      await redis.start();
      expect(await eventuallyReady(h.worker.url, 200)).toBe(200);

      for (const ingest of ingests) {
        const result = await waitForIngest(h, ingest.ingestId, 90_000);
        expect(result, `ingest of ${ingest.rows} rows`).toMatchObject({ status: 'succeeded', failure_reason: null });
        const state = await datasetState(h, ingest.datasetId);
        expect(state.status).toBe('ready');
        const idColumn = state.columns.find((column) => column.name === 'id')?.key;
        const { rows } = await h.sql.query<{ n: string; distinct_ids: string }>(
          `select count(*) as n, count(distinct "${idColumn}") as distinct_ids from ${state.live_table}`,
        );
        expect(rows[0]).toEqual({ n: String(ingest.rows), distinct_ids: String(ingest.rows) });
      }
      // The queued jobs really were lost with Redis and came back through the reconciler.
      expect(h.worker.logs()).toContain('ingest job was missing from the queue; re-enqueued');
      // The worker process survived the outage: nothing was restarted by hand.
      expect(h.worker.process.exitCode).toBeNull();
      const requeued = h.worker.logs().split('ingest job was missing from the queue; re-enqueued').length - 1;
      return `worker not ready (503) while Redis was down, ready again by itself; ${requeued} lost job(s) re-enqueued from Postgres; all 3 ingests finished with exactly their rows`;
    },
  );
});

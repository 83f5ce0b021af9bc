import { ZColumnStats, ZTimeRollup } from '@elasticdash/contracts/datasets/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataset,
  createHarness,
  dataTables,
  datasetState,
  ingestFile,
  waitForIngest,
  type Harness,
} from './harness.js';
import { reliabilitySuite } from '../../../tests/support/reliability.js';

/** Crash recovery and the atomic swap, against the built worker (real Postgres, Redis, s3rver). */
let h: Harness;
const fault = reliabilitySuite('faults', 'Ingest worker');

beforeAll(async () => {
  // A short lock so a killed worker's job is re-delivered within seconds (default 30 s).
  h = await createHarness('worker_resilience', { INGEST_LOCK_DURATION_MS: '3000' });
});

afterAll(async () => {
  await h?.close();
});

function csv(rows: number, label: string): string {
  // Built in chunks of 100,000 lines so millions of rows do not need one array entry per line.
  const chunks = ['id,label,amount,day\n'];
  for (let start = 1; start <= rows; start += 100_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + 100_000, rows + 1); i++)
      lines.push(`${i},${label} ${i % 100},${(i % 1000) / 4},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    chunks.push(lines.join('\n') + '\n');
  }
  return chunks.join('');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('dataset.ingest resilience', () => {
  fault(
    'Worker SIGKILLed mid-ingest',
    'a 1,000,000-row CSV ingest; the worker gets SIGKILL once the COPY has saved progress, then a new worker starts',
    async () => {
      const ref = await createDataset(h);
      const rows = 1_000_000;
      const { ingestId } = await ingestFile(h, ref, csv(rows, 'kill'));
      // Wait until the COPY is under way (progress saved), then kill the worker without warning.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = await datasetState(h, ref.datasetId);
        const done = (state.progress as { rowsDone?: number } | null)?.rowsDone ?? 0;
        if (done > 0) break;
        if (Date.now() > deadline) throw new Error(`no progress:\n${h.worker.logs().slice(-3000)}`);
        await sleep(20);
      }
      h.worker.process.kill('SIGKILL');
      await new Promise((resolve) => h.worker.process.once('exit', resolve));
      const interrupted = await h.sql.query<{ status: string }>('select status from datasets.ingests where id = $1', [
        ingestId,
      ]);
      expect(interrupted.rows[0]!.status).toBe('running');

      await h.startWorker({ INGEST_LOCK_DURATION_MS: '3000' });
      const ingest = await waitForIngest(h, ingestId, 55_000);
      expect(ingest).toMatchObject({ status: 'succeeded', rows_done: String(rows), runs: 2 });
      const state = await datasetState(h, ref.datasetId);
      expect(state).toMatchObject({ status: 'ready', version: 1, row_count: String(rows) });
      const { rows: counts } = await h.sql.query<{ n: number; distinct_rows: number; max_row: string }>(
        `select count(*)::int as n, count(distinct _row)::int as distinct_rows, max(_row) as max_row from ${state.live_table}`,
      );
      expect(counts[0]).toEqual({ n: rows, distinct_rows: rows, max_row: String(rows) });
      expect(await dataTables(h, ref.tenantId)).toEqual([`d_${ref.datasetId.replaceAll('-', '')}_v1`]);
      return `the re-delivered job finished (2 runs): ${rows.toLocaleString('en')} rows, no duplicates, one data table`;
    },
    90_000,
  );

  fault(
    'Worker SIGTERM mid-ingest',
    'a 5,000,000-row ingest; the worker gets SIGTERM mid-COPY with a 0.5 s drain, then a new worker starts',
    async () => {
      await h.worker.stop();
      // Close waits 500 ms for the active job (SHUTDOWN_TIMEOUT_MS - grace - 4 s, at least 0.5 s), then cancels it.
      await h.startWorker({ INGEST_LOCK_DURATION_MS: '3000', SHUTDOWN_TIMEOUT_MS: '4500', SHUTDOWN_GRACE_MS: '0' });
      const ref = await createDataset(h);
      // Large enough that the COPY is still running when the 500 ms shutdown wait ends, even on a
      // fast, idle machine (1.5M rows once finished first: ~1.1 s of COPY).
      const rows = 5_000_000;
      const { ingestId } = await ingestFile(h, ref, csv(rows, 'term'));
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = await datasetState(h, ref.datasetId);
        if (((state.progress as { rowsDone?: number } | null)?.rowsDone ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error(`no progress:\n${h.worker.logs().slice(-3000)}`);
        await sleep(20);
      }
      const previous = h.worker;
      expect(await previous.stop('SIGTERM')).toBe(0);
      // Cancelled mid-COPY: back in the queue without spending an attempt, staging dropped, live data untouched.
      expect(previous.logs()).toContain('ingest cancelled (worker shutting down)');
      const job = await h.queue.getJob(ingestId);
      expect(await job?.getState()).toBe('waiting');
      expect(job?.attemptsMade).toBe(0);
      expect(await dataTables(h, ref.tenantId)).toEqual([]);
      await h.startWorker({ INGEST_LOCK_DURATION_MS: '3000' });
      const ingest = await waitForIngest(h, ingestId, 100_000);
      expect(ingest).toMatchObject({ status: 'succeeded', rows_done: String(rows) });
      expect(await dataTables(h, ref.tenantId)).toEqual([`d_${ref.datasetId.replaceAll('-', '')}_v1`]);
      return 'exit 0; the job went back to waiting without spending an attempt, staging dropped; the next worker finished it';
    },
    180_000,
  );

  it('swaps a re-ingest atomically while readers keep reading the live table', async () => {
    const ref = await createDataset(h);
    const first = await ingestFile(h, ref, csv(40_000, 'first'));
    expect((await waitForIngest(h, first.ingestId)).status).toBe('succeeded');

    const seen = new Map<number, number>();
    let missing = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const { rows } = await h.sql.query<{ live_table: string }>(
          'select live_table from datasets.datasets where id = $1',
          [ref.datasetId],
        );
        try {
          const { rows: count } = await h.sql.query<{ n: number }>(
            `select count(*)::int as n from ${rows[0]!.live_table}`,
          );
          seen.set(count[0]!.n, (seen.get(count[0]!.n) ?? 0) + 1);
        } catch (error) {
          // The old version was dropped between reading the pointer and the table: re-read it.
          if ((error as { code?: string }).code !== '42P01') throw error;
          missing += 1;
        }
      }
    })();

    const second = await ingestFile(h, ref, csv(65_000, 'second'));
    const ingest = await waitForIngest(h, second.ingestId);
    await sleep(200);
    stop = true;
    await reader;
    expect(ingest.status).toBe('succeeded');
    expect([...seen.keys()].sort()).toEqual([40_000, 65_000]);
    expect(seen.get(40_000)).toBeGreaterThan(0);
    expect(missing).toBeGreaterThanOrEqual(0);
    const state = await datasetState(h, ref.datasetId);
    expect(state).toMatchObject({ status: 'ready', version: 2, row_count: '65000' });
    expect(await dataTables(h, ref.tenantId)).toEqual([`d_${ref.datasetId.replaceAll('-', '')}_v2`]);
    const { rows: stats } = await h.sql.query<{ version: number }>(
      'select version from datasets.dataset_stats where dataset_id = $1 order by version',
      [ref.datasetId],
    );
    expect(stats.map((s) => s.version)).toEqual([1, 2]);
    // 65,000 rows: histograms, top values and rollups come from a block sample, scaled back.
    const { rows: v2 } = await h.sql.query<{ columns: unknown[]; rollups: unknown[] }>(
      'select columns, rollups from datasets.dataset_stats where dataset_id = $1 and version = 2',
      [ref.datasetId],
    );
    const columns = v2[0]!.columns.map((c) => ZColumnStats.parse(c));
    expect(columns[0]).toMatchObject({ key: 'c1', count: 65_000, nulls: 0, min: 1, max: 65_000 });
    const binTotal = columns[0]!.histogram!.reduce((sum, bin) => sum + bin.count, 0);
    expect(Math.abs(binTotal - 65_000)).toBeLessThan(50);
    expect(columns[1]!.topValues).toHaveLength(10);
    expect(columns[1]!.distinct).toBeGreaterThan(50);
    const rollup = ZTimeRollup.parse(v2[0]!.rollups[0]);
    expect(rollup).toMatchObject({ key: 'c4', grain: 'day' });
    expect(rollup.points).toHaveLength(28);
  }, 60_000);

  it('runs a re-delivered job that already succeeded only once', async () => {
    const ref = await createDataset(h);
    const { ingestId } = await ingestFile(h, ref, csv(100, 'once'));
    expect((await waitForIngest(h, ingestId)).status).toBe('succeeded');
    // The same job id again (BullMQ re-delivery after a stall looks like this to the processor).
    await h.queue.add(
      'dataset.ingest',
      { tenantId: ref.tenantId, datasetId: ref.datasetId, ingestId, requestId: 'again' },
      { jobId: `${ingestId}-again` },
    );
    await sleep(1500);
    const { rows } = await h.sql.query<{ runs: number }>('select runs from datasets.ingests where id = $1', [ingestId]);
    expect(rows[0]!.runs).toBe(1);
    expect(await dataTables(h, ref.tenantId)).toEqual([`d_${ref.datasetId.replaceAll('-', '')}_v1`]);
  });

  it('closes the consumer and exits 0 on SIGTERM', async () => {
    const code = await h.worker.stop('SIGTERM');
    expect(code).toBe(0);
    expect(h.worker.logs()).toContain('dataset.ingest worker closed');
    await h.startWorker({ INGEST_LOCK_DURATION_MS: '3000' });
  });
});

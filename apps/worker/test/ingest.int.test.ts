import { ZColumnStats, ZTimeRollup } from '@elasticdash/contracts/datasets/dataset';
import { ZRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataset,
  createHarness,
  dataTables,
  datasetState,
  ingestFile,
  waitForIngest,
  type DatasetRef,
  type Harness,
} from './harness.js';

/**
 * The built worker against real Postgres (svc-datasets' schema), Redis (BullMQ + events) and
 * s3rver: files are put in S3, the rows svc-datasets would write are inserted with SQL, and the
 * job is enqueued with a bullmq Queue exactly as svc-datasets does.
 */
let h: Harness;

beforeAll(async () => {
  h = await createHarness('worker_ingest', {
    INGEST_MAX_COLUMNS: '20',
    INGEST_MAX_BYTES: '2000000',
    INGEST_SAMPLE_ROWS: '100',
  });
});

afterAll(async () => {
  await h?.close();
});

function salesCsv(rows: number): string {
  const lines = ['id,amount,paid,day,at,city'];
  for (let i = 1; i <= rows; i++) {
    const day = `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    lines.push(
      `${i},${(i * 1.25).toFixed(2)},${i % 3 === 0 ? 'true' : 'false'},${day},${day}T10:00:00Z,"City ${i % 5}"`,
    );
  }
  return lines.join('\n') + '\n';
}

async function readyDataset(csv: string | Buffer): Promise<DatasetRef> {
  const ref = await createDataset(h);
  const { ingestId } = await ingestFile(h, ref, csv);
  const ingest = await waitForIngest(h, ingestId);
  expect(ingest.failure_reason).toBeNull();
  expect(ingest.status).toBe('succeeded');
  return ref;
}

async function liveRows(ref: DatasetRef): Promise<Record<string, unknown>[]> {
  const state = await datasetState(h, ref.datasetId);
  const { rows } = await h.sql.query<Record<string, unknown>>(`select * from ${state.live_table} order by _row`);
  return rows;
}

describe('dataset.ingest happy path', () => {
  it('infers types, loads every row, computes stats and publishes progress and ready', async () => {
    const ref = await createDataset(h);
    const { ingestId } = await ingestFile(h, ref, salesCsv(2500));
    const ingest = await waitForIngest(h, ingestId);
    expect(ingest).toMatchObject({ status: 'succeeded', failure_reason: null, rows_done: '2500', runs: 1 });

    const state = await datasetState(h, ref.datasetId);
    expect(state).toMatchObject({
      status: 'ready',
      failure_reason: null,
      version: 1,
      row_count: '2500',
      progress: null,
    });
    expect(state.columns.map((c) => [c.key, c.name, c.type])).toEqual([
      ['c1', 'id', 'integer'],
      ['c2', 'amount', 'numeric'],
      ['c3', 'paid', 'boolean'],
      ['c4', 'day', 'date'],
      ['c5', 'at', 'timestamp'],
      ['c6', 'city', 'text'],
    ]);
    const hex = (id: string) => id.replaceAll('-', '');
    expect(state.live_table).toBe(`"ds_${hex(ref.tenantId)}"."d_${hex(ref.datasetId)}_v1"`);
    const rows = await liveRows(ref);
    expect(rows).toHaveLength(2500);
    expect(rows[0]).toMatchObject({ _row: '1', c1: '1', c2: '1.25', c3: false, c6: 'City 1' });
    expect(rows[2]).toMatchObject({ _row: '3', c1: '3', c3: true });

    const { rows: stats } = await h.sql.query<{ columns: unknown[]; rollups: unknown[]; tenant_id: string }>(
      'select columns, rollups, tenant_id from datasets.dataset_stats where dataset_id = $1 and version = 1',
      [ref.datasetId],
    );
    expect(stats).toHaveLength(1);
    const columns = stats[0]!.columns.map((c) => ZColumnStats.parse(c));
    const rollups = stats[0]!.rollups.map((r) => ZTimeRollup.parse(r));
    const id = columns[0]!;
    expect(id).toMatchObject({ key: 'c1', count: 2500, nulls: 0, min: 1, max: 2500, topValues: null });
    expect(id.distinct).toBeGreaterThan(2000);
    expect(id.histogram).toHaveLength(10);
    expect(id.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(2500);
    const paid = columns[2]!;
    expect(paid).toMatchObject({ min: false, max: true, distinct: 2, histogram: null });
    expect(paid.topValues).toEqual([
      { value: 'false', count: 1667 },
      { value: 'true', count: 833 },
    ]);
    const city = columns[5]!;
    expect(city.distinct).toBe(5);
    expect(city.topValues).toHaveLength(5);
    expect(city.topValues!.every((v) => v.count === 500)).toBe(true);
    expect(columns[3]).toMatchObject({ min: '2024-01-01', max: '2024-12-28' });
    expect(rollups.map((r) => [r.key, r.grain])).toEqual([
      ['c4', 'day'],
      ['c5', 'day'],
    ]);
    expect(rollups[0]!.points.reduce((sum, p) => sum + p.count, 0)).toBe(2500);

    const ofDataset = () =>
      h.events
        .map((e) => ZRealtimeEnvelope.parse(e))
        .filter((e) => 'datasetId' in e.event && e.event.datasetId === ref.datasetId);
    // Published after the commit: pub/sub may still be delivering the final status.
    await expect.poll(() => ofDataset().at(-1)?.event.type, { timeout: 5_000 }).toBe('dataset.status');
    const mine = ofDataset();
    expect(mine.some((e) => e.event.type === 'dataset.progress')).toBe(true);
    const last = mine.at(-1)!;
    expect(last.tenantId).toBe(ref.tenantId);
    expect(last.requestId).toBe(`req-${ingestId.slice(0, 8)}`);
    expect(last.event).toEqual({
      type: 'dataset.status',
      datasetId: ref.datasetId,
      status: 'ready',
      failureReason: null,
      version: 1,
      rowCount: 2500,
    });
    // Every log line about the job carries its request id.
    const jobLines = h.worker
      .logs()
      .split('\n')
      .filter((line) => line.includes(ingestId));
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) expect(line).toContain(`"requestId":"req-${ingestId.slice(0, 8)}"`);
  });
});

describe('bad input', () => {
  let ref: DatasetRef;
  const good = 'id,amount,x,y,z\n1,2.5,a,b,c\n2,3.5,d,e,f\n';

  beforeAll(async () => {
    ref = await readyDataset(good);
  });

  function ragged(): string {
    const lines = ['a,b,c,d,e'];
    for (let i = 1; i <= 20; i++) lines.push(i === 12 ? '1,2,3,4,5,6,7' : `${i},2,3,4,5`);
    return lines.join('\n');
  }

  function bigFile(): string {
    return 'a,b\n' + '1234567890,abcdefghij\n'.repeat(100_000);
  }

  const cases: Array<[string, () => string | Buffer, string]> = [
    ['an empty file', () => '', 'The file is empty'],
    ['blank lines only', () => '\n\r\n\n', 'The file is empty'],
    ['a BOM and nothing else', () => Buffer.from([0xef, 0xbb, 0xbf]), 'The file is empty'],
    ['a header only', () => 'id,amount,x\n', 'The file has a header but no rows'],
    ['a ragged row', ragged, 'row 12, expected 5 columns, found 7'],
    [
      'a ragged row far after the sample',
      () => good.trimEnd() + '\n' + '9,1,a,b,c\n'.repeat(300) + '1,2\n',
      'row 303, expected 5 columns, found 2',
    ],
    [
      'an unclosed quote',
      () => 'a,b\n1,2\n3,"never closed\n4,5\n',
      'row 2: a quoted field is not closed before the end of the file',
    ],
    [
      'duplicate headers',
      () => 'id,amount,x,y,Amount\n1,2,3,4,5\n',
      "Duplicate column name 'amount' (columns 2 and 5)",
    ],
    [
      'too many columns',
      () => Array.from({ length: 25 }, (_, i) => `h${i}`).join(',') + '\n' + '1,'.repeat(24) + '1\n',
      'The file has 25 columns; at most 20 are supported',
    ],
    ['a file over the size limit', bigFile, 'The file is 2.1 MiB, larger than the 1.9 MiB limit'],
    [
      'a gzip archive',
      () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4]),
      'The file is not a CSV: it looks like a gzip archive',
    ],
    [
      'a zip archive',
      () => Buffer.from('PK\u0003\u0004rest of a workbook', 'latin1'),
      'The file is not a CSV: it looks like a ZIP archive (an .xlsx workbook is one too)',
    ],
    [
      'binary data',
      () => Buffer.from('a,b\n1,\u0000\u0001\u0002\n', 'latin1'),
      'The file is not a CSV: it contains binary data (NUL bytes)',
    ],
    [
      'a NUL byte after the sniffed prefix',
      () =>
        Buffer.concat([
          Buffer.from('a,b\n' + '1,xxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(5000)),
          Buffer.from('2,\u0000\n', 'latin1'),
        ]),
      'row 5,001: the file is not a CSV: it contains binary data (NUL bytes)',
    ],
    [
      'a UTF-8 BOM with invalid UTF-8 inside',
      () => Buffer.concat([Buffer.from('\ufeffa,b\n1,ok\n', 'utf8'), Buffer.from([0x32, 0x2c, 0xff, 0xfe, 0x0a])]),
      'row 2: the file starts with a UTF-8 byte-order mark but is not valid UTF-8 text',
    ],
    [
      'a UTF-16 BOM with broken UTF-16 inside',
      () =>
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from('a,b\n1,2\n', 'utf16le'),
          Buffer.from([0x00, 0xdc, 0x41, 0x00]),
        ]),
      'The file starts with a UTF-16 LE byte-order mark but is not valid UTF-16 text',
    ],
    [
      'bytes that are neither UTF-8 nor windows-1252',
      () => Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0x81, 0x0a]),
      'The file is neither UTF-8 nor windows-1252 text; save it as UTF-8 and upload it again',
    ],
  ];

  cases.push(['a missing object', () => 'x,y\n1,2\n', 'The uploaded file was not found; upload it again']);

  it.each(cases)('%s is rejected with its reason and the live version stays readable', async (name, body, reason) => {
    const before = await datasetState(h, ref.datasetId);
    const eventsBefore = h.events.length;
    const { ingestId, targetVersion } = await ingestFile(h, ref, body(), { skipUpload: name === 'a missing object' });
    const ingest = await waitForIngest(h, ingestId);
    expect(ingest).toMatchObject({ status: 'failed', failure_reason: reason });
    const after = await datasetState(h, ref.datasetId);
    expect(after).toMatchObject({
      status: 'failed',
      failure_reason: reason,
      version: before.version,
      live_table: before.live_table,
      row_count: before.row_count,
      columns: before.columns,
      progress: null,
    });
    const { rows } = await h.sql.query(`select count(*)::int as n from ${after.live_table}`);
    expect(rows[0]).toEqual({ n: 2 });
    expect(await dataTables(h, ref.tenantId)).toEqual([`d_${ref.datasetId.replaceAll('-', '')}_v1`]);
    const failedEvent = () =>
      h.events
        .slice(eventsBefore)
        .find((e) => e.event.type === 'dataset.status' && e.event.datasetId === ref.datasetId);
    await expect.poll(failedEvent, { timeout: 5_000 }).toBeDefined();
    expect(failedEvent()?.event).toEqual({
      type: 'dataset.status',
      datasetId: ref.datasetId,
      status: 'failed',
      failureReason: reason,
      version: before.version,
      rowCount: 2,
    });
    // Bad input is permanent: one run, no retry.
    expect(ingest.runs).toBe(1);
    expect(targetVersion).toBeGreaterThan(1);
  });
});

describe('type inference fallback', () => {
  it('widens a column when a row after the sample disagrees, instead of failing', async () => {
    const lines = ['id,amount,day,flag,code'];
    for (let i = 1; i <= 400; i++) {
      let amount = String(i);
      let id = String(i);
      let day = '2024-03-01';
      let flag = i % 2 ? 'yes' : 'no';
      if (i === 250) amount = 'abc';
      if (i === 300) id = '99999999999999999999';
      if (i === 320) day = 'soon';
      if (i === 330) flag = 'maybe';
      lines.push(`${id},${amount},${day},${flag},${i}`);
    }
    lines.push('401,"",,,""');
    const ref = await readyDataset(lines.join('\r\n'));
    const state = await datasetState(h, ref.datasetId);
    expect(state.columns.map((c) => c.type)).toEqual(['numeric', 'text', 'text', 'text', 'integer']);
    expect(state.row_count).toBe('401');
    const rows = await liveRows(ref);
    expect(rows[249]).toMatchObject({ c2: 'abc' });
    expect(rows[299]).toMatchObject({ c1: '99999999999999999999' });
    expect(rows[319]).toMatchObject({ c3: 'soon' });
    expect(rows[329]).toMatchObject({ c4: 'maybe' });
    // Quoted empty values are NULL in typed columns (FORCE_NULL) and '' in text ones.
    expect(rows[400]).toMatchObject({ _row: '401', c1: '401', c3: null, c4: null, c5: null });
    expect(h.worker.logs()).toContain("row 250, column amount: 'abc' is not a whole number");
  });
});

describe('dialects and encodings', () => {
  const expected = [
    { c1: '1', c2: 'Café', c3: '2.5' },
    { c1: '2', c2: 'Zürich', c3: '3' },
  ];

  it.each<[string, () => Buffer, string]>([
    ['semicolon', () => Buffer.from('id;city;amount\n1;Café;2.5\n2;Zürich;3\n'), 'numeric'],
    ['tab', () => Buffer.from('id\tcity\tamount\n1\tCafé\t2.5\n2\tZürich\t3\n'), 'numeric'],
    ['pipe', () => Buffer.from('id|city|amount\r\n1|Café|2.5\r\n2|Zürich|3'), 'numeric'],
    [
      'windows-1252 with semicolons',
      () => iconv.encode('id;city;amount\r\n1;Café;2.5\r\n2;Zürich;3\r\n', 'win1252'),
      'numeric',
    ],
    ['UTF-8 with BOM', () => Buffer.from('\ufeffid,city,amount\n1,Café,2.5\n2,Zürich,3\n'), 'numeric'],
    [
      'UTF-16 LE with BOM',
      () =>
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,city,amount\n1,Café,2.5\n2,Zürich,3\n', 'utf16le')]),
      'numeric',
    ],
    [
      'UTF-16 BE with BOM',
      () => {
        const le = Buffer.from('id\tcity\tamount\n1\tCafé\t2.5\n2\tZürich\t3\n', 'utf16le');
        return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
      },
      'numeric',
    ],
  ])('%s', async (_name, body, amountType) => {
    const ref = await readyDataset(body());
    const state = await datasetState(h, ref.datasetId);
    expect(state.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['city', 'text'],
      ['amount', amountType],
    ]);
    const rows = await liveRows(ref);
    expect(rows).toMatchObject(expected);
  });

  it('reads invalid UTF-8 after the sniffed prefix as windows-1252', async () => {
    const head = 'id,city\n' + Array.from({ length: 5000 }, (_, i) => `${i + 1},plain city name`).join('\n');
    const body = Buffer.concat([Buffer.from(head + '\n'), iconv.encode('5001,Café\n', 'win1252')]);
    const ref = await readyDataset(body);
    const rows = await liveRows(ref);
    expect(rows).toHaveLength(5001);
    expect(rows[5000]).toMatchObject({ c2: 'Café' });
  });

  it('names blank header cells column_<n>, keeps quoted delimiters and newlines, and detects a missing header', async () => {
    const ref = await readyDataset('id,,note\n1,x,"a, b"\n2,y,"line one\nline ""two"""\n');
    const state = await datasetState(h, ref.datasetId);
    expect(state.columns.map((c) => c.name)).toEqual(['id', 'column_2', 'note']);
    const rows = await liveRows(ref);
    expect(rows).toMatchObject([
      { c1: '1', c2: 'x', c3: 'a, b' },
      { c1: '2', c2: 'y', c3: 'line one\nline "two"' },
    ]);
    const headless = await readyDataset('1,2024-01-01,true\n2,2024-01-02,false\n3,2024-01-03,true\n');
    const headlessState = await datasetState(h, headless.datasetId);
    expect(headlessState.columns.map((c) => [c.name, c.type])).toEqual([
      ['column_1', 'integer'],
      ['column_2', 'date'],
      ['column_3', 'boolean'],
    ]);
    expect(headlessState.row_count).toBe('3');
  });
});

describe('transient failures', () => {
  it('retries an attempt that failed for an infrastructure reason, then succeeds', async () => {
    const ref = await createDataset(h);
    const locker = await h.sql.connect();
    try {
      // Another worker holding the ingest (its advisory lock) is a transient failure for this one.
      const { ingestId } = await ingestFile(h, ref, 'a,b\n1,2\n', {
        attempts: 3,
        beforeEnqueue: async (id) => {
          await locker.query('select pg_advisory_lock(hashtext($1))', [`ingest:${id}`]);
        },
      });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const job = await h.queue.getJob(ingestId);
        if ((job?.attemptsMade ?? 0) >= 1) break;
        if (Date.now() > deadline) throw new Error('the first attempt did not fail');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await datasetState(h, ref.datasetId)).status).toBe('processing');
      await locker.query('select pg_advisory_unlock(hashtext($1))', [`ingest:${ingestId}`]);
      const ingest = await waitForIngest(h, ingestId);
      expect(ingest).toMatchObject({ status: 'succeeded', rows_done: '1' });
      expect((await h.queue.getJob(ingestId))?.attemptsMade).toBeGreaterThanOrEqual(1);
    } finally {
      locker.release();
    }
  });
});

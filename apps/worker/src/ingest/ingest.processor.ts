import type { S3Client } from '@aws-sdk/client-s3';
import { ZDatasetIngestJob, type TDatasetIngestJob } from '@elasticdash/contracts/datasets/jobs';
import type { TRealtimeEvent } from '@elasticdash/contracts/realtime/event';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { requestStorage } from '@elasticdash/service-kit/request-context';
import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Logger } from 'pino';
import { CopyFramer } from './copy-framer.js';
import { SNIFF_BYTES, detectDelimiter, detectEncoding, detectNotCsv } from './csv-sniff.js';
import { IngestCancelledError, IngestInputError, formatCount, quoteValue } from './ingest-errors.js';
import { datasetColumns, planFromSample, type IngestPlan } from './ingest-plan.js';
import { finishTable } from './ingest-stats.js';
import { DirectInput, NeedsFramingError } from './direct-input.js';
import type { IngestRepository, IngestRow } from './ingest.repository.js';
import { decodeToUtf8, openObject, readHead, type ObjectSource } from './object-source.js';
import { datasetTable, type DatasetTable } from './table-names.js';
import { widenFor } from './type-inference.js';

export interface IngestSettings {
  bucket: string;
  maxColumns: number;
  maxBytes: number;
  sampleRows: number;
  /** Upper bound of decoded bytes read for the type sample. */
  sampleBytes?: number;
  progressIntervalMs?: number;
}

export interface IngestResult {
  status: 'succeeded' | 'already-succeeded' | 'superseded';
  rows: number;
  version: number;
}

/** COPY rejected a value: which column, what value (COPY's "line" is our data row number). */
interface RejectedValue {
  row: number;
  column: number;
  value: string;
  message: string;
}

const VALUE_ERRORS = new Set(['22P02', '22003', '22007', '22008', '22P03', '22004']);
const MAX_STREAM_RETRIES = 3;

/**
 * `dataset.ingest`: S3 object → sniff → sample/infer → COPY into a fresh staging table → stats →
 * one-transaction swap. Types never fail an ingest: a value COPY rejects widens its column
 * (integer → numeric → text, date → timestamp → text) and the COPY restarts from the top.
 */
export class IngestProcessor {
  constructor(
    private readonly repository: IngestRepository,
    private readonly jobsPool: pg.Pool,
    private readonly s3: S3Client,
    private readonly publisher: RealtimePublisher,
    private readonly logger: Logger,
    private readonly settings: IngestSettings,
  ) {}

  async process(job: Job<TDatasetIngestJob>, token?: string, signal?: AbortSignal): Promise<IngestResult> {
    const parsed = ZDatasetIngestJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid dataset.ingest payload: ${parsed.error.message}`);
    const data = parsed.data;
    const requestId = data.requestId ?? `job-${job.id ?? data.ingestId}`;
    return requestStorage.run({ requestId }, async () => {
      try {
        return await this.run(job, data, requestId, signal);
      } catch (error) {
        if (error instanceof IngestCancelledError && token) {
          // Shutting down: hand the job back without spending an attempt.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        throw error;
      }
    });
  }

  private async run(
    job: Job<TDatasetIngestJob>,
    data: TDatasetIngestJob,
    requestId: string,
    signal: AbortSignal | undefined,
  ): Promise<IngestResult> {
    const log = this.logger.child({ ingestId: data.ingestId, datasetId: data.datasetId, tenantId: data.tenantId });
    const ingest = await this.repository.findIngest(data.ingestId, data.tenantId);
    if (!ingest || ingest.datasetId !== data.datasetId) {
      log.warn('ingest row not found (dataset deleted?); dropping the job');
      throw new UnrecoverableError('ingest not found');
    }
    const staging = datasetTable(ingest.tenantId, ingest.datasetId, ingest.targetVersion);
    if (ingest.status === 'succeeded') {
      // A re-delivered job whose swap already committed: only finish the clean-up.
      await this.repository.dropStaleVersions(this.jobsPool, ingest, staging.schema);
      log.info('ingest already succeeded; nothing to do');
      return { status: 'already-succeeded', rows: 0, version: ingest.targetVersion };
    }

    const lock = await this.jobsPool.connect();
    let rowsDone = 0;
    try {
      const { rows } = await lock.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [
        `ingest:${ingest.id}`,
      ]);
      if (!rows[0]?.locked) throw new Error('another worker is running this ingest; retrying later');
      await this.repository.markRunning(ingest);
      log.info({ attempt: job.attemptsMade + 1, run: ingest.runs + 1, objectKey: ingest.objectKey }, 'ingest started');
      const started = performance.now();

      const loaded = await this.load(ingest, staging, requestId, signal, log, (rows) => (rowsDone = rows));
      rowsDone = loaded.rows;
      const copiedMs = performance.now() - started;

      let statsMs = 0;
      const work = await this.jobsPool.connect();
      const statsClient = await this.jobsPool.connect();
      let result: IngestResult;
      try {
        await work.query('set statement_timeout = 0');
        const stats = await finishTable(this.repository, [work, statsClient], staging, loaded.plan.types, loaded.rows);
        statsMs = performance.now() - started - copiedMs;
        const columns = datasetColumns(loaded.plan);
        const swapped = await this.repository.swap(work, ingest, staging, columns, loaded.rows, stats);
        if (swapped.superseded) {
          await this.repository.dropTable(work, staging);
          log.warn('a newer version is already live; this ingest is superseded');
          await this.repository.markFailed(ingest, 'A newer version of this dataset is already live', loaded.rows);
          result = { status: 'superseded', rows: loaded.rows, version: ingest.targetVersion };
        } else {
          result = { status: 'succeeded', rows: loaded.rows, version: ingest.targetVersion };
          // The swap is committed: from here on nothing may fail the ingest or touch the new table.
          await this.publish(ingest, requestId, {
            type: 'dataset.status',
            datasetId: ingest.datasetId,
            status: 'ready',
            failureReason: null,
            version: ingest.targetVersion,
            rowCount: loaded.rows,
          });
          try {
            if (swapped.previous && swapped.previous !== staging.qualified) {
              // Readers that still hold the old name get 42P01 and re-read the pointer.
              await work.query(`drop table if exists ${swapped.previous}`);
            }
            await this.repository.dropStaleVersions(work, ingest, staging.schema);
          } catch (error) {
            // A left-over table is dropped by the dataset's next ingest (dropStaleVersions).
            log.warn({ err: error, previous: swapped.previous }, 'could not drop the previous version');
          }
        }
      } finally {
        await work.query('reset statement_timeout').catch(() => undefined);
        work.release();
        statsClient.release();
      }
      log.info(
        {
          rows: loaded.rows,
          restarts: loaded.restarts,
          types: loaded.plan.types,
          copyMs: Math.round(copiedMs),
          statsMs: Math.round(statsMs),
          totalMs: Math.round(performance.now() - started),
        },
        'ingest finished',
      );
      return result;
    } catch (error) {
      if (signal?.aborted || error instanceof IngestCancelledError) {
        log.warn('ingest cancelled (worker shutting down); the job goes back to the queue');
        await this.repository.dropStaging(this.jobsPool, ingest, staging).catch(() => undefined);
        throw new IngestCancelledError('cancelled');
      }
      const attempts = job.opts.attempts ?? 1;
      const permanent = error instanceof IngestInputError || error instanceof UnrecoverableError;
      const final = permanent || job.attemptsMade + 1 >= attempts;
      await this.repository.dropStaging(this.jobsPool, ingest, staging).catch(() => undefined);
      if (!final) {
        log.warn({ err: error, attempt: job.attemptsMade + 1, attempts }, 'ingest attempt failed; it will be retried');
        throw error;
      }
      const reason =
        error instanceof IngestInputError
          ? error.message
          : `The ingest failed after ${attempts} attempt${attempts === 1 ? '' : 's'} because of an internal error; try again`;
      log[permanent ? 'info' : 'error']({ err: error, reason }, 'ingest failed');
      const live = await this.repository.markFailed(ingest, reason, rowsDone);
      await this.publish(ingest, requestId, {
        type: 'dataset.status',
        datasetId: ingest.datasetId,
        status: 'failed',
        failureReason: reason,
        version: live.version,
        rowCount: live.rowCount,
      });
      throw new UnrecoverableError(reason);
    } finally {
      await lock.query('select pg_advisory_unlock(hashtext($1))', [`ingest:${ingest.id}`]).catch(() => undefined);
      lock.release();
    }
  }

  /**
   * Streams the object into the staging table, restarting from the top when COPY rejects a value
   * (the column is widened first) or the download breaks. Bounded: every restart widens a column
   * (at most twice each) or counts against the download retries.
   */
  private async load(
    ingest: IngestRow,
    staging: DatasetTable,
    requestId: string,
    signal: AbortSignal | undefined,
    log: Logger,
    onRows: (rows: number) => void,
  ): Promise<{ plan: IngestPlan; rows: number; restarts: number; framed: boolean }> {
    let plan: IngestPlan | null = null;
    let framed: boolean | null = null;
    let restarts = 0;
    let streamFailures = 0;
    let encodingSwitched = false;
    for (;;) {
      if (signal?.aborted) throw new IngestCancelledError('cancelled');
      const maxRestarts = 2 * (plan?.types.length ?? 1) + 2;
      try {
        const outcome = await this.copyOnce(ingest, staging, plan, framed, requestId, signal, onRows);
        plan = outcome.plan;
        framed = outcome.framed;
        if (outcome.kind === 'done') return { plan, rows: outcome.rows, restarts, framed };
        restarts += 1;
        if (restarts > maxRestarts) throw new Error(`gave up after ${restarts} COPY restarts`);
        if (outcome.kind === 'reframe') {
          // COPY could not read the file as is (ragged row, blank line, mixed line endings, …):
          // the framer reads it again and either fixes it up or names the exact problem.
          log.info({ reason: outcome.reason }, 'the file needs framing; restarting the COPY through the framer');
          framed = true;
          continue;
        }
        const rejected = outcome.rejected;
        if (rejected.column === -1) {
          if (plan.encoding === 'utf-8' && plan.bomLength > 0) {
            throw new IngestInputError(
              `row ${formatCount(rejected.row)}: the file starts with a UTF-8 byte-order mark but is not valid UTF-8 text`,
            );
          }
          if (encodingSwitched || plan.encoding !== 'utf-8') {
            throw new IngestInputError(`row ${formatCount(rejected.row)}: the text encoding is not valid UTF-8`);
          }
          encodingSwitched = true;
          log.info({ row: rejected.row }, 'invalid UTF-8 after the sniffed prefix; reading the file as windows-1252');
          plan = { ...plan, encoding: 'windows-1252', bomLength: 0 };
          continue;
        }
        const from = plan.types[rejected.column]!;
        const to = widenFor(from, rejected.value);
        if (to === from) throw new Error(`COPY rejected a value of a ${from} column: ${rejected.message}`);
        const name = plan.names[rejected.column]!;
        log.info(
          {
            row: rejected.row,
            column: name,
            from,
            to,
            reason: `row ${formatCount(rejected.row)}, column ${name}: ${quoteValue(rejected.value)} is not ${article(from)}`,
          },
          'a later row disagrees with the sampled type; widening the column and restarting the COPY',
        );
        plan = { ...plan, types: plan.types.map((type, index) => (index === rejected.column ? to : type)) };
      } catch (error) {
        if (error instanceof IngestInputError || error instanceof IngestCancelledError || signal?.aborted) throw error;
        if (isStreamError(error) && streamFailures < MAX_STREAM_RETRIES) {
          streamFailures += 1;
          log.warn({ err: error, retry: streamFailures }, 'reading the object failed; restarting the download');
          await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** streamFailures));
          continue;
        }
        throw error;
      }
    }
  }

  /** One pass over the object. Returns the plan (made on the first pass) and the outcome. */
  private async copyOnce(
    ingest: IngestRow,
    staging: DatasetTable,
    known: IngestPlan | null,
    knownFramed: boolean | null,
    requestId: string,
    signal: AbortSignal | undefined,
    onRows: (rows: number) => void,
  ): Promise<CopyOutcome & { plan: IngestPlan; framed: boolean }> {
    const opened = performance.now();
    const source = await openObject(this.s3, {
      bucket: this.settings.bucket,
      key: ingest.objectKey,
      maxBytes: this.settings.maxBytes,
      signal,
      onRetry: (error, attempt) => this.logger.warn({ err: error, attempt }, 'S3 GetObject failed; retrying'),
    });
    try {
      const raw = await readHead(source.chunks(), SNIFF_BYTES);
      if (raw.head.length === 0) throw new IngestInputError('The file is empty');
      const sniffed = raw.head.subarray(0, SNIFF_BYTES);
      const encoding = known ?? detectEncoding(sniffed, raw.done && sniffed.length === raw.head.length);
      if (!known && encoding.encoding !== 'utf-16le' && encoding.encoding !== 'utf-16be') {
        const notCsv = detectNotCsv(sniffed.subarray(encoding.bomLength));
        if (notCsv) throw new IngestInputError(notCsv);
      }
      const decoded = decodeToUtf8(raw.rest, encoding.encoding, encoding.bomLength);
      let plan: IngestPlan;
      let input: AsyncGenerator<Buffer>;
      if (known) {
        plan = known;
        input = decoded;
      } else {
        const made = await this.makePlan(decoded, { encoding: encoding.encoding, bomLength: encoding.bomLength });
        input = made.rest;
        plan = stripRest(made);
      }
      // A one-column file goes through the framer: COPY would read a blank line as a NULL row.
      const framed = knownFramed ?? plan.names.length === 1;
      this.logger.debug({ planMs: Math.round(performance.now() - opened), framed }, 'sampled; copying');
      const outcome = await this.copy(ingest, staging, plan, framed, input, source, requestId, signal, onRows);
      return { ...outcome, plan, framed };
    } finally {
      source.destroy();
    }
  }

  /** Reads the sample from the decoded stream and plans header, names and types. */
  private async makePlan(
    decoded: AsyncGenerator<Buffer>,
    encoding: { encoding: IngestPlan['encoding']; bomLength: number },
  ): Promise<IngestPlan & { rest: AsyncGenerator<Buffer> }> {
    const maxSample = this.settings.sampleBytes ?? 16 * 1024 * 1024;
    let want = 256 * 1024;
    const parts: Buffer[] = [];
    let length = 0;
    let done = false;
    let delimiter: IngestPlan['delimiter'] | null = null;
    for (;;) {
      while (length < want) {
        const next = await decoded.next();
        if (next.done) {
          done = true;
          break;
        }
        parts.push(next.value);
        length += next.value.length;
      }
      const text = Buffer.concat(parts, length).toString('utf8');
      delimiter ??= detectDelimiter(text.slice(0, SNIFF_BYTES));
      const complete = done || length >= maxSample;
      if (!complete) {
        // Enough rows already? Count record terminators cheaply before parsing for real.
        const lines = countLines(text);
        if (lines <= this.settings.sampleRows + 1) {
          want *= 2;
          continue;
        }
      }
      const plan = planFromSample(
        text,
        done,
        { ...encoding, delimiter },
        { maxColumns: this.settings.maxColumns, sampleRows: this.settings.sampleRows },
      );
      const head = Buffer.concat(parts, length);
      async function* rest(): AsyncGenerator<Buffer> {
        yield head;
        if (done) return;
        for (;;) {
          const next = await decoded.next();
          if (next.done) return;
          yield next.value;
        }
      }
      return { ...plan, rest: rest() };
    }
  }

  /**
   * COPY in one transaction (the staging table is created in it, so COPY can FREEZE).
   * `direct`: the decoded bytes go to COPY as they are (COPY skips the header, `_row` comes
   * from the identity): nothing is parsed in JS. `framed`: through CopyFramer (row numbers
   * written by us, blank lines dropped, ragged rows named).
   */
  private async copy(
    ingest: IngestRow,
    staging: DatasetTable,
    plan: IngestPlan,
    framed: boolean,
    input: AsyncGenerator<Buffer>,
    source: ObjectSource,
    requestId: string,
    signal: AbortSignal | undefined,
    onRows: (rows: number) => void,
  ): Promise<CopyOutcome> {
    const client = await this.jobsPool.connect();
    let broken = false;
    const framer = framed
      ? new CopyFramer({
          delimiter: plan.delimiter.charCodeAt(0),
          columns: plan.names.length,
          skipHeader: plan.hasHeader,
        })
      : null;
    const direct = framed ? null : new DirectInput(plan.hasHeader);
    const rowsSoFar = () => framer?.rows ?? direct!.rows;
    const interval = this.settings.progressIntervalMs ?? 500;
    let lastReport = performance.now();
    let reporting: Promise<void> | null = null;
    const report = (rows: number) => {
      onRows(rows);
      if (reporting) return;
      const percent = source.size > 0 ? Math.min(100, Math.round((source.bytesRead / source.size) * 1000) / 10) : null;
      const progress = { rowsDone: rows, percent };
      reporting = this.reportProgress(ingest, requestId, progress).finally(() => (reporting = null));
    };
    async function* feed(): AsyncGenerator<Buffer> {
      for await (const chunk of input) {
        const out = framer ? framer.push(chunk) : direct!.push(chunk);
        if (out.length > 0) yield out;
        const now = performance.now();
        if (now - lastReport >= interval) {
          lastReport = now;
          report(rowsSoFar());
        }
      }
      const tail = framer ? framer.finish() : direct!.finish();
      if (tail.length > 0) yield tail;
    }
    try {
      await client.query('begin');
      await client.query('set local statement_timeout = 0');
      // Durable once the swap (a synchronous commit, later in the WAL) commits; no fsync wait here.
      await client.query('set local synchronous_commit = off');
      await this.repository.createStaging(client, staging, plan.types);
      const statement = this.repository.copyStatement(staging, plan.types, plan.delimiter, {
        framed,
        header: plan.hasHeader,
      });
      const copy = client.query(copyFrom(statement));
      try {
        const stream = Readable.from(feed(), { objectMode: false });
        await (signal ? pipeline(stream, copy, { signal }) : pipeline(stream, copy));
      } catch (error) {
        broken = true;
        if (signal?.aborted) throw new IngestCancelledError('cancelled');
        if (error instanceof NeedsFramingError) return { kind: 'reframe', reason: error.message };
        const outcome = copyFailure(error, plan, framed);
        if (outcome) return outcome;
        throw error;
      }
      await client.query('commit');
      const rows = framer ? framer.rows : copy.rowCount;
      await reporting;
      report(rows);
      await reporting;
      return { kind: 'done', rows };
    } finally {
      // After a failed COPY the connection state is unknown: discard it (the transaction dies with it).
      if (broken) client.release(true);
      else {
        await client.query('rollback').catch(() => undefined);
        client.release();
      }
    }
  }

  private async reportProgress(
    ingest: IngestRow,
    requestId: string,
    progress: { rowsDone: number; percent: number | null },
  ): Promise<void> {
    try {
      await this.repository.saveProgress(ingest, progress);
      await this.publisher.publish(
        ingest.tenantId,
        { type: 'dataset.progress', datasetId: ingest.datasetId, progress },
        requestId,
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not report ingest progress');
    }
  }

  private async publish(ingest: IngestRow, requestId: string, event: TRealtimeEvent): Promise<void> {
    try {
      await this.publisher.publish(ingest.tenantId, event, requestId);
    } catch (error) {
      this.logger.warn({ err: error, event: event.type }, 'could not publish the dataset event');
    }
  }
}

function stripRest(plan: IngestPlan & { rest: unknown }): IngestPlan {
  const { rest: _rest, ...rest } = plan;
  return rest;
}

function countLines(text: string): number {
  let count = 0;
  let index = text.indexOf('\n');
  while (index !== -1) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}

function article(type: string): string {
  switch (type) {
    case 'integer':
      return 'a whole number';
    case 'numeric':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a date and time';
    default:
      return 'text';
  }
}

type CopyOutcome =
  { kind: 'done'; rows: number } | { kind: 'rejected'; rejected: RejectedValue } | { kind: 'reframe'; reason: string };

/**
 * Maps a COPY failure. Value errors carry `CONTEXT: COPY t, line N, column cX: "value"` (line N
 * counts the header on the direct path); invalid UTF-8 (22021) comes back as column -1 so the
 * caller can re-read the file as windows-1252; format errors send the direct path to the framer
 * and are bad input on the framed path.
 */
function copyFailure(error: unknown, plan: IngestPlan, framed: boolean): CopyOutcome | null {
  const pgError = error as { code?: string; where?: string; message?: string };
  if (!pgError.code) return null;
  const where = pgError.where ?? '';
  const line = /line (\d+)/.exec(where);
  const row = Math.max(1, (line ? Number(line[1]) : 1) - (!framed && plan.hasHeader ? 1 : 0));
  if (pgError.code === '22021') {
    if (/0x00/.test(pgError.message ?? '')) {
      throw new IngestInputError(`row ${formatCount(row)}: the file is not a CSV: it contains binary data (NUL bytes)`);
    }
    return { kind: 'rejected', rejected: { row, column: -1, value: '', message: pgError.message ?? '' } };
  }
  if (VALUE_ERRORS.has(pgError.code)) {
    const cell = /line (\d+), column c(\d+): "([\s\S]*)"$/.exec(where) ?? /line (\d+), column c(\d+)/.exec(where);
    if (!cell) return null;
    const column = Number(cell[2]) - 1;
    if (column < 0 || column >= plan.types.length) return null;
    return { kind: 'rejected', rejected: { row, column, value: cell[3] ?? '', message: pgError.message ?? '' } };
  }
  if (pgError.code === '22P04' || pgError.code === '54000') {
    if (!framed) return { kind: 'reframe', reason: pgError.message ?? pgError.code };
    throw new IngestInputError(`row ${formatCount(row)}: ${pgError.message ?? 'the row cannot be read'}`);
  }
  return null;
}

function isStreamError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const name = (error as { name?: string }).name ?? '';
  return (
    ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code) ||
    name === 'TimeoutError' ||
    name === 'RequestTimeout'
  );
}

import { Queues, type TDatasetIngestJob } from '@elasticdash/contracts/datasets/jobs';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { IngestProcessor, IngestResult } from './ingest.processor.js';

export interface IngestWorkerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  /** How long close() may wait for active jobs before cancelling them (they return to the queue). */
  closeTimeoutMs: number;
}

/**
 * The BullMQ consumer of `dataset-ingest`. Closing waits for the active jobs up to the bound,
 * then cancels them: a cancelled ingest drops its staging table and goes back to the queue
 * without spending an attempt, and is picked up by the next worker.
 */
export class IngestWorker {
  private readonly connection: Redis;
  private readonly worker: Worker<TDatasetIngestJob, IngestResult>;

  constructor(processor: IngestProcessor, options: IngestWorkerOptions, logger: Logger) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, connectionName: 'worker-bullmq' });
    this.connection.on('error', (error) => logger.warn({ err: error }, 'bullmq redis connection error'));
    this.worker = new Worker<TDatasetIngestJob, IngestResult>(
      Queues.datasetIngest,
      (job, token, signal) => processor.process(job, token, signal),
      {
        connection: this.connection,
        concurrency: options.concurrency,
        prefix: options.prefix,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.lockDurationMs,
      },
    );
    this.worker.on('error', (error) => logger.error({ err: error }, 'bullmq worker error'));
    this.worker.on('failed', (job, error) =>
      logger.info({ jobId: job?.id, requestId: job?.data.requestId, err: error.message }, 'ingest job failed'),
    );
    this.closeTimeoutMs = options.closeTimeoutMs;
    this.logger = logger;
  }

  private readonly closeTimeoutMs: number;
  private readonly logger: Logger;

  isRunning(): boolean {
    return this.worker.isRunning();
  }

  async close(): Promise<void> {
    const closing = this.worker.close();
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.closeTimeoutMs).unref()),
    ]);
    if (timedOut) {
      this.logger.warn({ timeoutMs: this.closeTimeoutMs }, 'active ingests still running; cancelling them');
      this.worker.cancelAllJobs('worker shutting down');
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    }
    this.connection.disconnect();
  }
}

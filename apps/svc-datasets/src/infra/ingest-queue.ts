import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  INGEST_JOB_NAME,
  INGEST_JOB_OPTIONS,
  Queues,
  type TDatasetIngestJob,
  ZDatasetIngestJob,
} from '@elasticdash/contracts/datasets/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DATASETS_ENV, type TDatasetsEnv } from '../env.js';

/**
 * Producer side of the `dataset-ingest` queue. It has its own Redis connection: the shared one
 * fails fast without an offline queue, which suits requests but not BullMQ's start-up.
 */
@Injectable()
export class IngestQueue implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: Queue<TDatasetIngestJob>;

  constructor(@Inject(DATASETS_ENV) env: TDatasetsEnv) {
    this.connection = new Redis(env.REDIS_URL, {
      connectionName: 'svc-datasets-queue',
      maxRetriesPerRequest: 2,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.connection.on('error', () => undefined);
    this.queue = new Queue<TDatasetIngestJob>(Queues.datasetIngest, {
      connection: this.connection,
      prefix: env.BULLMQ_PREFIX,
    });
    this.queue.on('error', () => undefined);
  }

  /** Enqueues once per ingest: the job id is the ingest id, so a repeated add is a no-op. */
  async enqueue(job: TDatasetIngestJob): Promise<void> {
    const data = ZDatasetIngestJob.parse(job);
    await this.queue.add(INGEST_JOB_NAME, data, { jobId: data.ingestId, ...INGEST_JOB_OPTIONS });
  }

  /** Removes jobs that have not started (a deleted dataset's queued ingests); running ones are left alone. */
  async discard(jobIds: readonly string[]): Promise<void> {
    await Promise.all(jobIds.map((jobId) => this.queue.remove(jobId).catch(() => 0)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}

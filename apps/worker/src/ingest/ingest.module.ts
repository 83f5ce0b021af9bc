import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createPool } from '@elasticdash/db/pool';
import { REDIS } from '@elasticdash/service-kit/redis';
import { createRealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { WORKER_ENV, WORKER_LOGGER, type TWorkerEnv } from '../env.js';
import { S3_CLIENT } from '../s3.module.js';
import { IngestProcessor } from './ingest.processor.js';
import { IngestRepository } from './ingest.repository.js';
import { IngestWorker } from './ingest.worker.js';

export const JOBS_POOL = Symbol('JOBS_POOL');

/**
 * Owns the ingest consumer. Jobs use their own Postgres pool without a statement timeout (COPY of
 * millions of rows); the shared pool (health, short statements) keeps its 15 s limit.
 */
@Module({
  providers: [
    {
      provide: JOBS_POOL,
      inject: [WORKER_ENV],
      useFactory: (env: TWorkerEnv): pg.Pool =>
        createPool({
          connectionString: env.DATABASE_URL,
          applicationName: 'worker-ingest',
          max: env.INGEST_CONCURRENCY * 2 + 2,
          statementTimeoutMs: 0,
          connectionTimeoutMs: 10_000,
        }),
    },
  ],
})
export class IngestModule implements OnApplicationBootstrap, OnModuleDestroy {
  private worker: IngestWorker | null = null;

  constructor(
    @Inject(WORKER_ENV) private readonly env: TWorkerEnv,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    @Inject(JOBS_POOL) private readonly pool: pg.Pool,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(S3_CLIENT) private readonly s3: S3Client,
  ) {}

  onApplicationBootstrap(): void {
    const processor = new IngestProcessor(
      new IngestRepository(this.pool),
      this.pool,
      this.s3,
      createRealtimePublisher(this.redis),
      this.logger,
      {
        bucket: this.env.S3_BUCKET,
        maxBytes: this.env.INGEST_MAX_BYTES,
        maxColumns: this.env.INGEST_MAX_COLUMNS,
        sampleRows: this.env.INGEST_SAMPLE_ROWS,
      },
    );
    // Leave the bootstrap deadline room for the HTTP drain and pool shutdown after us.
    const closeTimeoutMs = Math.max(500, this.env.SHUTDOWN_TIMEOUT_MS - this.env.SHUTDOWN_GRACE_MS - 4_000);
    this.worker = new IngestWorker(
      processor,
      {
        redisUrl: this.env.REDIS_URL,
        prefix: this.env.BULLMQ_PREFIX,
        concurrency: this.env.INGEST_CONCURRENCY,
        lockDurationMs: this.env.INGEST_LOCK_DURATION_MS,
        closeTimeoutMs,
      },
      this.logger,
    );
    this.logger.info({ concurrency: this.env.INGEST_CONCURRENCY }, 'dataset.ingest worker started');
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.logger.info('dataset.ingest worker closed');
    await this.pool.end();
  }
}

import { zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZS3Env } from '@elasticdash/service-kit/s3';
import { z } from 'zod';

export const ZWorkerEnv = ZServiceBaseEnv.extend({
  WORKER_PORT: zPort.default(4080),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  /** BullMQ key prefix (default `bull`); tests use a unique one per file. */
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** Ingest jobs processed in parallel by this process. */
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  INGEST_MAX_COLUMNS: z.coerce.number().int().min(1).max(1599).default(1000),
  INGEST_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * 1024 ** 3),
  /** BullMQ job lock; a killed worker's job is re-delivered once it expires (stalled check). */
  INGEST_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  INGEST_SAMPLE_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
}).extend(ZS3Env.shape);
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;
export const WORKER_ENV = Symbol('WORKER_ENV');
export const WORKER_LOGGER = Symbol('WORKER_LOGGER');

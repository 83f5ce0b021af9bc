import { SINGLE_PUT_MAX_BYTES, UPLOAD_MAX_BYTES } from '@elasticdash/contracts/datasets/upload';
import { zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { ZS3Env } from '@elasticdash/service-kit/s3';
import { z } from 'zod';

const MiB = 1024 * 1024;

export const ZDatasetsEnv = ZServiceBaseEnv.extend({
  SVC_DATASETS_PORT: zPort.default(4040),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
  ...ZS3Env.shape,
  /** BullMQ key prefix, shared with the worker (separate stacks on one Redis use different ones). */
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** The largest CSV accepted; never above what S3 multipart (and the contract) allows. */
  DATASET_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(UPLOAD_MAX_BYTES, `must be at most ${UPLOAD_MAX_BYTES} bytes (5 GiB)`)
    .default(UPLOAD_MAX_BYTES),
  /** Up to this size one presigned PUT; above it a multipart upload (lower it only to test multipart). */
  UPLOAD_SINGLE_PUT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(5 * MiB, 'must be at least 5 MiB (5242880)')
    .max(SINGLE_PUT_MAX_BYTES, `must be at most ${SINGLE_PUT_MAX_BYTES} bytes`)
    .default(SINGLE_PUT_MAX_BYTES),
  /** Multipart part size (S3 needs ≥ 5 MiB for every part but the last). */
  UPLOAD_PART_SIZE_BYTES: z.coerce
    .number()
    .int()
    .min(5 * MiB, 'must be at least 5 MiB (5242880)')
    .max(5 * 1024 * MiB, 'must be at most 5 GiB')
    .default(64 * MiB),
  QUERY_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
});
export type TDatasetsEnv = z.infer<typeof ZDatasetsEnv>;
export const DATASETS_ENV = Symbol('DATASETS_ENV');

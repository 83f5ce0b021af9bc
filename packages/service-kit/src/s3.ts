import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { zHttpUrl } from './env.js';
import type { HealthCheck } from './health.js';

const zBooleanFlag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true');

/**
 * S3 settings shared by every app that touches datasets or backups: AWS S3 in production
 * (no endpoint, credentials from the task role), MinIO in docker-compose, s3rver locally.
 */
export const ZS3Env = z.object({
  /** Empty = AWS's own endpoint for the region. */
  S3_ENDPOINT: z.union([z.literal(''), zHttpUrl]).default(''),
  /** The endpoint the browser uses for presigned URLs, when it differs (compose: localhost vs service name). */
  S3_PUBLIC_ENDPOINT: z.union([z.literal(''), zHttpUrl]).default(''),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, dashes)',
    ),
  S3_FORCE_PATH_STYLE: zBooleanFlag.default(false),
  /** Empty = the default AWS credential chain (task role, instance profile, env). */
  S3_ACCESS_KEY_ID: z.string().default(''),
  S3_SECRET_ACCESS_KEY: z.string().default(''),
});
export type TS3Env = z.infer<typeof ZS3Env>;

export function createS3Client(env: TS3Env, options: { public?: boolean } = {}): S3Client {
  const endpoint = (options.public && env.S3_PUBLIC_ENDPOINT) || env.S3_ENDPOINT || undefined;
  return new S3Client({
    region: env.S3_REGION,
    endpoint,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
    // Presigned URLs must not carry an empty-body checksum the browser cannot match (ENVIRONMENT.md trap 6).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
}

export function s3HealthCheck(client: S3Client, bucket: string): HealthCheck {
  return {
    name: 's3',
    check: async () => {
      await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(2_000) });
    },
  };
}

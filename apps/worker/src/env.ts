import { zHttpUrl, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZS3Env } from '@elasticdash/service-kit/s3';
import { resolveKeyring, ZSecretsKeyEnv, type TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { z } from 'zod';

const PORT_RANGE = /^(\d{4,5})-(\d{4,5})$/;

export const ZRawWorkerEnv = ZServiceBaseEnv.extend({
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

  /** Local deploy target: one directory per deployment (data dir, socket, agent files). */
  DEPLOY_LOCAL_ROOT: z
    .string()
    .startsWith('/', 'must be an absolute path')
    .default('/var/lib/elasticdash/local-targets'),
  /** Ports the local target allocates from, `<first>-<last>`. */
  DEPLOY_LOCAL_PORT_RANGE: z
    .string()
    .default('55000-55999')
    .transform((value, ctx) => {
      const match = PORT_RANGE.exec(value.trim());
      const first = Number(match?.[1]);
      const last = Number(match?.[2]);
      if (!match || first < 1024 || last > 65535 || first > last) {
        ctx.addIssue({ code: 'custom', message: 'must be "<first>-<last>" with 1024 ≤ first ≤ last ≤ 65535' });
        return z.NEVER;
      }
      return { first, last };
    }),
  /** listen_addresses of local-target clusters (pg_hba still allows only the plan's CIDRs + 127.0.0.1/32). */
  DEPLOY_LOCAL_LISTEN_ADDRESSES: z
    .string()
    .default('127.0.0.1')
    .transform((value) =>
      value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  /** PostgreSQL binaries of the local target; empty = `pg_config --bindir`, else the highest /usr/lib/postgresql/N/bin. */
  PG_BIN_DIR: z.string().default(''),
  /** Deploy / destroy operations processed in parallel by this process. */
  DEPLOY_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** BullMQ lock of an operation job; a killed worker's operation is re-delivered once it expires. */
  DEPLOY_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** How often the job reconciler re-enqueues jobs Redis lost (rows queued/running without a job). */
  RECOVERY_INTERVAL_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
  /** Rows younger than this are left alone (their producer may not have enqueued them yet). */
  RECOVERY_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /**
   * Test-host mode (docs/cloud-fidelity.md): the aws target's EC2 and STS calls go to this local
   * EC2 emulator (infra/testhost/ec2-emulator.mjs), which boots real Debian test hosts from the user
   * data, and its S3 calls to this platform's own S3 server (S3_ENDPOINT). Empty = AWS.
   */
  DEPLOY_AWS_EMULATOR_URL: z.union([z.literal(''), zHttpUrl]).default(''),
  /** Interval of each running deployment's health check. */
  MONITOR_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(5_000),
})
  .extend(ZS3Env.shape)
  .extend(ZSecretsKeyEnv.shape);

/**
 * The deployer jobs need the master key of svc-deployer's secret store (admin passwords). When no
 * key is configured at all the worker still runs ingests and leaves deployer jobs queued for a
 * worker that has one (logged at start); a key that is set but invalid refuses the start.
 */
export const ZWorkerEnv = ZRawWorkerEnv.transform((env, ctx) => {
  if (env.DEPLOY_AWS_EMULATOR_URL && (env.NODE_ENV === 'production' || !env.S3_ENDPOINT)) {
    ctx.addIssue({
      code: 'custom',
      path: ['DEPLOY_AWS_EMULATOR_URL'],
      message:
        env.NODE_ENV === 'production'
          ? 'the EC2 emulator is for development and tests: unset it in production'
          : 'the EC2 emulator needs the local S3 server: set S3_ENDPOINT',
    });
    return z.NEVER;
  }
  let keyring: TMasterKeyring | null = null;
  if (env.SECRETS_MASTER_KEY || env.SECRETS_MASTER_KEY_FILE || env.SECRETS_MASTER_KEY_ID) {
    keyring = resolveKeyring(env, ctx) ?? null;
    if (!keyring) return z.NEVER;
  }
  // The raw key material is kept only in the keyring, never in the plain env object.
  const { SECRETS_MASTER_KEY: _key, SECRETS_MASTER_KEY_FILE: _file, SECRETS_PREVIOUS_KEYS: _previous, ...rest } = env;
  return { ...rest, secretsKeyring: keyring };
});
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;
export const WORKER_ENV = Symbol('WORKER_ENV');
export const WORKER_LOGGER = Symbol('WORKER_LOGGER');

import { zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { resolveKeyring, type TMasterKeyring, zOptionalText } from '@elasticdash/service-kit/secrets/keyring';
import { z } from 'zod';

const zInt = (min: number, max: number, fallback: number, unit = '') =>
  z.coerce
    .number({ error: `must be a whole number${unit}` })
    .int(`must be a whole number${unit}`)
    .min(min, `must be between ${min} and ${max}${unit}`)
    .max(max, `must be between ${min} and ${max}${unit}`)
    .default(fallback);

const ZRawConnectionsEnv = ZServiceBaseEnv.extend({
  SVC_CONNECTIONS_PORT: zPort.default(4030),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),

  /** Where connection passwords live: `local` (AES-256-GCM envelope encryption in our schema) or `aws`. */
  SECRET_STORE: z.enum(['local', 'aws'], { error: 'must be "local" or "aws"' }).default('local'),
  SECRETS_MASTER_KEY: zOptionalText,
  SECRETS_MASTER_KEY_FILE: zOptionalText,
  SECRETS_MASTER_KEY_ID: zOptionalText,
  /** JSON `{ "<key id>": "<base64 key>" }`: retired master keys that still decrypt older secrets. */
  SECRETS_PREVIOUS_KEYS: zOptionalText,
  /** Secrets Manager names are `<prefix>/<tenantId>/connections/<connectionId>`. */
  SECRETS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,100}$/, 'may contain letters, digits and /_+=.@- only (at most 100)')
    .default('elasticdash'),
  AWS_REGION: zOptionalText,

  /** Customer databases: connections per pool, and the statement timeout of every query. */
  CUSTOMER_POOL_MAX: zInt(1, 100, 5),
  CUSTOMER_STATEMENT_TIMEOUT_MS: zInt(100, 600_000, 15_000, ' (milliseconds)'),
  /** How long an exact row count may run before the estimate is answered instead. */
  EXACT_COUNT_TIMEOUT_MS: zInt(100, 600_000, 5_000, ' (milliseconds)'),
});

export const ZConnectionsEnv = ZRawConnectionsEnv.transform((env, ctx) => {
  let keyring: TMasterKeyring | undefined;
  if (env.SECRET_STORE === 'local') {
    keyring = resolveKeyring(env, ctx);
    if (!keyring) return z.NEVER;
  } else if (!env.AWS_REGION) {
    ctx.addIssue({
      code: 'custom',
      path: ['AWS_REGION'],
      message: 'SECRET_STORE=aws needs the AWS region, e.g. eu-west-1',
    });
    return z.NEVER;
  }
  // The raw key material is kept only in the keyring, never in the plain env object.
  const { SECRETS_MASTER_KEY: _key, SECRETS_MASTER_KEY_FILE: _file, SECRETS_PREVIOUS_KEYS: _previous, ...rest } = env;
  return { ...rest, secretsKeyring: keyring };
});
export type TConnectionsEnv = z.infer<typeof ZConnectionsEnv>;
export const CONNECTIONS_ENV = Symbol('CONNECTIONS_ENV');

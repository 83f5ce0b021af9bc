import { zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { z } from 'zod';

export const ZAuthEnv = ZServiceBaseEnv.extend({
  SVC_AUTH_PORT: zPort.default(4010),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
  SESSION_TTL_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be between 1 and 365 days')
    .max(365, 'must be between 1 and 365 days')
    .default(30),
  /** How often stale login failure counters and long-ended sessions are deleted. */
  AUTH_HOUSEKEEPING_INTERVAL_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(200, 'must be between 200 ms and 1 day')
    .max(86_400_000, 'must be between 200 ms and 1 day')
    .default(600_000),
});
export type TAuthEnv = z.infer<typeof ZAuthEnv>;
export const AUTH_ENV = Symbol('AUTH_ENV');

import { zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { z } from 'zod';

export const ZPlansEnv = ZServiceBaseEnv.extend({
  SVC_PLANS_PORT: zPort.default(4050),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
});
export type TPlansEnv = z.infer<typeof ZPlansEnv>;
export const PLANS_ENV = Symbol('PLANS_ENV');

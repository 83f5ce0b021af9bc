import { zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { z } from 'zod';

export const ZTenantsEnv = ZServiceBaseEnv.extend({
  SVC_TENANTS_PORT: zPort.default(4020),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
});
export type TTenantsEnv = z.infer<typeof ZTenantsEnv>;
export const TENANTS_ENV = Symbol('TENANTS_ENV');

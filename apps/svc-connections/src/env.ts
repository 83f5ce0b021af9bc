import { zJson, zPort, zPostgresUrl, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { z } from 'zod';

export const ZConnectionsEnv = ZServiceBaseEnv.extend({
  SVC_CONNECTIONS_PORT: zPort.default(4030),
  DATABASE_URL: zPostgresUrl,
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
});
export type TConnectionsEnv = z.infer<typeof ZConnectionsEnv>;
export const CONNECTIONS_ENV = Symbol('CONNECTIONS_ENV');

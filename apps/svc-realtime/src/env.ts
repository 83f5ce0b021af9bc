import { zJson, zPort, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPublicJwkSet } from '@elasticdash/service-kit/internal-token';
import { z } from 'zod';

export const ZRealtimeEnv = ZServiceBaseEnv.extend({
  SVC_REALTIME_PORT: zPort.default(4070),
  REDIS_URL: zRedisUrl,
  INTERNAL_TOKEN_PUBLIC_KEYS: zJson(ZPublicJwkSet),
  /** Interval of the `: hb` comment that keeps proxies from closing idle streams. */
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(1_000, 'must be at least 1000 ms').max(300_000).default(15_000),
  /** Open streams this process accepts; beyond it new streams get 503 (clients retry elsewhere/later). */
  SSE_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** How long a client's socket may stay full (write() returned false) before it is dropped. */
  SSE_SLOW_CLIENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
});
export type TRealtimeEnv = z.infer<typeof ZRealtimeEnv>;
export const REALTIME_ENV = Symbol('REALTIME_ENV');
export const LOGGER = Symbol('LOGGER');

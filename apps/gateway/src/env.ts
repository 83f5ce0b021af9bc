import { zHttpUrl, zJson, zPort, zRedisUrl, ZServiceBaseEnv } from '@elasticdash/service-kit/env';
import { ZPrivateJwk } from '@elasticdash/service-kit/internal-token';
import { z } from 'zod';

const zOrigins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(zHttpUrl).min(1, 'must list at least one origin'));

export const ZGatewayEnv = ZServiceBaseEnv.extend({
  GATEWAY_PORT: zPort.default(4000),
  REDIS_URL: zRedisUrl,
  SVC_AUTH_URL: zHttpUrl,
  SVC_TENANTS_URL: zHttpUrl,
  SVC_CONNECTIONS_URL: zHttpUrl,
  SVC_PLANS_URL: zHttpUrl,
  SVC_DATASETS_URL: zHttpUrl,
  SVC_REALTIME_URL: zHttpUrl,
  SVC_DEPLOYER_URL: zHttpUrl,
  INTERNAL_TOKEN_PRIVATE_KEY: zJson(ZPrivateJwk),
  WEB_ORIGINS: zOrigins,
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[a-z_]{3,32}$/, 'must be 3-32 lowercase letters or underscores')
    .default('ed_session'),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (the web app's rewrite is one). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(1),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && env.INTERNAL_TOKEN_PRIVATE_KEY.kid.startsWith('dev-')) {
    ctx.addIssue({
      code: 'custom',
      path: ['INTERNAL_TOKEN_PRIVATE_KEY'],
      message: 'is the development key from .env.example; generate one with scripts/gen-internal-keys.mjs',
    });
  }
});
export type TGatewayEnv = z.infer<typeof ZGatewayEnv>;
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');

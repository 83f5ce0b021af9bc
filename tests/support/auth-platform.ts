import { SERVICES } from '@elasticdash/contracts/platform/routes';
import { Redis } from 'ioredis';
import { devEnv } from './internal-token.js';
import { freePort } from './ports.js';
import { startService, type RunningService } from './service-process.js';

/** The gateway with svc-auth and svc-tenants only: every other service's routes answer 503. */
export interface AuthPlatform {
  auth: RunningService;
  tenants: RunningService;
  gateway: RunningService;
  stop(): Promise<void>;
}

/**
 * Starts svc-auth, svc-tenants and a gateway in front of them against `databaseUrl`, with a
 * Redis database of their own emptied first (rate-limit windows of earlier runs are gone).
 * `gatewayEnv` adds or overrides the gateway's variables (limits, origins).
 */
export async function startAuthPlatform(options: {
  databaseUrl: string;
  redisDb: number;
  origin: string;
  gatewayEnv?: Record<string, string>;
}): Promise<AuthPlatform> {
  const redisUrl = `redis://127.0.0.1:6379/${options.redisDb}`;
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  redis.disconnect();
  const base = { ...devEnv(), DATABASE_URL: options.databaseUrl, REDIS_URL: redisUrl };
  const auth = await startService({ app: 'svc-auth', port: await freePort(), env: base });
  const tenants = await startService({ app: 'svc-tenants', port: await freePort(), env: base });
  const notStarted: Record<string, string> = {};
  for (const variable of Object.values(SERVICES)) notStarted[variable] = `http://127.0.0.1:${await freePort()}`;
  const gateway = await startService({
    app: 'gateway',
    port: await freePort(),
    env: {
      ...base,
      ...notStarted,
      SVC_AUTH_URL: auth.url,
      SVC_TENANTS_URL: tenants.url,
      WEB_ORIGINS: options.origin,
      ...options.gatewayEnv,
    },
  });
  return {
    auth,
    tenants,
    gateway,
    async stop() {
      for (const service of [gateway, tenants, auth]) await service.stop();
    },
  };
}

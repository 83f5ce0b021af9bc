import { SERVICES } from '@elasticdash/contracts/platform/routes';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp } from '../e2e/support/api-client.js';
import { createTestDatabase } from '../support/database.js';
import { devEnv } from '../support/internal-token.js';
import { freePort } from '../support/ports.js';
import { startService, type RunningService } from '../support/service-process.js';

/** A private gateway + services with low rate limits, so limits can be hit on purpose. */
describe('gateway: rate limits and a service going down', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let auth: RunningService;
  let tenants: RunningService;
  let gateway: RunningService;
  const origin = 'http://localhost:3999';

  beforeAll(async () => {
    database = await createTestDatabase('gateway');
    // A Redis database of its own, emptied first: rate-limit windows of earlier runs are gone.
    const redisUrl = 'redis://127.0.0.1:6379/9';
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    const base = { ...devEnv(), DATABASE_URL: database.url, REDIS_URL: redisUrl };
    auth = await startService({ app: 'svc-auth', port: await freePort(), env: base });
    tenants = await startService({ app: 'svc-tenants', port: await freePort(), env: base });
    // Every other service is not started here: its routes answer 503.
    const notStarted: Record<string, string> = {};
    for (const variable of Object.values(SERVICES)) notStarted[variable] = `http://127.0.0.1:${await freePort()}`;
    gateway = await startService({
      app: 'gateway',
      port: await freePort(),
      env: {
        ...base,
        ...notStarted,
        SVC_AUTH_URL: auth.url,
        SVC_TENANTS_URL: tenants.url,
        WEB_ORIGINS: origin,
        RATE_LIMIT_AUTH_PER_MINUTE: '3',
        RATE_LIMIT_USER_PER_MINUTE: '1000',
      },
    });
  });

  afterAll(async () => {
    for (const service of [gateway, tenants, auth]) await service?.stop();
    await database?.drop();
  });

  it('throttles login per client IP with 429 and Retry-After', async () => {
    const client = new ApiClient(gateway.url, origin);
    const statuses: number[] = [];
    let last;
    for (let attempt = 0; attempt < 5; attempt++) {
      last = await client.post('/api/auth/login', { email: 'nobody@example.test', password: 'whatever-password-1' });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorOf(last!).code).toBe('rate_limited');
  });

  it('answers 503 in the error shape for a stopped service while other routes keep working', async () => {
    const client = new ApiClient(gateway.url, origin);
    // Signup is an auth route and its own bucket (per route id): 3 allowed.
    await signUp(client, 'resilience');
    client.tenantId = await createTenant(client, 'Resilience');
    expect((await client.get('/api/members')).status).toBe(200);

    await tenants.stop();
    const members = await client.get('/api/members', { headers: { 'x-request-id': 'resilience-0001' } });
    // The membership cache may still answer the tenant check; the forward itself must then fail cleanly.
    expect(members.status).toBe(503);
    expect(errorOf(members)).toMatchObject({ code: 'service_unavailable', requestId: 'resilience-0001' });

    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    const prefs = await client.get('/api/me/preferences');
    expect(prefs.status).toBe(200);
  });
});

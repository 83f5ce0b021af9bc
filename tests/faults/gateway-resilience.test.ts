import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp } from '../e2e/support/api-client.js';
import { createTestDatabase } from '../support/database.js';
import { startAuthPlatform, type AuthPlatform } from '../support/auth-platform.js';
import type { RunningService } from '../support/service-process.js';
import { reliabilitySuite } from '../support/reliability.js';

/** A private gateway + services with low rate limits, so limits can be hit on purpose. */
describe('gateway: rate limits and a service going down', () => {
  const fault = reliabilitySuite('faults', 'Gateway');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: AuthPlatform;
  let tenants: RunningService;
  let gateway: RunningService;
  const origin = 'http://localhost:3999';

  beforeAll(async () => {
    database = await createTestDatabase('gateway');
    platform = await startAuthPlatform({
      databaseUrl: database.url,
      redisDb: 9,
      origin,
      gatewayEnv: { RATE_LIMIT_AUTH_PER_MINUTE: '3', RATE_LIMIT_USER_PER_MINUTE: '1000' },
    });
    ({ tenants, gateway } = platform);
  });

  afterAll(async () => {
    await platform?.stop();
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

  fault(
    'A service is down',
    'svc-tenants is stopped behind a running gateway; its routes and svc-auth routes are called',
    async () => {
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
      return 'its routes answer 503 service_unavailable in the error shape (with the request id); /me and /me/preferences keep answering 200';
    },
  );
});

import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp } from '../e2e/support/api-client.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startAuthPlatform, type AuthPlatform } from '../support/auth-platform.js';
import type { RunningService } from '../support/service-process.js';
import { reliabilitySuite } from '../support/reliability.js';

const origin = 'http://localhost:3998';

async function eventuallyStatus(url: string, want: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await fetch(url)).status;
    if (status === want || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * PostgreSQL restarts under the gateway, svc-auth and svc-tenants (a cluster of this test's own,
 * stopped with `pg_ctl -m fast` like a real restart): while it is down, readiness says 503 and
 * requests fail fast with a clean 503 in the error shape (not a hang, and never a 401 that would
 * log the user out); once it is back, the same processes answer again without a restart.
 */
describe('fault: PostgreSQL restarts', () => {
  const fault = reliabilitySuite('faults', 'PostgreSQL');
  let postgres: PrivatePostgres;
  let platform: AuthPlatform;
  let auth: RunningService;
  let tenants: RunningService;
  let gateway: RunningService;
  let client: ApiClient;
  let tenantId = '';

  beforeAll(async () => {
    postgres = await startPrivatePostgres('faults');
    platform = await startAuthPlatform({ databaseUrl: postgres.url, redisDb: 10, origin });
    ({ auth, tenants, gateway } = platform);
    client = new ApiClient(gateway.url, origin);
    await signUp(client, 'pg-restart');
    tenantId = await createTenant(client, 'Restart workspace');
  });

  afterAll(async () => {
    await platform?.stop();
    postgres?.destroy();
  });

  fault(
    'PostgreSQL restarts',
    'a private cluster under the gateway, svc-auth and svc-tenants is stopped (pg_ctl -m fast), a request is made, then it is started again',
    async () => {
      expect((await client.get('/api/tenants')).status).toBe(200);

      postgres.stop('fast');
      let downCode: string;
      let downMs: number;
      try {
        for (const service of [auth, tenants]) {
          expect(await eventuallyStatus(`${service.url}/health/ready`, 503)).toBe(503);
        }
        const started = performance.now();
        const during = await client.get('/api/tenants');
        const elapsedMs = performance.now() - started;
        expect(during.status).toBe(503);
        expect(errorOf(during).code).toBeTruthy();
        expect(errorOf(during).requestId).toBeTruthy();
        expect(elapsedMs).toBeLessThan(10_000);
        // The session is checked against svc-auth: its database being down is not "logged out".
        expect(during.status).not.toBe(401);
        downCode = errorOf(during).code;
        downMs = elapsedMs;
      } finally {
        postgres.start();
      }

      const deadline = Date.now() + 20_000;
      let after = await client.get<{ tenants: { id: string }[] }>('/api/tenants');
      while (after.status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = await client.get('/api/tenants');
      }
      expect(after.status).toBe(200);
      expect(after.body.tenants.map((tenant) => tenant.id)).toContain(tenantId);
      for (const service of [auth, tenants])
        expect(await eventuallyStatus(`${service.url}/health/ready`, 200)).toBe(200);
      // Same processes: nothing was restarted.
      for (const service of [gateway, auth, tenants]) expect(service.process.exitCode).toBeNull();
      return `readiness 503 while down; the request got 503 ${downCode} in ${Math.round(downMs)} ms (not 401, not a hang); 200 again after the restart, no process restarted`;
    },
  );
});

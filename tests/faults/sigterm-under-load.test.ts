import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp } from '../e2e/support/api-client.js';
import { createTestDatabase } from '../support/database.js';
import { startAuthPlatform, type AuthPlatform } from '../support/auth-platform.js';
import type { RunningService } from '../support/service-process.js';
import { reliabilitySuite } from '../support/reliability.js';

const origin = 'http://localhost:3997';
const CLIENTS = 16;

interface Outcome {
  startedAt: number;
  endedAt: number;
  status: number | 'network-error';
  code?: string;
}

/**
 * svc-tenants gets SIGTERM while 16 clients keep calling it through the gateway. Every request it
 * had accepted must complete (200); requests that arrive once it has stopped listening get the
 * gateway's clean 503 `service_unavailable`. No 500/502, no reset connection, no hang.
 */
describe('fault: SIGTERM under load', () => {
  const fault = reliabilitySuite('faults', 'Shutdown');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: AuthPlatform;
  let tenants: RunningService;
  let gateway: RunningService;
  let client: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase('faults_sigterm');
    platform = await startAuthPlatform({
      databaseUrl: database.url,
      redisDb: 11,
      origin,
      gatewayEnv: { RATE_LIMIT_USER_PER_MINUTE: '1000000' },
    });
    ({ tenants, gateway } = platform);
    client = new ApiClient(gateway.url, origin);
    await signUp(client, 'sigterm-load');
    client.tenantId = await createTenant(client, 'SIGTERM workspace');
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  fault(
    'SIGTERM under load',
    `svc-tenants gets SIGTERM while ${CLIENTS} clients keep calling it through the gateway (2.5 s more of traffic)`,
    async () => {
      const outcomes: Outcome[] = [];
      let stopAt = Number.POSITIVE_INFINITY;
      const loop = async () => {
        while (performance.now() < stopAt) {
          const startedAt = performance.now();
          try {
            const response = await client.get('/api/members');
            outcomes.push({
              startedAt,
              endedAt: performance.now(),
              status: response.status,
              code: response.status >= 400 ? errorOf(response).code : undefined,
            });
          } catch {
            outcomes.push({ startedAt, endedAt: performance.now(), status: 'network-error' });
          }
        }
      };
      const loops = Array.from({ length: CLIENTS }, loop);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const sigtermAt = performance.now();
      const exit = tenants.stop('SIGTERM');
      stopAt = sigtermAt + 2_500;
      await Promise.all(loops);
      expect(await exit).toBe(0);

      const byStatus = new Map<string, number>();
      for (const outcome of outcomes) {
        const key = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
        byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      }
      const summary = Object.fromEntries(byStatus);
      const inFlight = outcomes.filter((o) => o.startedAt < sigtermAt && o.endedAt > sigtermAt);
      // Enough traffic to mean something, and requests really were in flight at the SIGTERM.
      expect(outcomes.filter((o) => o.status === 200).length, JSON.stringify(summary)).toBeGreaterThan(50);
      expect(inFlight.length, JSON.stringify(summary)).toBeGreaterThan(0);
      const failed = outcomes.filter(
        (o) => o.status !== 200 && !(o.status === 503 && o.code === 'service_unavailable'),
      );
      expect(failed, JSON.stringify(summary)).toEqual([]);
      // Requests the service had accepted before SIGTERM were served while it drained.
      expect(inFlight.filter((o) => o.status === 200).length, JSON.stringify(summary)).toBeGreaterThan(0);
      return `exit 0; ${inFlight.length} requests in flight at SIGTERM all answered; statuses ${JSON.stringify(summary)}: no 500/502, no reset connection`;
    },
  );
});

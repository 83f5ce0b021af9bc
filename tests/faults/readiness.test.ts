import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { devEnv } from '../support/internal-token.js';
import { freePort } from '../support/ports.js';
import { startService, type RunningService } from '../support/service-process.js';
import { SwitchableTcpProxy } from '../support/tcp-proxy.js';
import { reliabilitySuite } from '../support/reliability.js';

async function readiness(
  service: RunningService,
): Promise<{ status: number; body: { checks: { name: string; status: string }[] } }> {
  const response = await fetch(`${service.url}/health/ready`);
  return { status: response.status, body: await response.json() };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('readiness follows dependencies without a restart', () => {
  const fault = reliabilitySuite('faults', 'Readiness');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: RunningService;
  const proxies: SwitchableTcpProxy[] = [];
  let pgProxy: SwitchableTcpProxy;
  let redisProxy: SwitchableTcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase('readiness');
    pgProxy = new SwitchableTcpProxy(await freePort(), '127.0.0.1', 5432);
    redisProxy = new SwitchableTcpProxy(await freePort(), '127.0.0.1', 6379);
    proxies.push(pgProxy, redisProxy);
    // Migrate through the real port first; the service itself only ever sees the proxies.
    const proxiedDb = new URL(database.url);
    proxiedDb.port = String(pgProxy.port);
    await pgProxy.open();
    service = await startService({
      app: 'svc-tenants',
      port: await freePort(),
      env: { ...devEnv(), DATABASE_URL: proxiedDb.toString(), REDIS_URL: `redis://127.0.0.1:${redisProxy.port}/0` },
    });
    await pgProxy.close();
  });

  afterAll(async () => {
    await service?.stop();
    for (const proxy of proxies) await proxy.close();
    await database?.drop();
  });

  it('is live even while every dependency is down, and not ready', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    const ready = await readiness(service);
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'postgres', status: 'down' }),
        expect.objectContaining({ name: 'redis', status: 'down' }),
      ]),
    );
  });

  fault(
    'Dependencies go away and come back',
    'svc-tenants behind TCP proxies to Postgres and Redis that are switched off and on',
    async () => {
      await pgProxy.open();
      const halfway = await eventually(
        () => readiness(service),
        (r) => r.body.checks.find((c) => c.name === 'postgres')?.status === 'up',
      );
      expect(halfway.status).toBe(503); // Redis still down
      await redisProxy.open();
      const up = await eventually(
        () => readiness(service),
        (r) => r.status === 200,
      );
      expect(up.status).toBe(200);

      await pgProxy.close();
      const down = await eventually(
        () => readiness(service),
        (r) => r.status === 503,
      );
      expect(down.status).toBe(503);
      expect(down.body.checks.find((c) => c.name === 'postgres')?.status).toBe('down');

      await pgProxy.open();
      expect(
        (
          await eventually(
            () => readiness(service),
            (r) => r.status === 200,
          )
        ).status,
      ).toBe(200);
      return 'ready 503 naming the down dependency, 200 once both are back, 503 again when Postgres goes, 200 when it returns — never restarted';
    },
  );
});

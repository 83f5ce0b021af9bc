import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { repoRoot } from '../support/env-file.js';
import { devEnv, signInternalToken } from '../support/internal-token.js';
import { freePort } from '../support/ports.js';
import { startService, type RunningService } from '../support/service-process.js';

describe('env validation at boot', () => {
  it.each([
    ['DATABASE_URL', 'mysql://nope', 'DATABASE_URL: must be a PostgreSQL URL'],
    ['SVC_TENANTS_PORT', '99999', 'SVC_TENANTS_PORT: must be a port between 1 and 65535'],
    ['INTERNAL_TOKEN_PUBLIC_KEYS', '{not json', 'INTERNAL_TOKEN_PUBLIC_KEYS: must be valid JSON'],
  ])('refuses to start when %s is bad, naming it', (name, value, message) => {
    const env = {
      ...process.env,
      ...devEnv(),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      [name]: value,
    };
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'apps/svc-tenants/dist/main.js')], {
      env,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('refuses to start when a variable is missing, naming it', () => {
    const env: Record<string, string> = { ...devEnv(), PATH: process.env.PATH ?? '' };
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'apps/svc-tenants/dist/main.js')], {
      env,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL: missing/);
  });
});

describe('SIGTERM drains in-flight requests', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: RunningService;

  beforeAll(async () => {
    database = await createTestDatabase('sigterm');
    service = await startService({
      app: 'svc-auth',
      port: await freePort(),
      env: { ...devEnv(), DATABASE_URL: database.url },
    });
  });
  afterAll(async () => {
    await service?.stop('SIGKILL');
    await database?.drop();
  });

  it('answers every request already being processed, then exits 0', async () => {
    // Logins spend tens of milliseconds in argon2, so these are mid-flight when SIGTERM lands.
    const token = await signInternalToken('svc-auth', {});
    const inFlight = Array.from({ length: 16 }, (_, index) =>
      fetch(`${service.url}/internal/login`, {
        method: 'POST',
        headers: { 'x-internal-context': token, 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `drain-${index}@example.test`,
          password: 'wrong-password-1',
          client: { userAgent: null, ip: null },
        }),
      }).then((response) => response.status),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    const exit = service.stop('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(statuses).toEqual(Array.from({ length: 16 }, () => 401));
    expect(await exit).toBe(0);
    expect(service.logs()).toContain('shutdown complete');
  });
});

// `pnpm bench:gateway`: the same authenticated, tenant-scoped GET (list members) sent through
// the gateway (session cookie + x-tenant-id) and straight to svc-tenants (internal token),
// in one run, in two phases:
//  1. throughput: autocannon with BENCH_CONNECTIONS connections for BENCH_DURATION s per path
//     → req/s and p50/p99 under load; target: gateway ≥ 60 % of direct req/s;
//  2. latency: BENCH_SAMPLES sequential requests per path (one in flight, so queueing does not
//     hide the cost) timed with µs resolution → p50/p99; target: gateway adds ≤ 2 ms at p50.
// Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 10), BENCH_SAMPLES (default 2000).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { importJWK, SignJWT } from 'jose';
import { loadStackEnv } from './lib/env-file.mjs';
import { repoRoot } from './lib/pnpm.mjs';
import { seedDemo } from './lib/seed.mjs';
import { ensureDatabase, migrateAll, startStack } from './lib/stack.mjs';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const samples = Number(process.env.BENCH_SAMPLES ?? 2000);
const ports = {
  GATEWAY_PORT: '14400',
  SVC_AUTH_PORT: '14410',
  SVC_TENANTS_PORT: '14420',
  SVC_CONNECTIONS_PORT: '14430',
  WEB_PORT: '13400',
};
const { env: base } = loadStackEnv();
const database = new URL(base.DATABASE_URL);
database.pathname = '/elasticdash_bench';
const env = {
  ...base,
  ...ports,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: database.toString(),
  SVC_AUTH_URL: `http://127.0.0.1:${ports.SVC_AUTH_PORT}`,
  SVC_TENANTS_URL: `http://127.0.0.1:${ports.SVC_TENANTS_PORT}`,
  SVC_CONNECTIONS_URL: `http://127.0.0.1:${ports.SVC_CONNECTIONS_PORT}`,
  SVC_PLANS_URL: 'http://127.0.0.1:14450',
  WEB_ORIGINS: 'http://localhost:13400',
  RATE_LIMIT_USER_PER_MINUTE: '100000000',
};

await ensureDatabase(env.DATABASE_URL, { recreate: true });
migrateAll(env);
const stack = await startStack(env, {
  apps: ['svc-auth', 'svc-tenants', 'gateway'],
  logDir: path.join(repoRoot, 'artifacts', 'logs', 'bench-gateway'),
});
try {
  const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  const { tenant } = await seedDemo(gatewayUrl, env.WEB_ORIGINS);
  const login = await fetch(`${gatewayUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: env.WEB_ORIGINS },
    body: JSON.stringify({ email: 'demo@elasticdash.local', password: 'demo-password-1' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const me = await (await fetch(`${gatewayUrl}/api/me`, { headers: { cookie } })).json();

  const jwk = JSON.parse(env.INTERNAL_TOKEN_PRIVATE_KEY);
  const key = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
  const token = await new SignJWT({
    ctx: {
      requestId: `bench-${randomUUID()}`,
      userId: me.user.id,
      email: me.user.email,
      userName: me.user.name,
      sessionId: null,
      tenantId: tenant.id,
      role: 'owner',
    },
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid })
    .setIssuer('elasticdash-gateway')
    .setAudience('svc-tenants')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);

  const run = (title, url, headers) =>
    new Promise((resolve, reject) => {
      autocannon({ title, url, headers, connections, duration, pipelining: 1 }, (error, result) =>
        error ? reject(error) : resolve(result),
      );
    });
  const check = async (url, headers) => {
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  };
  const gatewayTarget = [`${gatewayUrl}/api/members`, { cookie, 'x-tenant-id': tenant.id }];
  const directTarget = [`http://127.0.0.1:${ports.SVC_TENANTS_PORT}/members`, { 'x-internal-context': token }];
  await check(...gatewayTarget);
  await check(...directTarget);

  // Warm both paths (JIT, pools, caches) before measuring.
  await run('warm-up', directTarget[0], directTarget[1]).then(() => undefined);
  const direct = await run('direct', ...directTarget);
  const viaGateway = await run('gateway', ...gatewayTarget);

  // Sequential timing over one keep-alive connection per path.
  const { Agent, request } = await import('undici');
  const sequential = async ([url, headers]) => {
    const dispatcher = new Agent({ connections: 1 });
    const timings = [];
    for (let index = 0; index < samples + 200; index++) {
      const started = process.hrtime.bigint();
      const response = await request(url, { headers, dispatcher });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
      if (index >= 200) timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    await dispatcher.close();
    timings.sort((a, b) => a - b);
    const at = (q) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];
    return { p50: at(0.5), p99: at(0.99) };
  };
  const directLatency = await sequential(directTarget);
  const gatewayLatency = await sequential(gatewayTarget);

  const row = (name, result) => ({
    path: name,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  });
  console.log(`\nThroughput — GET members, ${connections} connections, ${duration} s each`);
  console.table([row('direct → svc-tenants', direct), row('via gateway', viaGateway)]);
  console.log(`Latency — ${samples} sequential requests each (one in flight)`);
  console.table([
    { path: 'direct → svc-tenants', 'p50 ms': directLatency.p50.toFixed(2), 'p99 ms': directLatency.p99.toFixed(2) },
    { path: 'via gateway', 'p50 ms': gatewayLatency.p50.toFixed(2), 'p99 ms': gatewayLatency.p99.toFixed(2) },
  ]);
  const ratio = viaGateway.requests.average / direct.requests.average;
  const addedP50 = gatewayLatency.p50 - directLatency.p50;
  console.log(
    `throughput ratio: ${(ratio * 100).toFixed(1)} % of direct (target ≥ 60 %) ${ratio >= 0.6 ? 'PASS' : 'MISS'}`,
  );
  console.log(`added p50 latency: ${addedP50.toFixed(2)} ms (target ≤ 2 ms) ${addedP50 <= 2 ? 'PASS' : 'MISS'}`);
  if (direct.non2xx + viaGateway.non2xx + direct.errors + viaGateway.errors > 0) {
    console.error('some requests failed');
    process.exitCode = 1;
  }
} finally {
  await stack.stop();
}

// `pnpm bench:browse`: browsing the 1,000,000-row demo `orders` table through the gateway
// (session cookie + x-tenant-id), one client, sequential requests after a warm-up, µs timing:
//   first page of 100 rows                         ≤ 12 ms p50
//   a page at depth 500,000 (keyset cursor)         ≤ 12 ms p50
//   filtered + sorted on an indexed column          ≤ 15 ms p50
//   the same with its estimated row count           ≤ 15 ms p50
//   a page with foreign-key labels                  ≤ 15 ms p50
//   one cell update (with the conflict check)       ≤ 15 ms p50
//   CSV export of all 1,000,000 orders              ≥ 200,000 rows/s, svc-connections peak RSS < 300 MB
// Env: BENCH_SAMPLES (default 500), BENCH_WARMUP (default 200), BENCH_EXPORTS (default 2).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { ensureDemoShop } from './lib/demo-shop.mjs';
import { loadStackEnv } from './lib/env-file.mjs';
import { repoRoot } from './lib/pnpm.mjs';
import { seedDemo } from './lib/seed.mjs';
import { ensureDatabase, migrateAll, startStack } from './lib/stack.mjs';

const samples = Number(process.env.BENCH_SAMPLES ?? 500);
const warmup = Number(process.env.BENCH_WARMUP ?? 200);
const exportRuns = Number(process.env.BENCH_EXPORTS ?? 2);
const ports = {
  GATEWAY_PORT: '14500',
  SVC_AUTH_PORT: '14510',
  SVC_TENANTS_PORT: '14520',
  SVC_CONNECTIONS_PORT: '14530',
  WEB_PORT: '13500',
};
const { env: base } = loadStackEnv();
const database = new URL(base.DATABASE_URL);
database.pathname = '/elasticdash_bench_browse';
const origin = 'http://localhost:13500';
const env = {
  ...base,
  ...ports,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: database.toString(),
  SVC_AUTH_URL: `http://127.0.0.1:${ports.SVC_AUTH_PORT}`,
  SVC_TENANTS_URL: `http://127.0.0.1:${ports.SVC_TENANTS_PORT}`,
  SVC_CONNECTIONS_URL: `http://127.0.0.1:${ports.SVC_CONNECTIONS_PORT}`,
  SVC_PLANS_URL: 'http://127.0.0.1:14550',
  WEB_ORIGINS: origin,
  RATE_LIMIT_USER_PER_MINUTE: '100000000',
};

const shop = await ensureDemoShop(base.DATABASE_URL);
await ensureDatabase(env.DATABASE_URL, { recreate: true });
migrateAll(env);
const stack = await startStack(env, {
  apps: ['svc-auth', 'svc-tenants', 'svc-connections', 'gateway'],
  logDir: path.join(repoRoot, 'artifacts', 'logs', 'bench-browse'),
});
const servicePid = stack.running.find((app) => app.name === 'svc-connections')?.child.pid;
const dispatcher = new Agent({ connections: 1 });

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

try {
  const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  const { tenant, user } = await seedDemo(gatewayUrl, origin);
  const login = await fetch(`${gatewayUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const cookies = login.headers.getSetCookie().map((value) => value.split(';')[0]);
  const csrf = cookies.find((cookie) => cookie.startsWith('ed_csrf='))?.slice('ed_csrf='.length) ?? '';
  const headers = { cookie: cookies.join('; '), 'x-tenant-id': tenant.id, 'x-csrf-token': csrf, origin };

  const call = async (method, url, body) => {
    const response = await request(gatewayUrl + url, {
      method,
      dispatcher,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${text}`);
    return JSON.parse(text);
  };

  const { connection } = await call('POST', '/api/connections', {
    name: `Demo shop (bench ${new Date().toISOString()})`,
    settings: { host: shop.host, port: shop.port, database: shop.database, user: shop.user, sslMode: 'disable' },
    password: shop.password || 'unused-with-trust-auth',
  });
  const rowsUrl = `/api/connections/${connection.id}/rows`;
  const orders = { schema: 'public', table: 'orders', limit: 100, withLabels: false, count: 'none' };
  const shipped = {
    ...orders,
    sort: [{ column: 'ordered_at', direction: 'desc' }],
    filter: {
      type: 'group',
      combinator: 'and',
      children: [{ type: 'condition', column: 'status', op: 'eq', value: 'shipped' }],
    },
  };
  // A cursor for the row with key 500,000: the cursor of page one with its key value replaced.
  const first = await call('POST', `${rowsUrl}/query`, orders);
  const payload = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8'));
  const deepCursor = Buffer.from(JSON.stringify({ ...payload, k: ['500000'] })).toString('base64url');
  const deep = await call('POST', `${rowsUrl}/query`, { ...orders, after: deepCursor });
  if (deep.rows[0]?.key?.id !== '500001') throw new Error(`deep page starts at ${deep.rows[0]?.key?.id}`);

  let note = (await call('POST', `${rowsUrl}/query`, { ...orders, limit: 1, after: deepCursor })).rows[0].values.note;
  let edits = 0;
  const scenarios = [
    { name: 'first page (100 rows)', target: 12, run: () => call('POST', `${rowsUrl}/query`, orders) },
    {
      name: 'page at depth 500,000',
      target: 12,
      run: () => call('POST', `${rowsUrl}/query`, { ...orders, after: deepCursor }),
    },
    {
      name: 'filtered + sorted (status, ordered_at desc)',
      target: 15,
      run: () => call('POST', `${rowsUrl}/query`, shipped),
    },
    {
      name: 'filtered + sorted + estimated count',
      target: 15,
      run: async () => {
        const page = await call('POST', `${rowsUrl}/query`, { ...shipped, count: 'estimate' });
        if (!page.count) throw new Error('no count');
      },
    },
    {
      name: 'page with FK labels',
      target: 15,
      run: () => call('POST', `${rowsUrl}/query`, { ...orders, withLabels: true }),
    },
    {
      // Not a target of its own: what the grid sends by default (labels and an estimated count).
      name: '(info) grid default: labels + estimate',
      target: 15,
      run: () => call('POST', `${rowsUrl}/query`, { schema: 'public', table: 'orders', limit: 100 }),
    },
    {
      name: 'one cell update',
      target: 15,
      run: async () => {
        const next = `bench edit ${++edits}`;
        await call('POST', `${rowsUrl}/update`, {
          schema: 'public',
          table: 'orders',
          key: { id: '500001' },
          changes: { note: next },
          expected: { note },
        });
        note = next;
      },
    },
  ];

  const results = [];
  for (const scenario of scenarios) {
    for (let index = 0; index < warmup; index++) await scenario.run();
    const timings = [];
    for (let index = 0; index < samples; index++) {
      const started = process.hrtime.bigint();
      await scenario.run();
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    timings.sort((a, b) => a - b);
    const at = (q) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];
    results.push({
      scenario: scenario.name,
      'p50 ms': at(0.5).toFixed(2),
      'p99 ms': at(0.99).toFixed(2),
      target: `≤ ${scenario.target} ms p50`,
      result: at(0.5) <= scenario.target ? 'PASS' : 'MISS',
    });
  }

  // CSV export of every order, read as fast as the client can.
  const view = Buffer.from(JSON.stringify({ schema: 'public', table: 'orders', sort: [] })).toString('base64url');
  let best = 0;
  let lines = 0;
  for (let run = 0; run < exportRuns; run++) {
    const started = process.hrtime.bigint();
    const response = await request(`${gatewayUrl}/api/connections/${connection.id}/export?view=${view}`, {
      method: 'GET',
      dispatcher,
      headers,
    });
    if (response.statusCode !== 200)
      throw new Error(`export answered ${response.statusCode}: ${await response.body.text()}`);
    lines = 0;
    for await (const chunk of response.body) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, (lines - 1) / seconds);
  }
  const rss = servicePid ? peakRssMb(servicePid) : Number.NaN;
  results.push({
    scenario: `CSV export (${lines - 1} rows)`,
    'p50 ms': `${Math.round(best).toLocaleString('en')} rows/s`,
    'p99 ms': `peak RSS ${rss.toFixed(0)} MB`,
    target: '≥ 200,000 rows/s, RSS < 300 MB',
    result: best >= 200_000 && rss < 300 && lines - 1 === 1_000_000 ? 'PASS' : 'MISS',
  });

  console.log(
    `\nBrowse — public.orders (1,000,000 rows) through the gateway, ${samples} sequential samples each after ${warmup} warm-up`,
  );
  console.table(results);
  if (results.some((result) => result.result === 'MISS')) process.exitCode = 1;
} finally {
  await dispatcher.close();
  await stack.stop();
}

// `pnpm bench:load`: the whole platform (without the web app) on its own ports and database,
// seeded with the demo workspace, the demo shop connection (1,000,000 orders), a 200,000-row
// dataset with a dashboard, and a plan. Then BENCH_LOAD_CLIENTS (default 200) clients loop over a
// mixed workload through the gateway for BENCH_LOAD_SECONDS (default 60), while BENCH_LOAD_SSE
// (default 50) SSE streams stay subscribed to /api/events:
//   browse rows of the orders table · list datasets · dataset rows · open the dashboard (the
//   document + 4 panel queries) · list plans
// Prints p50 / p99 / count / errors per route; PASS = zero 5xx. Memory (RSS) of every process is
// sampled every 5 s; with BENCH_LOAD_SOAK=1 the run lasts 10 minutes and PASS also needs every
// process's RSS at the end within 10 % of its value after the first minute (warm-up).
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Agent } from 'undici';
import { loadStackEnv } from './lib/env-file.mjs';
import { repoRoot } from './lib/pnpm.mjs';
import { ensureDemoShop } from './lib/demo-shop.mjs';
import { registerDemoShop, seedDemo } from './lib/seed.mjs';
import { APPS, ensureDatabase, migrateAll, startLocalS3IfConfigured, startStack } from './lib/stack.mjs';

const soak = process.env.BENCH_LOAD_SOAK === '1';
const clients = Number(process.env.BENCH_LOAD_CLIENTS ?? 200);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? (soak ? 600 : 60));
const sseStreams = Number(process.env.BENCH_LOAD_SSE ?? 50);
const warmupSeconds = Math.min(60, Math.floor(seconds / 4));
const datasetRows = 200_000;

const base = 15300;
const ports = {
  GATEWAY_PORT: base,
  SVC_AUTH_PORT: base + 10,
  SVC_TENANTS_PORT: base + 20,
  SVC_CONNECTIONS_PORT: base + 30,
  SVC_DATASETS_PORT: base + 40,
  SVC_PLANS_PORT: base + 50,
  SVC_DEPLOYER_PORT: base + 60,
  SVC_REALTIME_PORT: base + 70,
  WORKER_PORT: base + 80,
  S3_PORT: base + 90,
  WEB_PORT: base + 99,
};
const { env: stackEnv } = loadStackEnv();
const database = new URL(stackEnv.DATABASE_URL);
database.pathname = '/elasticdash_bench_load';
const url = (port) => `http://127.0.0.1:${port}`;
const origin = url(ports.WEB_PORT);
const env = {
  ...stackEnv,
  ...Object.fromEntries(Object.entries(ports).map(([name, value]) => [name, String(value)])),
  // Production mode refuses the dev signing keys of .env.example; logs are kept to warnings.
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: database.toString(),
  SVC_AUTH_URL: url(ports.SVC_AUTH_PORT),
  SVC_TENANTS_URL: url(ports.SVC_TENANTS_PORT),
  SVC_CONNECTIONS_URL: url(ports.SVC_CONNECTIONS_PORT),
  SVC_PLANS_URL: url(ports.SVC_PLANS_PORT),
  SVC_DATASETS_URL: url(ports.SVC_DATASETS_PORT),
  SVC_REALTIME_URL: url(ports.SVC_REALTIME_PORT),
  SVC_DEPLOYER_URL: url(ports.SVC_DEPLOYER_PORT),
  S3_LOCAL: 'true',
  S3_ENDPOINT: url(ports.S3_PORT),
  S3_BUCKET: 'elasticdash-bench-load',
  BULLMQ_PREFIX: 'ed-bench-load',
  DEPLOY_LOCAL_ROOT: path.join(os.tmpdir(), 'ed-bench-load-targets'),
  GATEWAY_URL: url(ports.GATEWAY_PORT),
  WEB_ORIGINS: origin,
  // Every client comes from 127.0.0.1 as one user: the limits are not what is measured here.
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_USER_PER_MINUTE: '100000000',
};

const gateway = url(ports.GATEWAY_PORT);
const dispatcher = new Agent({ connections: clients + sseStreams + 16, keepAliveTimeout: 30_000 });
const s3Dir = mkdtempSync(path.join(os.tmpdir(), 'ed-bench-load-s3-'));
let stack;
let stopS3 = async () => undefined;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function api(headers, method, pathname, body) {
  const response = await fetch(gateway + '/api' + pathname, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

try {
  await ensureDatabase(env.DATABASE_URL, { recreate: true });
  migrateAll(env);
  stopS3 = await startLocalS3IfConfigured(env, s3Dir);
  const apps = APPS.filter((app) => !app.web).map((app) => app.name);
  stack = await startStack(env, { apps, onOutput: (line) => process.stderr.write(line + '\n') });

  // ── seed ──────────────────────────────────────────────────────────────────────────────────
  const demo = await seedDemo(gateway, origin);
  const headers = { ...demo.headers, 'x-tenant-id': demo.tenant.id };
  const admin = new URL(stackEnv.DATABASE_URL);
  admin.pathname = '/postgres';
  const shopSettings = await ensureDemoShop(admin.toString(), 'elasticdash_demo_shop', {
    log: (line) => console.log(`[demo-shop] ${line}`),
  });
  const connection = await registerDemoShop(gateway, demo, shopSettings);

  // The dataset in the worker's layout, written with SQL (ingest speed is bench:ingest's subject).
  const datasetId = randomUUID();
  const hex = (id) => id.replaceAll('-', '');
  const table = `"ds_${hex(demo.tenant.id)}"."d_${hex(datasetId)}_v1"`;
  const columns = [
    { key: 'c1', name: 'ordered_at', type: 'timestamp', position: 0 },
    { key: 'c2', name: 'category', type: 'text', position: 1 },
    { key: 'c3', name: 'amount', type: 'numeric', position: 2 },
    { key: 'c4', name: 'region', type: 'text', position: 3 },
  ];
  const sql = new pg.Client({ connectionString: env.DATABASE_URL });
  await sql.connect();
  await sql.query(`create schema if not exists "ds_${hex(demo.tenant.id)}"`);
  await sql.query(`create table ${table} (_row bigint primary key, c1 timestamptz, c2 text, c3 numeric, c4 text)`);
  await sql.query(
    `insert into ${table}
     select i, timestamptz '2024-01-01 00:00:00+00' + (i * interval '97 seconds'),
            'category ' || (i % 25), round((random() * 900 + 5)::numeric, 2),
            (array['north','south','east','west'])[1 + (i % 4)]
     from generate_series(1, $1::int) as i`,
    [datasetRows],
  );
  await sql.query(`analyze ${table}`);
  await sql.query(
    `insert into datasets.datasets (id, tenant_id, name, status, version, live_table, columns, row_count, ready_at)
     values ($1, $2, 'Orders (load)', 'ready', 1, $3, $4::jsonb, $5, now())`,
    [datasetId, demo.tenant.id, table, JSON.stringify(columns), datasetRows],
  );
  await sql.end();
  const { dashboard } = await api(headers, 'POST', '/dashboards', { name: 'Load dashboard', datasetId });
  const { EXAMPLE_CS_JSON } = await import('../packages/contracts/dist/plans/cs-json.js');
  await api(headers, 'POST', '/v1/plans', { document: { ...structuredClone(EXAMPLE_CS_JSON), name: 'Load plan' } });

  const panelQueries = [
    { x: { kind: 'time', column: 'c1', grain: 'day' }, y: { agg: 'count' } },
    { x: { kind: 'category', column: 'c2', limit: 20 }, y: { agg: 'sum', column: 'c3' } },
    { x: { kind: 'category', column: 'c4', limit: 10 }, y: { agg: 'count' } },
    { y: { agg: 'avg', column: 'c3' } },
  ];

  // ── workload ──────────────────────────────────────────────────────────────────────────────
  const samples = new Map(); // route → { ms: number[], status: Map<number|string, number> }
  const record = (route, ms, status) => {
    let entry = samples.get(route);
    if (!entry) samples.set(route, (entry = { ms: [], status: new Map() }));
    entry.ms.push(ms);
    entry.status.set(status, (entry.status.get(status) ?? 0) + 1);
  };
  const timed = async (route, method, pathname, body) => {
    const started = performance.now();
    let status;
    try {
      const response = await fetch(gateway + '/api' + pathname, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher,
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      status = `error ${error.cause?.code ?? error.name}`;
    }
    record(route, performance.now() - started, status);
  };
  const actions = [
    {
      weight: 30,
      run: (i) =>
        timed('rows.query (orders)', 'POST', `/connections/${connection.id}/rows/query`, {
          schema: 'public',
          table: 'orders',
          limit: 50,
          sort: [{ column: 'id', direction: i % 2 ? 'asc' : 'desc' }],
          count: 'estimate',
        }),
    },
    { weight: 15, run: () => timed('datasets.list', 'GET', '/datasets') },
    {
      weight: 15,
      run: (i) => timed('datasets.rows', 'GET', `/datasets/${datasetId}/rows?limit=50&offset=${(i % 100) * 50}`),
    },
    {
      weight: 20,
      run: async () => {
        await timed('dashboards.get', 'GET', `/dashboards/${dashboard.id}`);
        await Promise.all(
          panelQueries.map((query) => timed('datasets.query (panel)', 'POST', `/datasets/${datasetId}/query`, query)),
        );
      },
    },
    { weight: 20, run: () => timed('plans.list', 'GET', '/v1/plans') },
  ];
  const totalWeight = actions.reduce((sum, action) => sum + action.weight, 0);
  const pick = () => {
    let roll = Math.random() * totalWeight;
    for (const action of actions) if ((roll -= action.weight) < 0) return action;
    return actions[0];
  };

  // SSE subscribers: count the bytes they receive and any stream that ends early.
  const sseAbort = new AbortController();
  let sseFailures = 0;
  let sseOpened = 0;
  const sse = Array.from({ length: sseStreams }, async () => {
    try {
      const response = await fetch(gateway + '/api/events', { headers, signal: sseAbort.signal, dispatcher });
      if (response.status !== 200) {
        sseFailures++;
        return;
      }
      sseOpened++;
      for await (const _chunk of response.body) {
        // heartbeats and events; nothing to do
      }
      if (!sseAbort.signal.aborted) sseFailures++;
    } catch {
      if (!sseAbort.signal.aborted) sseFailures++;
    }
  });

  const pids = stack.running.map(({ name, child }) => ({ name, pid: child.pid }));
  const memory = new Map(pids.map(({ name }) => [name, []]));
  const sampleMemory = (elapsed) => {
    for (const { name, pid } of pids) memory.get(name).push({ elapsed, mib: rssMiB(pid) });
  };
  console.log(
    `load: ${clients} clients for ${seconds} s, ${sseStreams} SSE streams${soak ? ' (soak)' : ''}; warm-up ${warmupSeconds} s`,
  );
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let warmupMark = null;
  const sampler = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    sampleMemory(elapsed);
    if (warmupMark === null && elapsed >= warmupSeconds) warmupMark = elapsed;
  }, 5_000);
  sampleMemory(0);
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let i = client;
      while (performance.now() < deadline) await pick().run(i++);
    }),
  );
  clearInterval(sampler);
  sampleMemory((performance.now() - started) / 1000);
  sseAbort.abort();
  await Promise.allSettled(sse);
  const wallSeconds = (performance.now() - started) / 1000;

  // ── report ────────────────────────────────────────────────────────────────────────────────
  let fiveXx = 0;
  let total = 0;
  const rows = [];
  for (const [route, entry] of [...samples].sort()) {
    const sorted = entry.ms.sort((a, b) => a - b);
    const errors5 = [...entry.status].filter(([s]) => typeof s !== 'number' || s >= 500).reduce((n, [, c]) => n + c, 0);
    const other = [...entry.status]
      .filter(([s]) => typeof s === 'number' && s >= 400 && s < 500)
      .reduce((n, [, c]) => n + c, 0);
    fiveXx += errors5;
    total += sorted.length;
    rows.push({
      route,
      requests: sorted.length,
      'req/s': (sorted.length / wallSeconds).toFixed(1),
      'p50 ms': percentile(sorted, 50).toFixed(1),
      'p99 ms': percentile(sorted, 99).toFixed(1),
      '5xx/errors': errors5,
      '4xx': other,
      statuses: JSON.stringify(Object.fromEntries(entry.status)),
    });
  }
  console.table(rows);
  console.log(
    `total ${total} requests in ${wallSeconds.toFixed(1)} s = ${(total / wallSeconds).toFixed(0)} req/s; ` +
      `SSE streams opened ${sseOpened}/${sseStreams}, ended early or refused ${sseFailures}`,
  );
  const memoryRows = [];
  let leak = false;
  for (const [name, points] of memory) {
    const afterWarmup = points.find((point) => point.elapsed >= warmupSeconds) ?? points[0];
    const last = points[points.length - 1];
    const growth = (last.mib - afterWarmup.mib) / afterWarmup.mib;
    if (soak && growth > 0.1) leak = true;
    memoryRows.push({
      process: name,
      'RSS start MiB': points[0].mib.toFixed(0),
      [`RSS at ${warmupSeconds} s MiB`]: afterWarmup.mib.toFixed(0),
      'RSS end MiB': last.mib.toFixed(0),
      'growth after warm-up': `${(growth * 100).toFixed(1)} %`,
    });
  }
  console.table(memoryRows);
  const pass = fiveXx === 0 && sseFailures === 0 && (!soak || !leak);
  // Rows for docs/reliability.md ("Load"): `node scripts/reliability-report.mjs` renders them.
  const how = `${clients} clients for ${Math.round(wallSeconds)} s through the gateway, ${sseStreams} SSE streams open, on this machine (${os.cpus().length} cores)`;
  const reportRows = rows.map((row) => ({
    attack: row.route,
    how,
    result: `${row.requests} requests (${row['req/s']}/s), p50 ${row['p50 ms']} ms, p99 ${row['p99 ms']} ms, ${row['5xx/errors']} 5xx/errors`,
    passed: row['5xx/errors'] === 0,
  }));
  reportRows.push({
    attack: 'SSE subscribers',
    how,
    result: `${sseOpened}/${sseStreams} streams open for the whole run, ${sseFailures} ended early or refused`,
    passed: sseFailures === 0,
  });
  if (soak) {
    const worst = memoryRows.map((row) => `${row.process} ${row['growth after warm-up']}`).join(', ');
    reportRows.push({
      attack: `Soak: memory after ${warmupSeconds} s warm-up`,
      how,
      result: `RSS growth to the end: ${worst}`,
      passed: !leak,
    });
  }
  const reportDir = path.join(repoRoot, 'artifacts', 'reliability');
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(
    path.join(reportDir, `load-${soak ? 'soak' : 'mixed'}.json`),
    `${JSON.stringify({ section: 'load', area: soak ? 'Soak' : 'Mixed traffic', recordedAt: new Date().toISOString(), rows: reportRows }, null, 2)}\n`,
  );
  console.log(
    `${pass ? 'PASS' : 'FAIL'}: ${fiveXx} 5xx/errors (target 0), ${sseFailures} SSE failures (target 0)` +
      (soak
        ? `, memory growth after warm-up ${leak ? 'above' : 'within'} 10 %`
        : ' (memory: run BENCH_LOAD_SOAK=1 for the 10-minute soak)'),
  );
  process.exitCode = pass ? 0 : 1;
} catch (error) {
  console.error(`bench:load failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await stack?.stop();
  await stopS3();
  await dispatcher.close().catch(() => undefined);
  rmSync(s3Dir, { recursive: true, force: true });
}

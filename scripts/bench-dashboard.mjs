// `pnpm bench:dashboard`: a 12-panel dashboard over a 1,000,000-row dataset, straight against
// svc-datasets (internal context token signed with the dev key, like the gateway does):
//   all 12 panel queries sent at once, cold (empty cache) — printed, informational
//   the same 12 again, warm (cached per data version)    — every panel answered ≤ 1.5 s
// The dataset and its data table (the worker's layout) are created with SQL, so no CSV ingest
// is involved. Env: BENCH_ROWS (default 1,000,000), BENCH_WARM_RUNS (default 3).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importJWK, SignJWT } from 'jose';
import pg from 'pg';
import { loadStackEnv } from './lib/env-file.mjs';
import { repoRoot } from './lib/pnpm.mjs';
import { startLocalS3 } from './lib/s3-local.mjs';
import { ensureDatabase } from './lib/stack.mjs';

const rowsWanted = Number(process.env.BENCH_ROWS ?? 1_000_000);
const warmRuns = Number(process.env.BENCH_WARM_RUNS ?? 3);
const targetMs = 1500;
const port = '14640';
const { env: base } = loadStackEnv();
const database = new URL(base.DATABASE_URL);
database.pathname = '/elasticdash_bench_dashboard';

const s3Dir = mkdtempSync(path.join(os.tmpdir(), 'ed-bench-s3-'));
const s3 = await startLocalS3({ directory: s3Dir, bucket: 'elasticdash-bench' });
const env = {
  ...base,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: database.toString(),
  SVC_DATASETS_PORT: port,
  S3_ENDPOINT: s3.endpoint,
  S3_PUBLIC_ENDPOINT: '',
  S3_BUCKET: 'elasticdash-bench',
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
};

const tenantId = randomUUID();
const datasetId = randomUUID();
const hex = (id) => id.replaceAll('-', '');
const table = `"ds_${hex(tenantId)}"."d_${hex(datasetId)}_v1"`;
const columns = [
  { key: 'c1', name: 'ordered_at', type: 'timestamp', position: 0 },
  { key: 'c2', name: 'category', type: 'text', position: 1 },
  { key: 'c3', name: 'amount', type: 'numeric', position: 2 },
  { key: 'c4', name: 'qty', type: 'integer', position: 3 },
  { key: 'c5', name: 'paid', type: 'boolean', position: 4 },
  { key: 'c6', name: 'ship_date', type: 'date', position: 5 },
  { key: 'c7', name: 'region', type: 'text', position: 6 },
  { key: 'c8', name: 'channel', type: 'text', position: 7 },
];

let service;
const sql = new pg.Client({ connectionString: env.DATABASE_URL });
try {
  await ensureDatabase(env.DATABASE_URL, { recreate: true });
  const migrate = spawnSync(process.execPath, [path.join(repoRoot, 'apps', 'svc-datasets', 'dist', 'migrate.js')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`svc-datasets migrations failed:\n${migrate.stdout}${migrate.stderr}`);

  await sql.connect();
  const seeded = process.hrtime.bigint();
  await sql.query(`create schema "ds_${hex(tenantId)}"`);
  await sql.query(
    `create table ${table} (_row bigint primary key, c1 timestamptz, c2 text, c3 numeric, c4 bigint, c5 boolean,
       c6 date, c7 text, c8 text)`,
  );
  // Two years of orders; categories and regions skewed so top-N and group-by have work to do.
  await sql.query(
    `insert into ${table}
     select i,
            timestamptz '2023-01-01 00:00:00+00' + (i * interval '63 seconds'),
            'category ' || lpad((floor(power(random(), 2) * 40))::int::text, 2, '0'),
            round((random() * 900 + 5)::numeric, 2),
            1 + (random() * 9)::int,
            random() < 0.8,
            case when random() < 0.05 then null else date '2023-01-02' + (i / 1370) end,
            (array['north','south','east','west','central'])[1 + floor(power(random(), 1.5) * 5)::int],
            (array['web','store','phone'])[1 + (i % 3)]
     from generate_series(1, $1::int) as i`,
    [rowsWanted],
  );
  await sql.query(`analyze ${table}`);
  await sql.query(
    `insert into datasets.datasets (id, tenant_id, name, status, version, live_table, columns, row_count, ready_at)
     values ($1, $2, 'Orders (bench)', 'ready', 1, $3, $4::jsonb, $5, now())`,
    [datasetId, tenantId, table, JSON.stringify(columns), rowsWanted],
  );
  console.log(
    `seeded ${rowsWanted.toLocaleString('en')} rows in ${(Number(process.hrtime.bigint() - seeded) / 1e9).toFixed(1)} s`,
  );

  service = spawn(process.execPath, [path.join(repoRoot, 'apps', 'svc-datasets', 'dist', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (service.exitCode !== null) throw new Error(`svc-datasets exited with ${service.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error('svc-datasets did not become ready within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  const jwk = JSON.parse(env.INTERNAL_TOKEN_PRIVATE_KEY);
  const key = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
  const token = () =>
    new SignJWT({
      ctx: {
        requestId: `bench-${randomUUID()}`,
        userId: randomUUID(),
        email: 'bench@example.test',
        userName: 'bench',
        sessionId: randomUUID(),
        tenantId,
        role: 'viewer',
      },
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: 'JWT' })
      .setIssuer('elasticdash-gateway')
      .setAudience('svc-datasets')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);

  const panels = [
    { title: 'line: orders per day', query: { x: { kind: 'time', column: 'c1', grain: 'day' }, y: { agg: 'count' } } },
    {
      title: 'line: revenue per day',
      query: { x: { kind: 'time', column: 'c1', grain: 'day' }, y: { agg: 'sum', column: 'c3' } },
    },
    {
      title: 'bar: revenue by category',
      query: { x: { kind: 'category', column: 'c2', limit: 20 }, y: { agg: 'sum', column: 'c3' } },
    },
    {
      title: 'pie: orders by region',
      query: { x: { kind: 'category', column: 'c7', limit: 10 }, y: { agg: 'count' } },
    },
    { title: 'number: total revenue', query: { y: { agg: 'sum', column: 'c3' } } },
    { title: 'number: average quantity', query: { y: { agg: 'avg', column: 'c4' } } },
    {
      title: 'area: revenue by month per channel',
      query: {
        x: { kind: 'time', column: 'c1', grain: 'month' },
        y: { agg: 'sum', column: 'c3' },
        groupBy: { column: 'c8', limit: 5 },
      },
    },
    {
      title: 'bar: qty by category, paid/unpaid',
      query: {
        x: { kind: 'category', column: 'c2', limit: 10 },
        y: { agg: 'sum', column: 'c4' },
        groupBy: { column: 'c5', limit: 2 },
      },
    },
    {
      title: 'line: paid orders per week',
      query: {
        x: { kind: 'time', column: 'c1', grain: 'week' },
        y: { agg: 'count' },
        filters: [{ column: 'c5', op: 'eq', value: true }],
      },
    },
    {
      title: 'table: avg amount by category',
      query: { x: { kind: 'category', column: 'c2', limit: 50 }, y: { agg: 'avg', column: 'c3' } },
    },
    {
      title: 'number: big orders in north/east',
      query: {
        y: { agg: 'count' },
        filters: [
          { column: 'c3', op: 'gt', value: 500 },
          { column: 'c7', op: 'in', value: ['north', 'east'] },
        ],
      },
    },
    {
      title: 'area: orders per hour in March 2024 by region',
      query: {
        x: { kind: 'time', column: 'c1', grain: 'hour' },
        y: { agg: 'count' },
        groupBy: { column: 'c7', limit: 5 },
        filters: [{ column: 'c1', op: 'between', value: ['2024-03-01T00:00:00Z', '2024-03-31T23:59:59Z'] }],
      },
    },
  ];

  const runPanel = async (panel) => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${url}/datasets/${datasetId}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-context': await token() },
      body: JSON.stringify(panel.query),
    });
    const text = await response.text();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status !== 200) throw new Error(`${panel.title} answered ${response.status}: ${text}`);
    const body = JSON.parse(text);
    return { ms, cached: body.cached, points: body.points.length };
  };
  const runAll = async () => {
    const started = process.hrtime.bigint();
    const results = await Promise.all(panels.map(runPanel));
    return { results, totalMs: Number(process.hrtime.bigint() - started) / 1e6 };
  };

  const cold = await runAll();
  const warm = [];
  for (let run = 0; run < warmRuns; run++) warm.push(await runAll());
  const worstWarm = (index) => Math.max(...warm.map((round) => round.results[index].ms));

  console.log(
    `\nDashboard — 12 panels over ${rowsWanted.toLocaleString('en')} rows, all sent at once (warm: worst of ${warmRuns} rounds)`,
  );
  console.table(
    panels.map((panel, index) => ({
      panel: panel.title,
      points: cold.results[index].points,
      'cold ms': cold.results[index].ms.toFixed(1),
      'warm ms': worstWarm(index).toFixed(1),
      'warm cached': warm.every((round) => round.results[index].cached),
      result: worstWarm(index) <= targetMs ? 'PASS' : 'FAIL',
    })),
  );
  const warmTotal = Math.max(...warm.map((round) => round.totalMs));
  console.log(`cold: all 12 answered in ${cold.totalMs.toFixed(1)} ms (informational)`);
  console.log(`warm: all 12 answered in ${warmTotal.toFixed(1)} ms (target ≤ ${targetMs} ms per panel)`);
  const pass = panels.every((_, index) => worstWarm(index) <= targetMs) && warmTotal <= targetMs;
  console.log(pass ? 'PASS' : 'FAIL');
  if (!pass) process.exitCode = 1;
} finally {
  if (service && service.exitCode === null) {
    const exited = new Promise((resolve) => service.once('exit', resolve));
    service.kill('SIGTERM');
    await exited;
  }
  await sql.end().catch(() => undefined);
  await s3.stop();
  rmSync(s3Dir, { recursive: true, force: true });
}

// `pnpm bench:ingest [--rows 3000000] [--runs 2]`: the dataset.ingest worker against raw `psql \copy`.
//  1. writes an N-row (default 1,000,000) 10-column CSV to a temp file (streamed, ~100 MB per 1M rows);
//  2. starts s3rver and the built worker (apps/worker/dist) against a fresh database with
//     svc-datasets' migrations, uploads the file, inserts the upload/ingest rows and enqueues the
//     job as svc-datasets does, and times enqueue → `dataset.status` ready (Redis pub/sub), while
//     sampling the worker's RSS from /proc/<pid>/status (VmHWM = peak);
//  3. times `psql \copy` of the same file into a table of the same shape;
//  4. prints rows/s of both, the ratio and PASS/FAIL for ratio ≥ 60 % and peak RSS < 250 MB.
// The two are timed alternately `--runs` times (each worker run is a re-ingest: a new version
// swapped in, the previous dropped) and the best of each is compared, so background load on a
// shared machine does not decide the verdict.
// Needs: `turbo run build` (worker + svc-datasets dist), Postgres and Redis on loopback, psql.
// Env: BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startLocalS3 } from './lib/s3-local.mjs';
import { adminQuery, freePort } from './lib/bench-support.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argRows = process.argv.indexOf('--rows');
const rows = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
const argRuns = process.argv.indexOf('--runs');
const runs = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 2;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const RATIO_TARGET = 0.6;
const RSS_TARGET_MB = 250;

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ed-bench-ingest-'));
const csvFile = path.join(workDir, 'data.csv');
const databaseName = `ed_bench_ingest_${randomUUID().slice(0, 8)}`;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const fmt = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n);
const cleanups = [];

async function generateCsv(file, count) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const cities = ['Berlin', 'Paris', 'Lisbon', 'Oslo', 'Rome', 'Vienna', 'Madrid', 'Prague', 'Dublin', 'Athens'];
  out.write('id,amount,quantity,paid,day,created_at,city,code,score,note\n');
  let batch = '';
  for (let i = 1; i <= count; i++) {
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String((i % 28) + 1).padStart(2, '0');
    const hour = String(i % 24).padStart(2, '0');
    batch +=
      `${i},${((i * 7919) % 100000) / 100},${i % 500},${i % 3 === 0 ? 'true' : 'false'},2024-${month}-${day},` +
      `2024-${month}-${day}T${hour}:15:00Z,${cities[i % 10]},C${(i * 31) % 10007},${(i % 997) / 7},` +
      `"note ${i % 1000}, ok"\n`;
    if (i % 5000 === 0) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

function readStatus(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

async function waitHealthy(url, child, logs) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}):\n${logs()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`worker not ready within 30 s:\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

try {
  const workerMain = path.join(repoRoot, 'apps', 'worker', 'dist', 'main.js');
  const migrateMain = path.join(repoRoot, 'apps', 'svc-datasets', 'dist', 'migrate.js');
  for (const file of [workerMain, migrateMain]) {
    try {
      statSync(file);
    } catch {
      throw new Error(`${path.relative(repoRoot, file)} is missing: build first (pnpm build)`);
    }
  }

  console.log(`[bench:ingest] generating ${fmt(rows)} rows × 10 columns …`);
  await generateCsv(csvFile, rows);
  const size = statSync(csvFile).size;
  console.log(`[bench:ingest] ${csvFile}: ${fmt(size / 1024 / 1024)} MiB`);

  await adminQuery(adminUrl, `create database "${databaseName}"`);
  cleanups.push(() => adminQuery(adminUrl, `drop database if exists "${databaseName}" with (force)`));
  const migrate = spawnSync(process.execPath, [migrateMain], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`svc-datasets migrate failed:\n${migrate.stdout}${migrate.stderr}`);

  const bucket = 'elasticdash-bench';
  const s3Dir = path.join(workDir, 's3');
  const s3Server = await startLocalS3({ directory: s3Dir, bucket });
  cleanups.push(() => s3Server.stop());
  const s3Env = {
    S3_ENDPOINT: s3Server.endpoint,
    S3_REGION: 'us-east-1',
    S3_BUCKET: bucket,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const s3 = new S3Client({
    endpoint: s3Server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // A streamed body would otherwise go aws-chunked with a checksum trailer, which s3rver stores verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  cleanups.push(() => s3.destroy());

  const prefix = `ed-bench-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  let workerLogs = '';
  const worker = spawn(process.execPath, [workerMain], {
    env: {
      ...process.env,
      ...s3Env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_VERBOSE ? 'debug' : 'info',
      WORKER_PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      BULLMQ_PREFIX: prefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keepLog = (chunk) => (workerLogs = (workerLogs + chunk.toString()).slice(-20_000));
  worker.stdout.on('data', keepLog);
  worker.stderr.on('data', keepLog);
  cleanups.push(async () => {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
  });
  await waitHealthy(`http://127.0.0.1:${port}/health/ready`, worker, () => workerLogs);

  const tenantId = randomUUID();
  const uploadId = randomUUID();
  const objectKey = `tenants/${tenantId}/uploads/${uploadId}.csv`;
  console.log('[bench:ingest] uploading to s3rver …');
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: createReadStream(csvFile), ContentLength: size }),
  );
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  cleanups.push(() => sql.end());
  const { rows: created } = await sql.query(
    `insert into datasets.datasets (tenant_id, name, status, latest_upload_id, file_name, size_bytes)
     values ($1, 'bench', 'processing', $2, 'data.csv', $3) returning id`,
    [tenantId, uploadId, size],
  );
  const datasetId = created[0].id;
  await sql.query(
    `insert into datasets.uploads (id, tenant_id, dataset_id, object_key, mode, file_name, size_bytes, status, completed_at)
     values ($1, $2, $3, $4, 'single', 'data.csv', $5, 'completed', now())`,
    [uploadId, tenantId, datasetId, objectKey, size],
  );

  const subscriber = new Redis(redisUrl);
  cleanups.push(() => subscriber.disconnect());
  await subscriber.subscribe('ed:events');
  let onStatus = () => undefined;
  subscriber.on('message', (_channel, message) => {
    try {
      const event = JSON.parse(message).event;
      if (event?.type === 'dataset.status' && event.datasetId === datasetId) onStatus(event);
    } catch {
      // not ours
    }
  });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('dataset-ingest', { connection, prefix });
  cleanups.push(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
  });
  await sql.query(`create table bench_copy (
    id bigint, amount numeric, quantity bigint, paid boolean, day date, created_at timestamptz,
    city text, code text, score numeric, note text)`);

  let peakRss = 0;
  const sampler = setInterval(() => {
    const status = readStatus(worker.pid);
    if (status) peakRss = Math.max(peakRss, status.rss, status.hwm);
  }, 50);
  cleanups.push(() => clearInterval(sampler));

  /** One ingest (a new version each run, as a re-upload would): enqueue → `dataset.status` ready. */
  async function workerRun(version) {
    const ingestId = randomUUID();
    await sql.query(
      `insert into datasets.ingests (id, tenant_id, dataset_id, upload_id, target_version, request_id)
       values ($1, $2, $3, $4, $5, 'bench-ingest')`,
      [ingestId, tenantId, datasetId, uploadId, version],
    );
    const finished = new Promise((resolve) => (onStatus = resolve));
    const started = performance.now();
    await queue.add(
      'dataset.ingest',
      { tenantId, datasetId, ingestId, requestId: 'bench-ingest' },
      { jobId: ingestId, attempts: 1 },
    );
    const event = await finished;
    const ms = performance.now() - started;
    if (event.status !== 'ready') throw new Error(`ingest ended ${event.status}: ${event.failureReason}`);
    if (event.rowCount !== rows) throw new Error(`ingest loaded ${event.rowCount} rows, expected ${rows}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the log line follows the event
    const line = workerLogs
      .split('\n')
      .filter((l) => l.includes('"ingest finished"'))
      .at(-1);
    return { ms, detail: line ? JSON.parse(line) : {} };
  }

  /** `psql \copy` of the same file into a table of the same shape (emptied between runs). */
  function copyRun() {
    spawnSync('psql', [databaseUrl, '-qc', 'truncate bench_copy']);
    const started = performance.now();
    const copy = spawnSync(
      'psql',
      [
        databaseUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy bench_copy from '${csvFile}' with (format csv, header true)`,
      ],
      { encoding: 'utf8' },
    );
    const ms = performance.now() - started;
    if (copy.status !== 0) throw new Error(`psql \\copy failed:\n${copy.stdout}${copy.stderr}`);
    return ms;
  }

  // Alternate the two so background load on the machine hits both alike; keep the best of each.
  const workerTimes = [];
  const copyTimes = [];
  for (let run = 1; run <= runs; run++) {
    console.log(`[bench:ingest] run ${run}/${runs}: psql \\copy …`);
    copyTimes.push(copyRun());
    console.log(`[bench:ingest] run ${run}/${runs}: worker ingest …`);
    const result = await workerRun(run);
    workerTimes.push(result);
    const d = result.detail;
    console.log(
      `  psql ${fmt(copyTimes.at(-1) / 1000)} s, worker ${fmt(result.ms / 1000)} s` +
        (d.copyMs ? ` (read+COPY ${fmt(d.copyMs / 1000)} s, index+ANALYZE+stats ${fmt(d.statsMs / 1000)} s)` : ''),
    );
  }
  clearInterval(sampler);
  const final = readStatus(worker.pid);
  if (final) peakRss = Math.max(peakRss, final.hwm);
  if (process.env.BENCH_VERBOSE) console.log(workerLogs);

  const workerMs = Math.min(...workerTimes.map((r) => r.ms));
  const copyMs = Math.min(...copyTimes);
  const workerRate = rows / (workerMs / 1000);
  const copyRate = rows / (copyMs / 1000);
  const ratio = workerRate / copyRate;
  const ratioOk = ratio >= RATIO_TARGET;
  const rssOk = peakRss < RSS_TARGET_MB;
  console.log('');
  console.log(`rows                   ${fmt(rows)} (${fmt(size / 1024 / 1024)} MiB), best of ${runs} runs each`);
  console.log(`worker (enqueue→ready) ${fmt(workerMs / 1000)} s  ${fmt(workerRate)} rows/s`);
  console.log(`psql \\copy              ${fmt(copyMs / 1000)} s  ${fmt(copyRate)} rows/s`);
  console.log(
    `ratio                  ${fmt(ratio * 100)} %  (target ≥ ${RATIO_TARGET * 100} %)  ${ratioOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(`worker peak RSS        ${fmt(peakRss)} MB  (target < ${RSS_TARGET_MB} MB)  ${rssOk ? 'PASS' : 'FAIL'}`);
  process.exitCode = ratioOk && rssOk ? 0 : 1;
} catch (error) {
  console.error(`[bench:ingest] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
}

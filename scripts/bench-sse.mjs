// `pnpm bench:sse`: live-event fan-out of svc-realtime (built dist) against the local Redis.
// Opens BENCH_CLIENTS concurrent SSE streams for one workspace straight to the service (internal
// token signed with the dev key, as the gateway does), publishes BENCH_EVENTS events one after
// another with the real publisher (XADD + PUBLISH), and times each event's arrival at every
// client from just before the publish call:
//   per-client delivery latency p99 ≤ 200 ms
// Prints p50/p95/p99/max; exits non-zero when a client cannot connect or an event is missing.
// Env: BENCH_CLIENTS (default 1000), BENCH_EVENTS (default 1), BENCH_TIMEOUT_MS (default 10000).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { importJWK, SignJWT } from 'jose';
import { Agent, request } from 'undici';
import { RealtimeRedis } from '../packages/contracts/dist/realtime/event.js';
import { createRealtimePublisher } from '../packages/service-kit/dist/realtime-publisher.js';
import { loadStackEnv } from './lib/env-file.mjs';
import { repoRoot } from './lib/pnpm.mjs';
import { startStack } from './lib/stack.mjs';

const clients = Number(process.env.BENCH_CLIENTS ?? 1000);
const events = Number(process.env.BENCH_EVENTS ?? 1);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);
const targetP99Ms = 200;
const port = '14570';
const { env: base } = loadStackEnv();
const env = {
  ...base,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  SVC_REALTIME_PORT: port,
  SSE_MAX_CONNECTIONS: String(clients + 100),
  SHUTDOWN_GRACE_MS: '0',
};
const url = `http://127.0.0.1:${port}/events`;
const tenantId = randomUUID();

const redis = new Redis(env.REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, retryStrategy: () => null });
redis.on('error', () => undefined);
try {
  await redis.connect();
  await redis.ping();
} catch (error) {
  console.error(`bench:sse needs Redis at REDIS_URL (${env.REDIS_URL}) (${error.message}); is it running?`);
  process.exit(1);
}
const stack = await startStack(env, {
  apps: ['svc-realtime'],
  logDir: path.join(repoRoot, 'artifacts', 'logs', 'bench-sse'),
});
// startStack waits for liveness; streams need the Redis subscription too (readiness).
for (let attempt = 0; ; attempt++) {
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
  if (ready?.ok) break;
  if (attempt > 100) {
    await stack.stop();
    throw new Error('svc-realtime did not become ready within 10 s');
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const servicePid = stack.running.find((app) => app.name === 'svc-realtime')?.child.pid;
const dispatcher = new Agent({ connections: clients + 10, pipelining: 1, bodyTimeout: 0, headersTimeout: 10_000 });
const publisher = createRealtimePublisher(redis);
const streams = [];

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function token() {
  const jwk = JSON.parse(env.INTERNAL_TOKEN_PRIVATE_KEY);
  const key = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
  return new SignJWT({
    ctx: {
      requestId: `bench-${randomUUID()}`,
      userId: randomUUID(),
      email: 'bench@elasticdash.local',
      userName: 'bench',
      sessionId: null,
      tenantId,
      role: 'viewer',
    },
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: 'JWT' })
    .setIssuer('elasticdash-gateway')
    .setAudience('svc-realtime')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

/** The event being timed: clients look for its marker (a fresh dataset id) in the raw bytes. */
const current = { marker: null, id: null };
const FRAME_END = Buffer.from('\n\n');

/**
 * One SSE client, kept lean so the measurement is the server's delivery rather than this
 * process's parsing: raw bytes are scanned for the current marker and the end of its frame
 * (a short tail of the previous chunk covers a frame split across chunks).
 */
async function open(headers) {
  const response = await request(url, { dispatcher, headers });
  if (response.statusCode !== 200) {
    throw new Error(`GET /events answered ${response.statusCode}: ${await response.body.text()}`);
  }
  const client = { body: response.body, arrivals: new Map(), ready: null };
  let markReady;
  let tail = null;
  let seenMarker = false;
  client.ready = new Promise((resolve) => (markReady = resolve));
  response.body.on('data', (chunk) => {
    const now = performance.now();
    if (markReady) {
      if (chunk.includes('retry:')) {
        markReady();
        markReady = null;
      }
      return;
    }
    if (!current.marker || client.arrivals.has(current.id)) return;
    const bytes = tail ? Buffer.concat([tail, chunk]) : chunk;
    const at = seenMarker ? 0 : bytes.indexOf(current.marker);
    if (at !== -1) seenMarker = true;
    if (seenMarker && bytes.indexOf(FRAME_END, Math.max(0, at)) !== -1) {
      client.arrivals.set(current.id, now);
      seenMarker = false;
      tail = null;
      return;
    }
    tail = bytes.subarray(Math.max(0, bytes.length - 64));
  });
  response.body.on('error', () => undefined);
  return client;
}

let failed;
try {
  const headers = { accept: 'text/event-stream', 'x-internal-context': await token() };
  const connectStarted = performance.now();
  // Batches keep the accept backlog from overflowing (dropped SYNs would add 1 s retransmits).
  for (let index = 0; index < clients; index += 100) {
    const batch = Array.from({ length: Math.min(100, clients - index) }, () => open(headers));
    streams.push(...(await Promise.all(batch)));
  }
  await Promise.all(streams.map((client) => client.ready));
  const connectMs = performance.now() - connectStarted;
  await new Promise((resolve) => setTimeout(resolve, 500));

  const latencies = [];
  let missing = 0;
  for (let round = 0; round < events; round++) {
    const datasetId = randomUUID();
    current.id = datasetId;
    current.marker = Buffer.from(datasetId);
    const started = performance.now();
    await publisher.publish(
      tenantId,
      { type: 'dataset.progress', datasetId, progress: { rowsDone: round, percent: null } },
      `bench-${round}`,
    );
    const deadline = started + timeoutMs;
    while (streams.some((client) => !client.arrivals.has(datasetId)) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const client of streams) {
      const at = client.arrivals.get(datasetId);
      if (at === undefined) missing++;
      else latencies.push(at - started);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const p99 = at(0.99);
  failed = missing > 0 || !(p99 <= targetP99Ms);
  console.log(
    `\nSSE fan-out — ${clients} concurrent streams of one workspace, ${events} event(s), ` +
      `connected in ${Math.round(connectMs)} ms, svc-realtime peak RSS ${servicePid ? peakRssMb(servicePid).toFixed(0) : '?'} MB`,
  );
  console.table([
    {
      deliveries: `${latencies.length}/${clients * events}`,
      'p50 ms': at(0.5).toFixed(1),
      'p95 ms': at(0.95).toFixed(1),
      'p99 ms': p99.toFixed(1),
      'max ms': at(1).toFixed(1),
      target: `p99 ≤ ${targetP99Ms} ms, none missing`,
      result: failed ? 'FAIL' : 'PASS',
    },
  ]);
} catch (error) {
  failed = true;
  console.error(`bench:sse failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  for (const client of streams) client.body.destroy();
  await dispatcher.destroy().catch(() => undefined);
  await stack.stop();
  await redis.del(RealtimeRedis.streamKey(tenantId)).catch(() => undefined);
  redis.disconnect();
}
process.exitCode = failed ? 1 : 0;

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { CacheChannel } from '@elasticdash/contracts/platform/events';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { RealtimeRedis, ZRealtimeEnvelope, type TRealtimeEvent } from '@elasticdash/contracts/realtime/event';
import { createRealtimePublisher, type RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devEnv, signInternalToken } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';
import { SseStream, type TSseFrame } from './sse-reader.js';

/**
 * svc-realtime against real Redis: the built service runs as a process, events are published
 * with the real publisher (XADD + PUBLISH in one script), and streams are read over HTTP.
 */

interface Member {
  tenantId: string;
  userId: string;
  sessionId: string;
  role: TRole;
}

const redisUrl = devEnv().REDIS_URL ?? 'redis://127.0.0.1:6379/0';
let service: RunningService;
let redis: Redis;
let publisher: RealtimePublisher;
const tenantsUsed = new Set<string>();
const open: SseStream[] = [];

function newMember(tenantId: string = randomUUID(), role: TRole = 'viewer'): Member {
  tenantsUsed.add(tenantId);
  return { tenantId, userId: randomUUID(), sessionId: randomUUID(), role };
}

async function tokenFor(who: Member, audience = 'svc-realtime'): Promise<string> {
  return signInternalToken(audience, {
    tenantId: who.tenantId,
    userId: who.userId,
    email: `${who.userId.slice(0, 8)}@example.test`,
    sessionId: who.sessionId,
    role: who.role,
  });
}

async function connect(who: Member, extra: Record<string, string> = {}, query = '', target = service) {
  const stream = await SseStream.open(`${target.url}/events${query}`, {
    'x-internal-context': await tokenFor(who),
    ...extra,
  });
  open.push(stream);
  return stream;
}

let sequence = 0;
function progress(datasetId = randomUUID()): TRealtimeEvent {
  return { type: 'dataset.progress', datasetId, progress: { rowsDone: ++sequence, percent: null } };
}

function publish(tenantId: string, event: TRealtimeEvent = progress()): Promise<string> {
  return publisher.publish(tenantId, event, `req-${randomUUID()}`);
}

function envelopes(frames: TSseFrame[]) {
  return frames
    .filter((frame) => frame.event.startsWith('dataset.'))
    .map((frame) => {
      const envelope = ZRealtimeEnvelope.parse(JSON.parse(frame.data));
      expect(frame.id).toBe(envelope.id);
      expect(frame.event).toBe(envelope.event.type);
      return envelope;
    });
}

const idsOf = (frames: TSseFrame[]) => envelopes(frames).map((envelope) => envelope.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = new Redis(redisUrl);
  publisher = createRealtimePublisher(redis);
  service = await startService({
    app: 'svc-realtime',
    env: { ...devEnv(), LOG_LEVEL: 'warn', SSE_HEARTBEAT_MS: '1000', SHUTDOWN_GRACE_MS: '100' },
    port: await freePort(),
    portVar: 'SVC_REALTIME_PORT',
    migrate: false,
    waitForReady: true,
  });
});

afterAll(async () => {
  for (const stream of open) stream.close();
  if (process.env.SHOW_SERVICE_LOGS) console.log(service?.logs());
  const code = await service?.stop();
  if (tenantsUsed.size > 0) await redis.del(...[...tenantsUsed].map(RealtimeRedis.streamKey));
  redis?.disconnect();
  expect(code, service?.logs()).toBe(0);
});

describe('access', () => {
  it('answers 401 in the error shape without a token, with a forged one, or one for another service', async () => {
    const who = newMember();
    const attempts: Record<string, string>[] = [
      {},
      { 'x-internal-context': 'not-a-token' },
      { 'x-internal-context': await tokenFor(who, 'svc-plans') },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${service.url}/events`, { headers });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('unauthenticated');
      expect(body.error.requestId).toEqual(expect.any(String));
    }
  });

  it('answers 403 to a token without a workspace', async () => {
    const token = await signInternalToken('svc-realtime', { userId: randomUUID(), email: 'x@example.test' });
    const response = await fetch(`${service.url}/events`, { headers: { 'x-internal-context': token } });
    expect(response.status).toBe(403);
  });

  it('is ready when Redis answers and the subscriber is subscribed', async () => {
    const response = await fetch(`${service.url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: { name: string; status: string }[] };
    expect(body.checks.map((check) => [check.name, check.status])).toEqual([
      ['redis', 'up'],
      ['redis-subscriber', 'up'],
    ]);
  });
});

describe('stream', () => {
  it('opens with SSE headers, a retry hint and a comment, then heartbeats', async () => {
    const stream = await connect(newMember(), { 'x-request-id': 'rt-test-headers' });
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.response.headers.get('x-request-id')).toBe('rt-test-headers');
    await stream.until(() => stream.retry !== null, 2_000, 'retry');
    expect(stream.retry).toBe(3000);
    expect(stream.comments[0]).toBe('connected');
    await stream.until(() => stream.comments.includes('hb'), 3_000, 'a heartbeat');
    expect(stream.frames).toEqual([]);
  });

  it("delivers a tenant's events to every stream of that tenant and never to another tenant's", async () => {
    const a1 = newMember();
    const a2 = newMember(a1.tenantId, 'owner');
    const b = newMember();
    const [streamA1, streamA2, streamB] = await Promise.all([connect(a1), connect(a2), connect(b)]);

    const idsA = [await publish(a1.tenantId), await publish(a1.tenantId)];
    const idB = await publish(b.tenantId);
    idsA.push(await publish(a1.tenantId));

    await Promise.all([streamA1.untilEvents(3), streamA2.untilEvents(3), streamB.untilEvents(1)]);
    await sleep(200);
    expect(idsOf(streamA1.frames)).toEqual(idsA);
    expect(idsOf(streamA2.frames)).toEqual(idsA);
    expect(idsOf(streamB.frames)).toEqual([idB]);
    for (const envelope of envelopes(streamA1.frames)) expect(envelope.tenantId).toBe(a1.tenantId);
    expect(envelopes(streamB.frames)[0]?.tenantId).toBe(b.tenantId);
  });

  it('drops invalid envelopes on the channel and keeps serving', async () => {
    const who = newMember();
    const stream = await connect(who);
    const valid = {
      id: '1-0',
      tenantId: who.tenantId,
      at: new Date().toISOString(),
      requestId: null,
      event: progress(),
    };
    await redis.publish(RealtimeRedis.channel, 'not json');
    await redis.publish(RealtimeRedis.channel, JSON.stringify({ ...valid, tenantId: 'not-a-uuid' }));
    await redis.publish(RealtimeRedis.channel, JSON.stringify({ ...valid, event: { type: 'unknown.type' } }));
    await redis.publish(RealtimeRedis.channel, JSON.stringify({ ...valid, id: 'abc' }));
    const id = await publish(who.tenantId);
    await stream.untilEvents(1);
    await sleep(100);
    expect(idsOf(stream.frames)).toEqual([id]);
  });
});

describe('Last-Event-ID', () => {
  it('replays exactly the missed events, in order, then continues live without duplicates', async () => {
    const who = newMember();
    const first = await connect(who);
    const seen = [await publish(who.tenantId), await publish(who.tenantId)];
    await first.untilEvents(2);
    first.close();
    await first.untilEnded();

    const missed: string[] = [];
    for (let index = 0; index < 5; index++) missed.push(await publish(who.tenantId));
    const second = await connect(who, { 'last-event-id': seen[1] ?? '' });
    await second.untilEvents(5);
    const live = await publish(who.tenantId);
    await second.untilEvents(6);
    await sleep(100);
    expect(idsOf(second.frames)).toEqual([...missed, live]);
  });

  it('accepts ?lastEventId= for clients that cannot set headers (the header wins when both are sent)', async () => {
    const who = newMember();
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) ids.push(await publish(who.tenantId));
    const byQuery = await connect(who, {}, `?lastEventId=${ids[1]}`);
    await byQuery.untilEvents(2);
    const both = await connect(who, { 'last-event-id': ids[2] ?? '' }, `?lastEventId=${ids[0]}`);
    await both.untilEvents(1);
    await sleep(100);
    expect(idsOf(byQuery.frames)).toEqual(ids.slice(2));
    expect(idsOf(both.frames)).toEqual(ids.slice(3));
  });

  it('has no gap and no duplicate when events keep arriving during the replay', async () => {
    const who = newMember();
    const start = await publish(who.tenantId);
    let publishing = true;
    const published: string[] = [];
    const producer = (async () => {
      while (publishing) published.push(await publish(who.tenantId));
    })();
    await sleep(50);
    const stream = await connect(who, { 'last-event-id': start });
    await sleep(300);
    publishing = false;
    await producer;
    await stream.until(
      () => stream.frames.length > 0 && stream.frames.at(-1)?.id === published.at(-1),
      5_000,
      'the last published event',
    );
    await sleep(100);
    expect(published.length).toBeGreaterThan(20);
    expect(idsOf(stream.frames)).toEqual(published);
  });

  it('never replays a stream entry that belongs to another tenant or is unreadable', async () => {
    const who = newMember();
    const stranger = newMember();
    const from = await publish(who.tenantId);
    const key = RealtimeRedis.streamKey(who.tenantId);
    const foreign = { id: '0-0', tenantId: stranger.tenantId, at: new Date().toISOString(), requestId: null };
    await redis.xadd(key, '*', 'e', JSON.stringify({ ...foreign, event: progress() }));
    await redis.xadd(key, '*', 'e', '{not json');
    await redis.xadd(key, '*', 'other', 'field');
    const own = await publish(who.tenantId);
    const stream = await connect(who, { 'last-event-id': from });
    await stream.untilEvents(1);
    await sleep(200);
    expect(idsOf(stream.frames)).toEqual([own]);
    expect(envelopes(stream.frames)[0]?.tenantId).toBe(who.tenantId);
  });

  it('answers 400 in the error shape for an id that is not a stream id', async () => {
    const who = newMember();
    const cases: [Record<string, string>, string, string][] = [
      [{ 'last-event-id': 'abc' }, '', 'headers.last-event-id'],
      [{ 'last-event-id': '1-2-3' }, '', 'headers.last-event-id'],
      [{ 'last-event-id': '99999999999999999999999-0' }, '', 'headers.last-event-id'],
      [{}, '?lastEventId=12', 'query.lastEventId'],
    ];
    for (const [headers, query, path] of cases) {
      const response = await fetch(`${service.url}/events${query}`, {
        headers: { 'x-internal-context': await tokenFor(who), ...headers },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: { code: string; requestId: string; details: { issues: { path: string }[] } };
      };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.requestId).toEqual(expect.any(String));
      expect(body.error.details.issues[0]?.path).toBe(path);
    }
  });

  it('sends event: reset when the missed events were trimmed from the stream', async () => {
    const who = newMember();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push(await publish(who.tenantId));
    await redis.xtrim(RealtimeRedis.streamKey(who.tenantId), 'MAXLEN', 1);
    const stream = await connect(who, { 'last-event-id': ids[0] ?? '' });
    await stream.untilEvents(1);
    const live = await publish(who.tenantId);
    await stream.untilEvents(2);
    expect(stream.frames[0]).toMatchObject({ event: 'reset', id: ids[2] });
    expect(JSON.parse(stream.frames[0]?.data ?? '{}')).toEqual({ reason: 'history_trimmed' });
    expect(idsOf(stream.frames)).toEqual([live]);
  });

  it('sends event: reset for an id the stream never issued', async () => {
    const who = newMember();
    const latest = await publish(who.tenantId);
    const stream = await connect(who, { 'last-event-id': '99999999999999-0' });
    await stream.untilEvents(1);
    expect(stream.frames[0]).toMatchObject({ event: 'reset', id: latest });

    const stranger = newMember();
    const empty = await connect(stranger, { 'last-event-id': latest });
    await empty.untilEvents(1);
    expect(empty.frames[0]).toMatchObject({ event: 'reset', id: '' });
  });
});

describe('membership and session changes', () => {
  it("ends the removed member's streams at once, and every stream of the tenant when userId is null", async () => {
    const removed = newMember();
    const stays = newMember(removed.tenantId);
    const other = newMember();
    const [removedStream, removedSecondTab, staysStream, otherStream] = await Promise.all([
      connect(removed),
      connect(removed),
      connect(stays),
      connect(other),
    ]);
    await redis.publish(
      CacheChannel.membershipChanged,
      JSON.stringify({ tenantId: removed.tenantId, userId: removed.userId }),
    );
    await Promise.all([removedStream.untilEnded(2_000), removedSecondTab.untilEnded(2_000)]);
    const id = await publish(removed.tenantId);
    await staysStream.untilEvents(1);
    expect(idsOf(staysStream.frames)).toEqual([id]);
    expect(staysStream.ended).toBe(false);

    await redis.publish(CacheChannel.membershipChanged, JSON.stringify({ tenantId: removed.tenantId, userId: null }));
    await staysStream.untilEnded(2_000);
    await sleep(100);
    expect(otherStream.ended).toBe(false);
  });

  it('ends the streams of revoked sessions', async () => {
    const who = newMember();
    const otherSession = { ...who, sessionId: randomUUID() };
    const [revoked, kept] = await Promise.all([connect(who), connect(otherSession)]);
    await redis.publish(
      CacheChannel.sessionsRevoked,
      JSON.stringify({ userId: who.userId, sessionIds: [who.sessionId] }),
    );
    await revoked.untilEnded(2_000);
    await sleep(100);
    expect(kept.ended).toBe(false);
  });
});

/** Kills (CLIENT KILL) the Redis subscriber connection of one service process, found by its local port. */
async function killSubscriberOf(pid: number): Promise<void> {
  const sockets = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' });
  const localPorts = new Set(
    sockets
      .split('\n')
      .filter((line) => line.includes(`pid=${pid},`))
      .map((line) => /\S+:(\d+)\s+\S+:\d+\s+users/.exec(line)?.[1])
      .filter((port): port is string => port !== undefined),
  );
  const clients = (await redis.client('LIST')) as string;
  const line = clients
    .split('\n')
    .find(
      (entry) =>
        entry.includes(' name=svc-realtime-subscriber ') && localPorts.has(/ addr=[^ ]+:(\d+) /.exec(entry)?.[1] ?? ''),
    );
  const id = line ? /^id=(\d+)/.exec(line)?.[1] : undefined;
  if (!id) throw new Error(`no subscriber connection found for pid ${pid}`);
  await redis.client('KILL', 'ID', id);
}

async function connectWhenReady(who: Member, headers: Record<string, string>): Promise<SseStream> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect(who, headers);
    } catch (error) {
      if (attempt > 50 || !String(error).includes('503')) throw error;
      await sleep(100);
    }
  }
}

describe('subscriber connection loss', () => {
  it('ends every stream, and a reconnect with Last-Event-ID replays what was published meanwhile', async () => {
    const who = newMember();
    const stream = await connect(who);
    const seen = await publish(who.tenantId);
    await stream.untilEvents(1);

    await killSubscriberOf(service.process.pid ?? -1);
    await stream.untilEnded(3_000);
    const missed = await publish(who.tenantId);

    const again = await connectWhenReady(who, { 'last-event-id': seen });
    await again.untilEvents(1);
    const live = await publish(who.tenantId);
    await again.untilEvents(2);
    expect(idsOf(again.frames)).toEqual([missed, live]);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
  });
});

describe('capacity', () => {
  it('refuses streams beyond SSE_MAX_CONNECTIONS with 503 and retry-after', async () => {
    const instance = await startService({
      app: 'svc-realtime',
      env: { ...devEnv(), LOG_LEVEL: 'fatal', SSE_MAX_CONNECTIONS: '2', SHUTDOWN_GRACE_MS: '0' },
      port: await freePort(),
      portVar: 'SVC_REALTIME_PORT',
      migrate: false,
      waitForReady: true,
    });
    try {
      const who = newMember();
      const first = await connect(who, {}, '', instance);
      await connect(who, {}, '', instance);
      const refused = await fetch(`${instance.url}/events`, {
        headers: { 'x-internal-context': await tokenFor(who) },
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('3');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');

      first.close();
      await first.untilEnded();
      let reopened: SseStream | undefined;
      for (let attempt = 0; attempt < 20 && !reopened; attempt++) {
        reopened = await connect(who, {}, '', instance).catch(() => undefined);
        if (!reopened) await sleep(50);
      }
      expect(reopened).toBeDefined();
    } finally {
      for (const stream of open) stream.close();
      await instance.stop();
    }
  });
});

describe('shutdown', () => {
  it('on SIGTERM sends event: shutdown to every open stream and exits 0 promptly', async () => {
    const instance = await startService({
      app: 'svc-realtime',
      env: { ...devEnv(), LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '200', SHUTDOWN_TIMEOUT_MS: '10000' },
      port: await freePort(),
      portVar: 'SVC_REALTIME_PORT',
      migrate: false,
      waitForReady: true,
    });
    try {
      const who = newMember();
      const streams = await Promise.all([1, 2, 3].map(() => connect(who, {}, '', instance)));
      // A stream the client gave up on: undici then keeps a fresh socket that never sends a request.
      const abandoned = await connect(who, {}, '', instance);
      abandoned.close();
      await abandoned.untilEnded();
      const started = Date.now();
      const code = await instance.stop('SIGTERM');
      const elapsed = Date.now() - started;
      expect(code, instance.logs()).toBe(0);
      expect(elapsed).toBeLessThan(2_000);
      for (const stream of streams) {
        await stream.untilEnded(1_000);
        expect(stream.frames.at(-1)?.event).toBe('shutdown');
      }
    } finally {
      await instance.stop('SIGKILL');
    }
  });
});

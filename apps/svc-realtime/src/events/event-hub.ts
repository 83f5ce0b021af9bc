import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RealtimeRedis, type TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import { envelopeFromStreamEntry } from '@elasticdash/service-kit/realtime-publisher';
import { REDIS } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LOGGER, REALTIME_ENV, type TRealtimeEnv } from '../env.js';
import { SocketSweeper } from '../lifecycle/socket-sweeper.js';
import { eventFrame, HEARTBEAT_FRAME, resetFrame, shutdownFrame, type TResetReason } from './sse-frames.js';
import type { SseClient, TCloseReason, TFrame } from './sse-client.js';
import { streamIdKey, streamIdOf } from './stream-id.js';

/** How long open streams get to flush their `event: shutdown` before their sockets are destroyed. */
const SHUTDOWN_FLUSH_MS = 1_000;

export function frameOf(envelope: TRealtimeEnvelope): TFrame | null {
  const key = streamIdKey(envelope.id);
  return key === null ? null : { key, bytes: Buffer.from(eventFrame(envelope)) };
}

/**
 * Every open stream of this process, by tenant. Live envelopes (from the one Redis
 * subscriber) are written to the streams of their own tenant only; reconnecting clients
 * replay from the tenant's Redis stream first.
 */
@Injectable()
export class EventHub implements OnModuleInit, OnModuleDestroy {
  private readonly byTenant = new Map<string, Set<SseClient>>();
  private count = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Set at shutdown: no new streams, every open one is ended. */
  closing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REALTIME_ENV) private readonly env: TRealtimeEnv,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly sweeper: SocketSweeper,
  ) {}

  get size(): number {
    return this.count;
  }

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.beat(), this.env.SSE_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Registers a client for live events. With `fromKey` (a Last-Event-ID) the client holds live
   * events while the tenant's stream is replayed after that id, then flushes them skipping what
   * the replay already sent: registering before reading the stream is what makes it gap-free.
   */
  async attach(client: SseClient, fromKey: bigint | null): Promise<void> {
    const { tenantId } = client.identity;
    let clients = this.byTenant.get(tenantId);
    if (!clients) this.byTenant.set(tenantId, (clients = new Set()));
    clients.add(client);
    this.count++;
    this.logger.info(
      { ...client.identity, lastEventId: fromKey === null ? null : streamIdOf(fromKey), open: this.count },
      'stream opened',
    );
    if (fromKey === null) return;
    // The client has everything up to fromKey: live frames still in flight from before are skipped too.
    client.cursor = fromKey;
    client.pending = [];
    try {
      await this.replay(client, fromKey);
      client.resume();
    } catch (error) {
      this.logger.warn({ err: error, requestId: client.identity.requestId }, 'replay failed; closing stream');
      client.end('replay_failed');
    }
  }

  /** Called by each client once when its stream ends, whatever the reason. */
  readonly detach = (client: SseClient, reason: TCloseReason): void => {
    const clients = this.byTenant.get(client.identity.tenantId);
    if (!clients?.delete(client)) return;
    this.count--;
    if (clients.size === 0) this.byTenant.delete(client.identity.tenantId);
    const log = reason === 'slow_client' || reason === 'replay_failed' ? 'warn' : 'info';
    this.logger[log](
      {
        ...client.identity,
        reason,
        delivered: client.delivered,
        durationMs: Date.now() - client.openedAt,
        open: this.count,
      },
      'stream closed',
    );
  };

  /** A validated live envelope: written to the streams of its tenant, nowhere else. */
  dispatch(envelope: TRealtimeEnvelope): void {
    const clients = this.byTenant.get(envelope.tenantId);
    if (!clients) return;
    const frame = frameOf(envelope);
    if (!frame) return;
    for (const client of clients) client.deliver(frame);
  }

  /** Ends the streams of one member (or of every member when `userId` is null) of a tenant. */
  closeMembership(tenantId: string, userId: string | null): void {
    for (const client of [...(this.byTenant.get(tenantId) ?? [])]) {
      if (userId === null || client.identity.userId === userId) client.end('membership_changed');
    }
  }

  /** Ends the streams opened by revoked sessions (every session of the user when `sessionIds` is empty). */
  closeSessions(userId: string, sessionIds: readonly string[]): void {
    for (const clients of [...this.byTenant.values()]) {
      for (const client of [...clients]) {
        const { userId: owner, sessionId } = client.identity;
        if (owner !== userId) continue;
        if (sessionIds.length === 0 || (sessionId !== null && sessionIds.includes(sessionId))) {
          client.end('session_revoked');
        }
      }
    }
  }

  /**
   * Ends every stream without a last event: used when the subscriber lost its connection, so
   * events may have been missed. Clients reconnect with Last-Event-ID (through the gateway,
   * which checks membership again) and replay what they missed.
   */
  closeAll(reason: TCloseReason): void {
    for (const clients of [...this.byTenant.values()]) for (const client of [...clients]) client.end(reason);
  }

  /** Nest runs this on app.close(), before the HTTP server closes (see bootstrapService's drain). */
  onModuleDestroy(): Promise<void> {
    return this.shutdown();
  }

  /**
   * Sends `event: shutdown` to every stream and ends it, so the server can close; sockets that
   * have not flushed within SHUTDOWN_FLUSH_MS (a stalled client) are destroyed, then every
   * socket without a request in flight is closed (see SocketSweeper).
   */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.heartbeat);
    const clients = [...this.byTenant.values()].flatMap((set) => [...set]);
    if (clients.length > 0) this.logger.info({ open: clients.length }, 'ending open streams for shutdown');
    const frame = shutdownFrame();
    for (const client of clients) client.end('shutdown', frame);
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      Promise.all(clients.map((client) => client.whenClosed())).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_FLUSH_MS))),
    ]);
    clearTimeout(timer);
    if (!flushed) for (const client of clients) client.forceClose();
    this.sweeper.start();
  }

  private beat(): void {
    const now = Date.now();
    for (const clients of this.byTenant.values()) {
      for (const client of clients) {
        if (client.isTooSlow(now)) client.drop('slow_client');
        else client.write(HEARTBEAT_FRAME);
      }
    }
  }

  /**
   * Writes the tenant's events after `fromKey`, read with XINFO + XRANGE in one transaction.
   * `event: reset` instead when entries after `fromKey` were trimmed away (max-deleted-entry-id)
   * or `fromKey` was never issued by this stream.
   */
  private async replay(client: SseClient, fromKey: bigint): Promise<void> {
    const { tenantId } = client.identity;
    const streamKey = RealtimeRedis.streamKey(tenantId);
    const results = await this.redis
      .multi()
      .xinfo('STREAM', streamKey)
      .xrange(streamKey, `(${streamIdOf(fromKey)}`, '+')
      .exec();
    if (!results) throw new Error('replay transaction aborted');
    const [infoResult, rangeResult] = results;
    if (rangeResult?.[0]) throw rangeResult[0];
    const info = infoResult?.[0] ? null : streamInfo(infoResult?.[1]);
    if (infoResult?.[0] && !/no such key/i.test(infoResult[0].message)) throw infoResult[0];

    const reset = (reason: TResetReason) => {
      const latest = info?.lastGenerated ?? null;
      client.write(resetFrame(reason, latest === null ? null : streamIdOf(latest)));
      client.cursor = latest;
      this.logger.info({ requestId: client.identity.requestId, tenantId, reason }, 'replay impossible; sent reset');
    };
    if (!info || info.lastGenerated === null || fromKey > info.lastGenerated) return reset('unknown_event_id');
    // Trimming (MAXLEN) removes the oldest entries without moving max-deleted-entry-id; XDEL moves it.
    // Everything before the first entry is gone, so only a client at most one step behind it is whole.
    const floor = info.firstEntry === null ? info.lastGenerated : info.firstEntry - 1n;
    if (fromKey < floor || fromKey < info.maxDeleted) return reset('history_trimmed');

    let replayed = 0;
    for (const [entryId, fields] of (rangeResult?.[1] ?? []) as [string, string[]][]) {
      const envelope = safeEnvelope(entryId, fields);
      if (!envelope || envelope.tenantId !== tenantId) {
        this.logger.warn({ tenantId, entryId }, 'dropped an unreadable or foreign stream entry');
        continue;
      }
      const frame = frameOf(envelope);
      if (frame) client.writeFrame(frame);
      replayed++;
    }
    this.logger.debug({ requestId: client.identity.requestId, tenantId, replayed }, 'replayed missed events');
  }
}

function safeEnvelope(entryId: string, fields: string[]): TRealtimeEnvelope | null {
  try {
    return envelopeFromStreamEntry(entryId, fields);
  } catch {
    return null;
  }
}

interface TStreamInfo {
  lastGenerated: bigint | null;
  /** The oldest entry still in the stream (null when empty). */
  firstEntry: bigint | null;
  /** Newest id removed by XDEL (0 when none; trimming does not move it). */
  maxDeleted: bigint;
}

/** Reads `XINFO STREAM`'s flat answer (`max-deleted-entry-id` exists from Redis 7.0). */
function streamInfo(answer: unknown): TStreamInfo | null {
  if (!Array.isArray(answer)) return null;
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < answer.length; index += 2) fields.set(String(answer[index]), answer[index + 1]);
  const first = fields.get('first-entry');
  const maxDeleted = fields.get('max-deleted-entry-id');
  return {
    lastGenerated: streamIdKey(String(fields.get('last-generated-id') ?? '')),
    firstEntry: Array.isArray(first) ? streamIdKey(String(first[0])) : null,
    maxDeleted: typeof maxDeleted === 'string' ? (streamIdKey(maxDeleted) ?? 0n) : 0n,
  };
}

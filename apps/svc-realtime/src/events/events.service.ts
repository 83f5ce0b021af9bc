import { Inject, Injectable } from '@nestjs/common';
import { AppError, serviceUnavailable, validationFailed } from '@elasticdash/service-kit/errors';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { lifecycle } from '@elasticdash/service-kit/health';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { REALTIME_ENV, type TRealtimeEnv } from '../env.js';
import { EventHub } from './event-hub.js';
import { RealtimeSubscriber } from './realtime-subscriber.js';
import { SseClient } from './sse-client.js';
import { preambleFrame, RETRY_MS } from './sse-frames.js';
import { streamIdKey } from './stream-id.js';

const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
};

/** Where a reconnecting client says it stopped: the header wins over the query (EventSource updates only the header). */
export interface TResumePoint {
  header: string | undefined;
  query: unknown;
}

/** Opens SSE streams: checks, then hands the raw response to the hub. */
@Injectable()
export class EventsService {
  constructor(
    private readonly hub: EventHub,
    private readonly subscriber: RealtimeSubscriber,
    @Inject(REALTIME_ENV) private readonly env: TRealtimeEnv,
  ) {}

  /** Validates and refuses in the shared error shape; once the stream is open it never throws. */
  async open(ctx: TTenantContext, request: FastifyRequest, reply: FastifyReply, resume: TResumePoint): Promise<void> {
    const fromKey = parseResumePoint(resume);
    if (lifecycle.draining || this.hub.closing) throw unavailable('This instance is shutting down');
    if (!this.subscriber.connected) throw unavailable('Live events are unavailable right now');
    if (this.hub.size >= this.env.SSE_MAX_CONNECTIONS) throw unavailable('Too many live connections');

    reply.hijack();
    const raw = reply.raw;
    const socket = request.raw.socket;
    // Gone while the token was being checked: its 'close' has fired already, nothing to register.
    if (raw.destroyed || socket.destroyed) return;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    raw.writeHead(200, { ...headers, ...SSE_HEADERS });
    socket.setTimeout(0);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);

    const client = new SseClient(
      { tenantId: ctx.tenantId, userId: ctx.userId, sessionId: ctx.sessionId, requestId: String(request.id) },
      raw,
      this.hub.detach,
      this.env.SSE_SLOW_CLIENT_TIMEOUT_MS,
    );
    client.write(preambleFrame());
    await this.hub.attach(client, fromKey);
  }
}

function unavailable(message: string): AppError {
  const error = serviceUnavailable(`${message}; reconnect shortly`);
  return new AppError(error.getStatus(), error.code, error.message, undefined, {
    'retry-after': String(RETRY_MS / 1000),
  });
}

function parseResumePoint(resume: TResumePoint): bigint | null {
  const [value, path] =
    resume.header !== undefined && resume.header !== ''
      ? [resume.header, 'headers.last-event-id']
      : [resume.query, 'query.lastEventId'];
  if (value === undefined || value === '') return null;
  const key = typeof value === 'string' ? streamIdKey(value) : null;
  if (key === null) {
    throw validationFailed(
      [{ path, message: 'Must be an event id like 1700000000000-0' }],
      'Last-Event-ID is not an event id',
    );
  }
  return key;
}

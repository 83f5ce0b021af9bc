import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CacheChannel, ZMembershipChangedEvent, ZSessionsRevokedEvent } from '@elasticdash/contracts/platform/events';
import { RealtimeRedis, ZRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import type { HealthCheck } from '@elasticdash/service-kit/health';
import { createRedis } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LOGGER, REALTIME_ENV, type TRealtimeEnv } from '../env.js';
import { EventHub } from './event-hub.js';

const CHANNELS = [RealtimeRedis.channel, CacheChannel.membershipChanged, CacheChannel.sessionsRevoked] as const;

/**
 * The process's one Redis subscriber connection: live envelopes go to the hub for fan-out;
 * membership and session changes end the affected streams at once. If the connection drops,
 * events may be lost, so every stream is ended and clients replay on reconnect.
 */
@Injectable()
export class RealtimeSubscriber implements OnModuleInit, OnApplicationShutdown {
  private subscriber: Redis | undefined;
  private subscribed = false;
  private stopping = false;
  private dropped = 0;

  constructor(
    private readonly hub: EventHub,
    @Inject(REALTIME_ENV) private readonly env: TRealtimeEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** True while SUBSCRIBE is in effect: only then is live delivery complete. */
  get connected(): boolean {
    return this.subscribed;
  }

  onModuleInit(): void {
    const subscriber = createRedis(this.env.REDIS_URL, 'svc-realtime-subscriber');
    subscriber.on('ready', () => void this.subscribe(subscriber));
    subscriber.on('close', () => this.lost());
    subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    this.subscriber = subscriber;
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    this.subscribed = false;
    this.subscriber?.disconnect();
  }

  healthCheck(): HealthCheck {
    return {
      name: 'redis-subscriber',
      check: () =>
        this.subscribed ? Promise.resolve() : Promise.reject(new Error(`not subscribed to ${RealtimeRedis.channel}`)),
    };
  }

  private async subscribe(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(...CHANNELS);
      this.subscribed = true;
      this.logger.info({ channels: CHANNELS }, 'subscribed');
    } catch (error) {
      this.logger.error({ err: error }, 'subscribe failed; retrying on the next reconnect');
      subscriber.disconnect(true);
    }
  }

  private lost(): void {
    if (this.stopping) return;
    const wasSubscribed = this.subscribed;
    this.subscribed = false;
    if (!wasSubscribed) return;
    this.logger.warn({ open: this.hub.size }, 'subscriber connection lost; ending open streams so clients replay');
    this.hub.closeAll('subscription_lost');
  }

  private onMessage(channel: string, message: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      payload = undefined;
    }
    if (channel === RealtimeRedis.channel) {
      const parsed = ZRealtimeEnvelope.safeParse(payload);
      if (parsed.success) return this.hub.dispatch(parsed.data);
    } else if (channel === CacheChannel.membershipChanged) {
      const parsed = ZMembershipChangedEvent.safeParse(payload);
      if (parsed.success) return this.hub.closeMembership(parsed.data.tenantId, parsed.data.userId);
    } else if (channel === CacheChannel.sessionsRevoked) {
      const parsed = ZSessionsRevokedEvent.safeParse(payload);
      if (parsed.success) return this.hub.closeSessions(parsed.data.userId, parsed.data.sessionIds);
    }
    // Rate-limited: a misbehaving producer must not flood the log.
    if (this.dropped++ % 100 === 0) {
      this.logger.warn({ channel, dropped: this.dropped, bytes: message.length }, 'dropped an invalid message');
    }
  }
}

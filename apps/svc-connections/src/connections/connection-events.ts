import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createRedis, REDIS } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CONNECTIONS_ENV, type TConnectionsEnv } from '../env.js';

/** Redis channel on which instances tell each other to drop what they cached about a connection. */
export const CONNECTION_CHANGED_CHANNEL = 'ed:connection-changed';

const ZConnectionChange = z.object({
  connectionId: z.uuid(),
  /** `updated`: settings/password/flags; `deleted`; `catalog`: re-introspected; `rules`: rules replaced. */
  kind: z.enum(['updated', 'deleted', 'catalog', 'rules']),
  origin: z.string(),
});
export type TConnectionChange = Omit<z.infer<typeof ZConnectionChange>, 'origin'>;

/** `null`: changes may have been missed (subscription lost or just made): check every cache again. */
export type ConnectionChangeListener = (change: TConnectionChange | null) => void;

/**
 * In-process and cross-instance invalidation of what svc-connections caches per connection
 * (pools, connection records, catalogs, rules). Caches are trusted only while the Redis
 * subscription is live; otherwise their users re-check the database on every request.
 */
@Injectable()
export class ConnectionEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(ConnectionEvents.name);
  private readonly origin = randomUUID();
  private readonly listeners = new Set<ConnectionChangeListener>();
  private readonly subscriber: Redis;
  private trusted = false;

  constructor(
    @Inject(CONNECTIONS_ENV) env: TConnectionsEnv,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.subscriber = createRedis(env.REDIS_URL, 'svc-connections-events');
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => this.distrust());
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  /** True while every change made by any instance reaches this one. */
  get cacheTrusted(): boolean {
    return this.trusted;
  }

  onChange(listener: ConnectionChangeListener): void {
    this.listeners.add(listener);
  }

  /** Drops local caches at once, then tells the other instances. A Redis failure is logged, not thrown. */
  async changed(change: TConnectionChange): Promise<void> {
    this.emit(change);
    try {
      await this.redis.publish(CONNECTION_CHANGED_CHANNEL, JSON.stringify({ ...change, origin: this.origin }));
    } catch (error) {
      this.logger.warn(`could not publish a connection change: ${(error as Error).message}`);
    }
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(CONNECTION_CHANGED_CHANNEL);
      // Changes made while we were not listening were missed: start from empty caches.
      this.emit(null);
      this.trusted = true;
    } catch (error) {
      this.logger.warn(`connection-change subscription failed; caches bypassed: ${(error as Error).message}`);
    }
  }

  private distrust(): void {
    if (!this.trusted) return;
    this.trusted = false;
    this.emit(null);
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== CONNECTION_CHANGED_CHANNEL) return;
    let change: z.infer<typeof ZConnectionChange>;
    try {
      change = ZConnectionChange.parse(JSON.parse(message));
    } catch {
      this.emit(null);
      return;
    }
    if (change.origin !== this.origin) this.emit({ connectionId: change.connectionId, kind: change.kind });
  }

  private emit(change: TConnectionChange | null): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn(`connection-change listener failed: ${(error as Error).message}`);
      }
    }
  }

  onApplicationShutdown(): void {
    this.trusted = false;
    this.subscriber.disconnect();
  }
}

import { CacheChannel, ZMembershipChangedEvent, ZSessionsRevokedEvent } from '@elasticdash/contracts/platform/events';
import { createRedis } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionResolver } from '../sessions/session-resolver.js';
import type { MembershipChecker } from '../tenancy/membership-cache.js';

/**
 * Subscribes to the cache channels. Caches are trusted only while the subscription is live:
 * after a disconnect they are cleared and bypassed until the subscription is back, so a
 * missed revocation can never be served from cache.
 */
export class CacheInvalidationListener {
  private readonly subscriber: Redis;

  constructor(
    redisUrl: string,
    private readonly sessions: SessionResolver,
    private readonly memberships: MembershipChecker,
    private readonly logger: Logger,
  ) {
    this.subscriber = createRedis(redisUrl, 'gateway-cache-invalidation');
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => this.distrust());
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(CacheChannel.membershipChanged, CacheChannel.sessionsRevoked);
      this.sessions.cacheTrusted = true;
      this.memberships.cacheTrusted = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'cache invalidation subscribe failed; caches bypassed');
    }
  }

  private distrust(): void {
    this.sessions.cacheTrusted = false;
    this.memberships.cacheTrusted = false;
    this.sessions.clear();
    this.memberships.clear();
  }

  private onMessage(channel: string, message: string): void {
    try {
      const payload: unknown = JSON.parse(message);
      if (channel === CacheChannel.sessionsRevoked)
        this.sessions.onSessionsRevoked(ZSessionsRevokedEvent.parse(payload));
      if (channel === CacheChannel.membershipChanged)
        this.memberships.onMembershipChanged(ZMembershipChangedEvent.parse(payload));
    } catch (error) {
      // An unreadable event: drop everything rather than risk serving stale access.
      this.logger.warn({ err: error, channel }, 'unreadable cache invalidation event; clearing caches');
      this.sessions.clear();
      this.memberships.clear();
    }
  }

  close(): void {
    this.subscriber.disconnect();
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { CacheChannel, ZSessionsRevokedEvent } from '@elasticdash/contracts/platform/events';
import { REDIS } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';

/** Tells every gateway instance to drop revoked sessions from its cache at once. */
@Injectable()
export class SessionEvents {
  private readonly logger = new Logger(SessionEvents.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /**
   * Publishes `sessionsRevoked`. The revocation is already committed in Postgres, so a Redis
   * outage does not fail the request: gateways then drop the session when their short cache
   * entry expires.
   */
  async sessionsRevoked(userId: string, sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const event = ZSessionsRevokedEvent.parse({ userId, sessionIds });
    try {
      await this.redis.publish(CacheChannel.sessionsRevoked, JSON.stringify(event));
    } catch (error) {
      this.logger.error(
        `could not publish ${CacheChannel.sessionsRevoked} for ${sessionIds.length} session(s): ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
}

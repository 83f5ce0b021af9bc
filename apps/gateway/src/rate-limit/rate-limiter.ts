import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

// INCR and set the window's expiry atomically; returns [count, ms left in the window].
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return { count, ttl }
`;

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every gateway instance. If Redis is down the
 * limiter lets requests through (availability over throttling) and says so in the log.
 */
type RedisWithWindow = Redis & { fixedWindowHit(key: string, windowMs: number): Promise<[number, number]> };

export class RateLimiter {
  private readonly redis: RedisWithWindow;

  constructor(
    redis: Redis,
    private readonly logger: Logger,
    private readonly windowMs = 60_000,
  ) {
    // defineCommand sends EVALSHA (the script is not re-sent on every request).
    redis.defineCommand('fixedWindowHit', { numberOfKeys: 1, lua: FIXED_WINDOW });
    this.redis = redis as RedisWithWindow;
  }

  async hit(bucket: string, limit: number, requestId: string): Promise<RateLimitDecision> {
    try {
      const [count, ttl] = await this.redis.fixedWindowHit(`rl:${bucket}`, this.windowMs);
      if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((ttl > 0 ? ttl : this.windowMs) / 1000)) };
    } catch (error) {
      this.logger.warn({ err: error, requestId, bucket }, 'rate limiter unavailable; request allowed');
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }
}

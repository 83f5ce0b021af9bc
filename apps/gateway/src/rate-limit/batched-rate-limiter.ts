import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RateLimitDecision } from './rate-limiter.js';

interface Bucket {
  window: number;
  /** Hits counted here and not yet added to Redis. */
  pending: number;
  /** The shared count Redis reported at the last flush (all gateway instances). */
  shared: number;
}

/**
 * Per-user limits without a Redis round trip per request: hits are counted in memory and added
 * to the shared Redis counter in one pipelined flush every `flushMs`; decisions use the last
 * shared count plus this instance's pending hits. Across N instances the limit can be exceeded
 * by at most what the other instances admit within one flush interval — fine for fairness
 * limits. Brute-force limits on auth routes stay exact (RateLimiter).
 */
export class BatchedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly windowMs = 60_000,
    private readonly flushMs = 100,
  ) {}

  hit(bucketKey: string, limit: number): RateLimitDecision {
    const now = Date.now();
    const window = Math.floor(now / this.windowMs);
    let bucket = this.buckets.get(bucketKey);
    if (!bucket || bucket.window !== window) {
      bucket = { window, pending: 0, shared: 0 };
      this.buckets.set(bucketKey, bucket);
    }
    if (bucket.shared + bucket.pending >= limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * this.windowMs - now) / 1000)) };
    }
    bucket.pending += 1;
    this.flushTimer ??= setTimeout(() => void this.flush(), this.flushMs);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Adds pending hits to Redis (INCRBY + expiry per bucket, one pipeline) and reads back the totals. */
  async flush(): Promise<void> {
    this.flushTimer = null;
    const current = Math.floor(Date.now() / this.windowMs);
    const batch: { key: string; bucket: Bucket; count: number }[] = [];
    for (const [key, bucket] of this.buckets) {
      if (bucket.window < current) {
        this.buckets.delete(key);
        continue;
      }
      if (bucket.pending > 0) batch.push({ key, bucket, count: bucket.pending });
    }
    if (batch.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { key, bucket, count } of batch) {
      const redisKey = `rlb:${key}:${bucket.window}`;
      pipeline.incrby(redisKey, count);
      pipeline.pexpire(redisKey, this.windowMs * 2);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      batch.forEach(({ bucket, count }, index) => {
        const [error, total] = results[index * 2] ?? [new Error('no reply'), null];
        bucket.pending -= count;
        if (!error && typeof total === 'number') bucket.shared = total - bucket.pending;
        else bucket.shared += count;
      });
    } catch (error) {
      // Redis unreachable: keep limiting with this instance's own counts.
      for (const { bucket, count } of batch) {
        bucket.pending -= count;
        bucket.shared += count;
      }
      this.logger.warn({ err: error }, 'rate limit flush failed; limiting per instance until Redis is back');
    }
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }
}

import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchedRateLimiter } from '../src/rate-limit/batched-rate-limiter.js';

// Real Redis (loopback), its own database, emptied first.
describe('BatchedRateLimiter', () => {
  let redis: Redis;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379/8');
    await redis.flushdb();
  });
  afterAll(() => redis.disconnect());

  it('allows up to the limit, then refuses with a Retry-After inside the window', () => {
    const limiter = new BatchedRateLimiter(redis, logger);
    const decisions = Array.from({ length: 7 }, () => limiter.hit('user:a', 5));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(decisions[5]?.retryAfterSeconds).toBeGreaterThan(0);
    expect(decisions[5]?.retryAfterSeconds).toBeLessThanOrEqual(60);
    limiter.close();
  });

  it('shares counts between instances through Redis after a flush', async () => {
    const first = new BatchedRateLimiter(redis, logger);
    const second = new BatchedRateLimiter(redis, logger);
    for (let index = 0; index < 4; index++) expect(first.hit('user:b', 5).allowed).toBe(true);
    await first.flush();
    expect(second.hit('user:b', 5).allowed).toBe(true); // 1 pending, shared 0 so far
    await second.flush(); // learns the shared total (5)
    expect(second.hit('user:b', 5).allowed).toBe(false);
    first.close();
    second.close();
  });

  it('keeps limiting per instance when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1/0', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    down.on('error', () => undefined);
    const limiter = new BatchedRateLimiter(down, logger);
    expect(limiter.hit('user:c', 2).allowed).toBe(true);
    expect(limiter.hit('user:c', 2).allowed).toBe(true);
    await limiter.flush();
    expect(limiter.hit('user:c', 2).allowed).toBe(false);
    limiter.close();
    down.disconnect();
  });
});

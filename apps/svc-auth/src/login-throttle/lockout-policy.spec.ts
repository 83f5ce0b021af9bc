import { describe, expect, it } from 'vitest';
import { lockSecondsAfter, MAX_LOCK_SECONDS, retryAfterSeconds } from './lockout-policy.js';

describe('lockSecondsAfter', () => {
  it('does not lock before the fifth consecutive failure', () => {
    expect([0, 1, 2, 3, 4].map(lockSecondsAfter)).toEqual([0, 0, 0, 0, 0]);
  });

  it('locks for 30 s on the fifth failure and doubles per further failure', () => {
    expect([5, 6, 7, 8, 9].map(lockSecondsAfter)).toEqual([30, 60, 120, 240, 480]);
  });

  it('caps the lock at 15 minutes, however many failures', () => {
    expect(lockSecondsAfter(10)).toBe(MAX_LOCK_SECONDS);
    expect(lockSecondsAfter(1_000_000)).toBe(MAX_LOCK_SECONDS);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up and never answers less than one second', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    expect(retryAfterSeconds(new Date(now.getTime() + 29_100), now)).toBe(30);
    expect(retryAfterSeconds(new Date(now.getTime() + 10), now)).toBe(1);
    expect(retryAfterSeconds(new Date(now.getTime() - 5_000), now)).toBe(1);
  });
});

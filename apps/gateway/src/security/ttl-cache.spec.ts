import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  afterEach(() => vi.useRealTimers());

  it('expires entries after the TTL', () => {
    vi.useFakeTimers();
    const cache = new TtlCache<string>(1_000);
    cache.set('a', 'x');
    expect(cache.get('a')).toBe('x');
    vi.advanceTimersByTime(1_001);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the oldest entry at the size bound and supports predicate deletes', () => {
    const cache = new TtlCache<number>(10_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    cache.deleteWhere((key) => key === 'b');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
  });

  it('stores nothing with a TTL of 0 (caching disabled)', () => {
    const cache = new TtlCache<number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});

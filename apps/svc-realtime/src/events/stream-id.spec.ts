import { describe, expect, it } from 'vitest';
import { streamIdKey, streamIdOf } from './stream-id.js';

describe('stream ids', () => {
  it('orders by milliseconds, then by sequence', () => {
    const keys = ['1700000000000-1', '1700000000000-0', '999-18446744073709551615', '1700000000001-0'].map(
      (id) => streamIdKey(id) ?? -1n,
    );
    const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(streamIdOf);
    expect(sorted).toEqual(['999-18446744073709551615', '1700000000000-0', '1700000000000-1', '1700000000001-0']);
  });

  it('normalises leading zeros', () => {
    expect(streamIdOf(streamIdKey('0001-002') ?? -1n)).toBe('1-2');
    expect(streamIdKey('0-0')).toBe(0n);
  });

  it.each(['', '1', '1-', '-1', 'a-1', '1-1-1', ' 1-1', '1-1\n', '18446744073709551616-0', '1-'.padEnd(40, '9')])(
    'rejects %j',
    (id) => {
      expect(streamIdKey(id)).toBeNull();
    },
  );
});

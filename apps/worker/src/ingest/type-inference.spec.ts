import { describe, expect, it } from 'vitest';
import { inferTypes, looksLikeHeader, valueType, widenFor, widerType } from './type-inference.js';

describe('valueType', () => {
  it.each([
    ['42', 'integer'],
    ['-7', 'integer'],
    ['9223372036854775807', 'integer'],
    ['9223372036854775808', 'numeric'],
    ['007', 'text'],
    ['0', 'integer'],
    ['3.14', 'numeric'],
    ['-.5', 'numeric'],
    ['1e6', 'numeric'],
    ['1,5', 'text'],
    ['TRUE', 'boolean'],
    ['no', 'boolean'],
    ['2024-02-29', 'date'],
    ['2023-02-29', 'text'],
    ['2024-01-31T10:20:30Z', 'timestamp'],
    ['2024-01-31 10:20:30.123+02:00', 'timestamp'],
    ['2024-01-31 25:00', 'text'],
    ['hello', 'text'],
  ] as const)('%s → %s', (value, type) => {
    expect(valueType(value)).toBe(type);
  });
});

describe('inferTypes', () => {
  it('picks the narrowest type holding every sampled value, ignoring blanks', () => {
    const rows = [
      ['1', '1.5', 'yes', '2024-01-01', 'x', ''],
      ['2', '2', 'no', '2024-01-02 10:00', 'y', ''],
      ['', ' 3 ', '', '', '1', ''],
    ];
    expect(inferTypes(rows, 6)).toEqual(['integer', 'numeric', 'boolean', 'timestamp', 'text', 'text']);
  });

  it('treats a column mixing unrelated kinds as text', () => {
    expect(inferTypes([['1'], ['true']], 1)).toEqual(['text']);
    expect(widerType('integer', 'date')).toBe('text');
    expect(widerType(null, 'date')).toBe('date');
  });
});

describe('widenFor', () => {
  it('widens just enough for the rejected value', () => {
    expect(widenFor('integer', '2.5')).toBe('numeric');
    expect(widenFor('integer', '99999999999999999999')).toBe('numeric');
    expect(widenFor('integer', 'abc')).toBe('text');
    expect(widenFor('date', '2024-01-01 10:00')).toBe('timestamp');
    expect(widenFor('date', 'soon')).toBe('text');
    expect(widenFor('boolean', 'maybe')).toBe('text');
    expect(widenFor('numeric', '12')).toBe('text');
  });
});

describe('looksLikeHeader', () => {
  it('takes a first row of names over typed data as a header', () => {
    expect(looksLikeHeader(['id', 'amount'], [['1', '2.5']])).toBe(true);
  });

  it('takes a first row fitting the column types as data', () => {
    expect(looksLikeHeader(['1', '2024-01-01'], [['2', '2024-01-02']])).toBe(false);
  });

  it('assumes a header when every column is text or there is nothing else', () => {
    expect(looksLikeHeader(['a', 'b'], [['c', 'd']])).toBe(true);
    expect(looksLikeHeader(['a', 'b'], [])).toBe(true);
  });
});

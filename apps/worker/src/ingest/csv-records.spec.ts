import { describe, expect, it } from 'vitest';
import { parseRecords } from './csv-records.js';

describe('parseRecords', () => {
  it('splits records like COPY (FORMAT csv) does', () => {
    const parsed = parseRecords('a,b\r\n1,"x, y"\n2,"say ""hi"""\n\n3,"two\nlines"\n', ',', 100, true);
    expect(parsed.records).toEqual([
      ['a', 'b'],
      ['1', 'x, y'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
    ]);
    expect(parsed.unterminatedQuote).toBe(false);
  });

  it('keeps a last record without terminator only when the text is final', () => {
    expect(parseRecords('a,b\n1,2', ',', 10, false).records).toEqual([['a', 'b']]);
    expect(parseRecords('a,b\n1,2', ',', 10, true).records).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('stops at maxRecords and reports an unterminated quote', () => {
    expect(parseRecords('1\n2\n3\n', ',', 2, true).records).toHaveLength(2);
    expect(parseRecords('a\n"open\n', ',', 10, true).unterminatedQuote).toBe(true);
  });
});

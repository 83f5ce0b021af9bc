import { describe, expect, it } from 'vitest';
import { customerTypes, parsePgArray, PgOid } from './customer-types.js';

const parse = (oid: number, text: string) => (customerTypes.getTypeParser(oid, 'text') as (v: string) => unknown)(text);

describe('customer type parsers', () => {
  it('keeps exact and temporal values as the server text', () => {
    expect(parse(PgOid.int8, '9007199254740993')).toBe('9007199254740993');
    expect(parse(PgOid.numeric, '12345678901234567890.123456789')).toBe('12345678901234567890.123456789');
    expect(parse(PgOid.date, '2024-02-29')).toBe('2024-02-29');
    expect(parse(PgOid.timestamp, '2024-02-29 13:45:01.123456')).toBe('2024-02-29 13:45:01.123456');
    expect(parse(PgOid.timestamptz, '2024-02-29 13:45:01.123456+00')).toBe('2024-02-29 13:45:01.123456+00');
    expect(parse(PgOid.time, '13:45:01')).toBe('13:45:01');
    expect(parse(PgOid.interval, '1 year 2 mons 3 days 04:05:06')).toBe('1 year 2 mons 3 days 04:05:06');
    expect(parse(PgOid.bytea, '\\xdeadbeef')).toBe('\\xdeadbeef');
  });

  it('parses json and keeps the usual numbers, booleans and text', () => {
    expect(parse(PgOid.jsonb, '{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(parse(PgOid.json, '"x"')).toBe('x');
    expect(parse(23, '42')).toBe(42);
    expect(parse(16, 't')).toBe(true);
    expect(parse(25, 'text')).toBe('text');
  });

  it('parses arrays into arrays of the same element values', () => {
    expect(parse(1016, '{1,9007199254740993,NULL}')).toEqual(['1', '9007199254740993', null]);
    expect(parse(1231, '{1.10,2.20}')).toEqual(['1.10', '2.20']);
    expect(parse(1182, '{2024-01-01,2024-12-31}')).toEqual(['2024-01-01', '2024-12-31']);
    expect(parse(1185, '{"2024-01-01 00:00:00+00"}')).toEqual(['2024-01-01 00:00:00+00']);
    expect(parse(1007, '{1,2,3}')).toEqual([1, 2, 3]);
    expect(parse(1009, '{a,"b c",NULL}')).toEqual(['a', 'b c', null]);
    expect(parse(3807, '{"{\\"a\\": 1}"}')).toEqual([{ a: 1 }]);
  });

  it('parsePgArray handles nesting and quoting', () => {
    expect(parsePgArray('{{1,2},{3,4}}')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parsePgArray('{"a,b","c\\"d"}')).toEqual(['a,b', 'c"d']);
  });
});

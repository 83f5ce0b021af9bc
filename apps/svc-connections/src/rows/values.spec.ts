import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';
import { AppError } from '@elasticdash/service-kit/errors';
import { describe, expect, it } from 'vitest';
import { parsePgArray, toCell } from './pg-text.js';
import { castTypeFor, escapeLike, quoteIdent, safeTypeName, stripTypmod } from './sql.js';
import { coerceValue } from './values.js';

function column(kind: TColumnKind, dataType: string, extra: Partial<TCatalogColumn> = {}) {
  return { name: 'c', kind, dataType, elementKind: null, enumValues: null, ...extra };
}

function errorOf(run: () => unknown): { status: number; message: string } | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return { status: error.getStatus(), message: error.message };
    throw error;
  }
}

describe('identifier quoting', () => {
  it('wraps in double quotes and doubles inner quotes', () => {
    expect(quoteIdent('orders')).toBe('"orders"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteIdent('a"; drop table x; --')).toBe('"a""; drop table x; --"');
  });

  it('refuses empty names and NUL', () => {
    expect(() => quoteIdent('')).toThrow();
    expect(() => quoteIdent('a\0b')).toThrow();
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('cast types', () => {
  it('strips type modifiers outside quotes', () => {
    expect(stripTypmod('numeric(10,2)')).toBe('numeric');
    expect(stripTypmod('timestamp(3) with time zone')).toBe('timestamp with time zone');
    expect(stripTypmod('character varying(80)[]')).toBe('character varying[]');
    expect(stripTypmod('"odd(1)type"')).toBe('"odd(1)type"');
  });

  it('casts to the base type so comparisons never round or truncate', () => {
    expect(castTypeFor(column('text', 'character varying(80)'))).toBe('text');
    expect(castTypeFor(column('text', 'character(3)'))).toBe('text');
    expect(castTypeFor(column('numeric', 'numeric(10,2)'))).toBe('numeric');
    expect(castTypeFor(column('integer', 'integer'))).toBe('integer');
    expect(castTypeFor(column('integer', 'smallint'))).toBe('smallint');
    expect(castTypeFor(column('bigint', 'bigint'))).toBe('bigint');
    expect(castTypeFor(column('float', 'double precision'))).toBe('double precision');
    expect(castTypeFor(column('timestamptz', 'timestamp(3) with time zone'))).toBe('timestamptz');
    expect(castTypeFor(column('time', 'time with time zone'))).toBe('timetz');
    expect(castTypeFor(column('json', 'json'))).toBe('json');
    expect(castTypeFor(column('enum', 'shop.order_status'))).toBe('shop.order_status');
    expect(castTypeFor(column('enum', '"Order Status"'))).toBe('"Order Status"');
    expect(castTypeFor(column('array', 'character varying(80)[]', { elementKind: 'text' }))).toBe('text[]');
    expect(castTypeFor(column('array', 'integer[]', { elementKind: 'integer' }))).toBe('integer[]');
    expect(castTypeFor(column('other', 'bit(8)'))).toBe('varbit');
    expect(castTypeFor(column('other', 'inet'))).toBe('inet');
  });

  it('refuses type names that are not plain names', () => {
    expect(() => safeTypeName('text; drop table x')).toThrow();
    expect(() => safeTypeName("text'")).toThrow();
    expect(() => castTypeFor(column('enum', 'x) ; select 1 --'))).toThrow();
    expect(safeTypeName('"x""; drop"')).toBe('"x""; drop"');
  });
});

describe('value coercion', () => {
  it('integers: whole numbers within the column type', () => {
    expect(coerceValue(column('integer', 'integer'), 42, 'v')).toBe('42');
    expect(coerceValue(column('integer', 'integer'), ' -7 ', 'v')).toBe('-7');
    expect(coerceValue(column('bigint', 'bigint'), '9223372036854775807', 'v')).toBe('9223372036854775807');
    expect(errorOf(() => coerceValue(column('integer', 'integer'), 1.5, 'changes.qty'))).toEqual({
      status: 400,
      message: 'changes.qty: 1.5 is not a whole number',
    });
    expect(errorOf(() => coerceValue(column('integer', 'smallint'), 40000, 'v'))).toMatchObject({
      message: expect.stringMatching(/out of range for smallint/),
    });
    expect(errorOf(() => coerceValue(column('integer', 'integer'), '1; drop table x', 'v'))).toMatchObject({
      status: 400,
    });
  });

  it('numerics and floats: decimal text, exact', () => {
    expect(coerceValue(column('numeric', 'numeric(10,2)'), '12.345', 'v')).toBe('12.345');
    expect(coerceValue(column('numeric', 'numeric'), 1e-7, 'v')).toBe('1e-7');
    expect(coerceValue(column('float', 'real'), 'Infinity', 'v')).toBe('Infinity');
    expect(errorOf(() => coerceValue(column('numeric', 'numeric'), '12,5', 'v'))).toMatchObject({ status: 400 });
    expect(errorOf(() => coerceValue(column('numeric', 'numeric'), Number.NaN, 'v'))).toMatchObject({ status: 400 });
  });

  it('booleans, uuids, dates, timestamps, times', () => {
    expect(coerceValue(column('boolean', 'boolean'), 'yes', 'v')).toBe(true);
    expect(coerceValue(column('boolean', 'boolean'), false, 'v')).toBe(false);
    expect(errorOf(() => coerceValue(column('boolean', 'boolean'), 'maybe', 'v'))).toMatchObject({ status: 400 });
    expect(coerceValue(column('uuid', 'uuid'), 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'v')).toBe(
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
    expect(errorOf(() => coerceValue(column('uuid', 'uuid'), 'nope', 'v'))).toMatchObject({ status: 400 });
    expect(coerceValue(column('date', 'date'), '2024-02-29', 'v')).toBe('2024-02-29');
    expect(errorOf(() => coerceValue(column('date', 'date'), '2023-02-29', 'filter.children.0.value'))).toEqual({
      status: 400,
      message: 'filter.children.0.value: "2023-02-29" is not a date (YYYY-MM-DD)',
    });
    expect(coerceValue(column('timestamptz', 'timestamp with time zone'), '2024-01-31 10:00:00+00', 'v')).toBe(
      '2024-01-31 10:00:00+00',
    );
    expect(coerceValue(column('timestamptz', 'timestamp with time zone'), '2024-01-31T10:00:00.123Z', 'v')).toBe(
      '2024-01-31T10:00:00.123Z',
    );
    expect(coerceValue(column('timestamp', 'timestamp without time zone'), '2024-01-31', 'v')).toBe('2024-01-31');
    expect(errorOf(() => coerceValue(column('timestamp', 'timestamp'), '2024-01-31 25:00', 'v'))).toMatchObject({
      status: 400,
    });
    expect(coerceValue(column('time', 'time without time zone'), '23:59:59.5', 'v')).toBe('23:59:59.5');
  });

  it('enums must be one of the values; json is serialized; arrays by element kind', () => {
    const status = column('enum', 'order_status', { enumValues: ['new', 'shipped'] });
    expect(coerceValue(status, 'shipped', 'v')).toBe('shipped');
    expect(errorOf(() => coerceValue(status, 'lost', 'v'))).toEqual({
      status: 400,
      message: 'v: "lost" is not one of "new", "shipped"',
    });
    expect(coerceValue(column('json', 'jsonb'), { a: [1, 'x'] }, 'v')).toBe('{"a":[1,"x"]}');
    expect(coerceValue(column('json', 'jsonb'), 'text', 'v')).toBe('"text"');
    const tags = column('array', 'text[]', { elementKind: 'text' });
    expect(coerceValue(tags, ['a', null, 'b"c'], 'v')).toEqual(['a', null, 'b"c']);
    const ints = column('array', 'integer[]', { elementKind: 'integer' });
    expect(
      coerceValue(
        ints,
        [
          [1, 2],
          [3, 4],
        ],
        'v',
      ),
    ).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(errorOf(() => coerceValue(ints, [1, 'x'], 'values.ids'))).toEqual({
      status: 400,
      message: 'values.ids.1: "x" is not a whole number',
    });
    expect(errorOf(() => coerceValue(tags, 'a', 'v'))).toMatchObject({ status: 400 });
  });

  it('text refuses NUL and objects; bytea needs hex', () => {
    expect(errorOf(() => coerceValue(column('text', 'text'), 'a\0b', 'v'))).toMatchObject({ status: 400 });
    expect(errorOf(() => coerceValue(column('text', 'text'), { a: 1 }, 'v'))).toMatchObject({ status: 400 });
    expect(coerceValue(column('text', 'text'), 12, 'v')).toBe('12');
    expect(coerceValue(column('bytea', 'bytea'), '\\xDEADbeef', 'v')).toBe('\\xDEADbeef');
    expect(errorOf(() => coerceValue(column('bytea', 'bytea'), 'deadbeef', 'v'))).toMatchObject({ status: 400 });
  });

  it('null stays NULL for every kind', () => {
    expect(coerceValue(column('integer', 'integer'), null, 'v')).toBeNull();
    expect(coerceValue(column('json', 'jsonb'), null, 'v')).toBeNull();
  });
});

describe('Postgres text → cells', () => {
  it('parses array literals with quoting, NULL and nesting', () => {
    expect(parsePgArray('{}')).toEqual([]);
    expect(parsePgArray('{a,"b c",NULL,"NULL","x\\"y\\\\z"}')).toEqual(['a', 'b c', null, 'NULL', 'x"y\\z']);
    expect(parsePgArray('{{1,2},{3,4}}')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parsePgArray('[0:1]={7,8}')).toEqual(['7', '8']);
  });

  it('converts by kind: exact numbers stay strings, dates stay text', () => {
    expect(toCell(column('integer', 'integer'), '42')).toBe(42);
    expect(toCell(column('bigint', 'bigint'), '9007199254740993')).toBe('9007199254740993');
    expect(toCell(column('numeric', 'numeric'), '0.10')).toBe('0.10');
    expect(toCell(column('float', 'double precision'), '0.1')).toBe(0.1);
    expect(toCell(column('float', 'double precision'), 'NaN')).toBe('NaN');
    expect(toCell(column('boolean', 'boolean'), 't')).toBe(true);
    expect(toCell(column('json', 'jsonb'), '{"a": 1}')).toEqual({ a: 1 });
    expect(toCell(column('timestamptz', 'timestamp with time zone'), '2024-01-01 00:00:00+00')).toBe(
      '2024-01-01 00:00:00+00',
    );
    expect(toCell(column('array', 'integer[]', { elementKind: 'integer' }), '{1,NULL,3}')).toEqual([1, null, 3]);
    expect(toCell(column('text', 'text'), null)).toBeNull();
  });
});

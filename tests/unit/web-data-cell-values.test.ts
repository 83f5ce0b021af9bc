import { describe, expect, it } from 'vitest';
import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';
import {
  describeValue,
  formatCell,
  inputTypeFor,
  parseEditorText,
  sameValue,
  splitTimestamp,
  toEditorText,
} from '../../apps/web/lib/data/cell-values.js';

function column(kind: TColumnKind, extra: Partial<TCatalogColumn> = {}) {
  return { kind, elementKind: null, enumValues: null, nullable: true, dataType: kind, ...extra };
}

describe('cell values', () => {
  it('parses editor text per kind into what the API accepts', () => {
    expect(parseEditorText('42', column('integer'))).toEqual({ ok: true, value: 42 });
    expect(parseEditorText('9007199254740993', column('integer'))).toEqual({ ok: true, value: '9007199254740993' });
    expect(parseEditorText('+12', column('bigint'))).toEqual({ ok: true, value: '12' });
    expect(parseEditorText('12.50', column('numeric'))).toEqual({ ok: true, value: '12.50' });
    expect(parseEditorText('1e3', column('float'))).toEqual({ ok: true, value: 1000 });
    expect(parseEditorText('yes', column('boolean'))).toEqual({ ok: true, value: true });
    expect(parseEditorText('F', column('boolean'))).toEqual({ ok: true, value: false });
    expect(parseEditorText('2024-02-29', column('date'))).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseEditorText('2024-02-29T10:30', column('timestamp'))).toEqual({
      ok: true,
      value: '2024-02-29 10:30:00',
    });
    expect(parseEditorText('10:30', column('time'))).toEqual({ ok: true, value: '10:30:00' });
    expect(parseEditorText('{"a": [1, 2]}', column('json'))).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseEditorText('[1, 2]', column('array'))).toEqual({ ok: true, value: [1, 2] });
    expect(parseEditorText('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', column('uuid'))).toEqual({
      ok: true,
      value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    expect(parseEditorText('\\xDEAD', column('bytea'))).toEqual({ ok: true, value: '\\xDEAD' });
    expect(parseEditorText('gold', column('enum', { enumValues: ['gold', 'silver'] }))).toEqual({
      ok: true,
      value: 'gold',
    });
    expect(parseEditorText('', column('text'))).toEqual({ ok: true, value: '' });
  });

  it('refuses what the type cannot hold, with a sentence', () => {
    for (const [text, kind] of [
      ['4.2', 'integer'],
      ['abc', 'numeric'],
      ['maybe', 'boolean'],
      ['2024-13', 'date'],
      ['{oops', 'json'],
      ['{"a":1}', 'array'],
      ['not-a-uuid', 'uuid'],
      ['dead', 'bytea'],
      ['', 'integer'],
    ] as const) {
      const parsed = parseEditorText(text, column(kind));
      expect(parsed.ok, `${kind} ${text}`).toBe(false);
      if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(5);
    }
    const bronze = parseEditorText('bronze', column('enum', { enumValues: ['gold'] }));
    expect(bronze).toEqual({ ok: false, error: '"bronze" is not allowed' });
    const required = parseEditorText('', column('integer', { nullable: false }));
    expect(required).toEqual({ ok: false, error: 'Enter a whole number' });
  });

  it('edits timestamptz in a datetime-local input and keeps the original offset', () => {
    const original = '2024-05-01 10:00:00.123456+02';
    expect(splitTimestamp(original)).toEqual({ local: '2024-05-01T10:00:00.123', offset: '+02' });
    expect(toEditorText(original, column('timestamptz'))).toBe('2024-05-01T10:00:00.123');
    expect(inputTypeFor('timestamptz', '2024-05-01T10:00:00.123')).toBe('datetime-local');
    expect(parseEditorText('2024-05-01T11:15', column('timestamptz'), original)).toEqual({
      ok: true,
      value: '2024-05-01 11:15:00+02',
    });
    expect(parseEditorText('2024-05-01T11:15', column('timestamptz'))).toMatchObject({
      ok: true,
      value: expect.stringMatching(/^2024-05-01 11:15:00[+-]\d{2}:\d{2}$/),
    });
    expect(inputTypeFor('date', 'infinity')).toBe('text');
  });

  it('shows cells as text and compares JSON cells by value', () => {
    expect(formatCell({ b: 1, a: [true] }, 'json')).toBe('{"b":1,"a":[true]}');
    expect(formatCell(['x', null], 'array')).toBe('["x",null]');
    expect(toEditorText([1, 2], column('array'))).toBe('[\n  1,\n  2\n]');
    expect(describeValue(null, 'text')).toBe('NULL');
    expect(describeValue('', 'text')).toBe('(empty text)');
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue('1', 1)).toBe(false);
  });
});

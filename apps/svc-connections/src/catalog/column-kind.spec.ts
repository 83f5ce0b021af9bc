import { describe, expect, it } from 'vitest';
import { kindOfType, type PgTypeInfo, pickLabelColumn } from './column-kind.js';

let next = 1;
function type(name: string, extra: Partial<PgTypeInfo> = {}): PgTypeInfo {
  return { oid: next++, name, schema: 'pg_catalog', type: 'b', category: 'S', elem: 0, base: 0, ...extra };
}

describe('kindOfType', () => {
  const base = [
    'int2',
    'int4',
    'int8',
    'numeric',
    'float4',
    'float8',
    'bool',
    'text',
    'varchar',
    'bpchar',
    'name',
    'uuid',
    'date',
    'timestamp',
    'timestamptz',
    'time',
    'timetz',
    'interval',
    'json',
    'jsonb',
    'bytea',
    'money',
    'point',
    'inet',
  ].map((name) => type(name));
  const byName = new Map(base.map((t) => [t.name, t]));
  const citext = type('citext', { schema: 'public' });
  const mood = type('mood', { schema: 'public', type: 'e', category: 'E' });
  const moodArray = type('_mood', { schema: 'public', category: 'A', elem: mood.oid });
  const int4Array = type('_int4', { category: 'A', elem: byName.get('int4')!.oid });
  const email = type('email', { schema: 'public', type: 'd', base: citext.oid });
  const emailArray = type('_email', { schema: 'public', category: 'A', elem: email.oid });
  const shadowText = type('text', { schema: 'public', type: 'c', category: 'C' });
  const types = new Map(
    [...base, citext, mood, moodArray, int4Array, email, emailArray, shadowText].map((t) => [t.oid, t]),
  );
  const kind = (t: PgTypeInfo) => kindOfType(t.oid, types);

  it.each([
    ['int2', 'integer'],
    ['int4', 'integer'],
    ['int8', 'bigint'],
    ['numeric', 'numeric'],
    ['float4', 'float'],
    ['float8', 'float'],
    ['bool', 'boolean'],
    ['text', 'text'],
    ['varchar', 'text'],
    ['bpchar', 'text'],
    ['name', 'text'],
    ['uuid', 'uuid'],
    ['date', 'date'],
    ['timestamp', 'timestamp'],
    ['timestamptz', 'timestamptz'],
    ['time', 'time'],
    ['timetz', 'time'],
    ['interval', 'interval'],
    ['json', 'json'],
    ['jsonb', 'json'],
    ['bytea', 'bytea'],
    ['money', 'other'],
    ['point', 'other'],
    ['inet', 'other'],
  ])('%s → %s', (name, expected) => {
    expect(kind(byName.get(name)!)).toEqual({ kind: expected, elementKind: null, enumOid: null });
  });

  it('maps citext, enums, arrays, domains; a user type named like a built-in is other', () => {
    expect(kind(citext).kind).toBe('text');
    expect(kind(mood)).toEqual({ kind: 'enum', elementKind: null, enumOid: mood.oid });
    expect(kind(moodArray)).toEqual({ kind: 'array', elementKind: 'enum', enumOid: mood.oid });
    expect(kind(int4Array)).toEqual({ kind: 'array', elementKind: 'integer', enumOid: null });
    expect(kind(email).kind).toBe('text');
    expect(kind(emailArray)).toEqual({ kind: 'array', elementKind: 'text', enumOid: null });
    expect(kind(shadowText).kind).toBe('other');
    expect(kindOfType(999_999, types).kind).toBe('other');
  });
});

describe('pickLabelColumn', () => {
  it('takes the first text-like candidate in order of preference, else the key', () => {
    expect(
      pickLabelColumn(
        [
          { name: 'email', kind: 'text' },
          { name: 'name', kind: 'text' },
        ],
        'id',
      ),
    ).toBe('name');
    expect(
      pickLabelColumn(
        [
          { name: 'name', kind: 'integer' },
          { name: 'code', kind: 'text' },
        ],
        'id',
      ),
    ).toBe('code');
    expect(pickLabelColumn([{ name: 'Title', kind: 'text' }], 'id')).toBe('Title');
    expect(pickLabelColumn([{ name: 'amount', kind: 'numeric' }], 'id')).toBe('id');
  });
});

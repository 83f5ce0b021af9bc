import { describe, expect, it } from 'vitest';
import {
  backupObjectKey,
  compareCounts,
  expiredBackups,
  scratchDatabaseName,
  type RetentionRow,
} from './backup-rules.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const DEPLOYMENT = '22222222-2222-4222-8222-222222222222';
const BACKUP = '33333333-3333-4333-8333-333333333333';

describe('backupObjectKey', () => {
  it('is made of ids and the time only', () => {
    expect(backupObjectKey(TENANT, DEPLOYMENT, BACKUP, new Date('2026-11-22T07:30:05.123Z'))).toBe(
      `backups/${TENANT}/${DEPLOYMENT}/2026-11-22T07-30-05-123Z-${BACKUP}.dump`,
    );
  });
  it('refuses anything that is not an id', () => {
    expect(() => backupObjectKey('../other', DEPLOYMENT, BACKUP, new Date())).toThrow(/not a tenant id/);
  });
});

describe('scratchDatabaseName', () => {
  it('is a plain identifier under 63 bytes', () => {
    const name = scratchDatabaseName(BACKUP);
    expect(name).toBe('ed_restore_33333333333343338333333333333333');
    expect(name).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
  });
});

describe('compareCounts', () => {
  it('passes when every table has its rows', () => {
    const r = compareCounts({ 'public.a': 3, 'public.b': 0 }, { 'public.a': 3, 'public.b': 0 });
    expect(r).toEqual({ passed: true, mismatches: [], message: 'restored 2 tables with the same row counts (3 rows)' });
  });
  it('names each table that differs or is missing', () => {
    const r = compareCounts({ 'public.orders': 1000, 'public.lines': 5, 'x.y': 1 }, { 'public.orders': 998, 'x.y': 1 });
    expect(r.passed).toBe(false);
    expect(r.mismatches).toEqual([
      { table: 'public.lines', source: 5, restored: null },
      { table: 'public.orders', source: 1000, restored: 998 },
    ]);
    expect(r.message).toBe(
      'row counts differ: public.lines: 5 at backup, missing after the restore; public.orders: 1000 at backup, 998 restored',
    );
  });
});

describe('expiredBackups', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const row = (id: string, age: number, extra: Partial<RetentionRow> = {}): RetentionRow => ({
    id,
    status: 'succeeded',
    validation: 'passed',
    startedAt: daysAgo(age),
    objectKey: `k-${id}`,
    expiredAt: null,
    ...extra,
  });

  it('deletes succeeded backups older than the retention', () => {
    const rows = [row('new', 1), row('old', 10), row('older', 20)];
    expect(expiredBackups(rows, 7, now).map((r) => r.id)).toEqual(['old', 'older']);
  });
  it('never deletes the latest successful backup, however old', () => {
    expect(expiredBackups([row('only', 30)], 7, now)).toEqual([]);
    const rows = [row('a', 30), row('b', 40), row('failed', 1, { status: 'failed', objectKey: null })];
    expect(expiredBackups(rows, 7, now).map((r) => r.id)).toEqual(['b']);
  });
  it('keeps the newest backup that passed validation when newer ones failed it', () => {
    const rows = [row('bad', 10, { validation: 'failed' }), row('good', 20), row('older', 30)];
    expect(expiredBackups(rows, 7, now).map((r) => r.id)).toEqual(['older']);
  });
  it('skips already expired, running and object-less rows', () => {
    const rows = [
      row('keep', 1),
      row('gone', 30, { expiredAt: daysAgo(2) }),
      row('run', 30, { status: 'running' }),
      row('x', 30, { objectKey: null }),
    ];
    expect(expiredBackups(rows, 7, now)).toEqual([]);
  });
});

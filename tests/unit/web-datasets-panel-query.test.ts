import { describe, expect, it } from 'vitest';
import type { TPanelQuery } from '@elasticdash/contracts/datasets/query';
import {
  canonicalJson,
  effectiveQuery,
  formatBucket,
  parseFilterValue,
  toChartData,
} from '../../apps/web/lib/datasets/panel-query.js';

const base: TPanelQuery = {
  x: { kind: 'category', column: 'c2', limit: 20 },
  y: { agg: 'sum', column: 'c3' },
  groupBy: null,
  filters: [],
};

describe('panel query normalisation (the query key)', () => {
  it('gives identical panels the same key whatever the key order or defaults', () => {
    const a = effectiveQuery(base, []);
    const b = effectiveQuery(
      {
        filters: [],
        groupBy: null,
        y: { column: 'c3', agg: 'sum' },
        x: { column: 'c2', kind: 'category' } as TPanelQuery['x'],
      },
      [],
    );
    expect(a).not.toBeNull();
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('puts dashboard filters first, drops duplicates, and ignores a column on count', () => {
    const query = effectiveQuery(
      { ...base, y: { agg: 'count', column: 'c3' }, filters: [{ column: 'c2', op: 'eq', value: 'A' }] },
      [
        { column: 'c1', op: 'gte', value: '2026-01-01' },
        { column: 'c2', op: 'eq', value: 'A' },
      ],
    );
    expect(query?.y).toEqual({ agg: 'count' });
    expect(query?.filters).toEqual([
      { column: 'c1', op: 'gte', value: '2026-01-01' },
      { column: 'c2', op: 'eq', value: 'A' },
    ]);
  });

  it('is null for a query the API would refuse', () => {
    expect(effectiveQuery({ ...base, y: { agg: 'sum' } }, [])).toBeNull();
  });
});

describe('chart data', () => {
  it('sorts time, pivots groups into series and leaves gaps as null', () => {
    const data = toChartData(
      [
        { x: '2026-01-02T00:00:00.000Z', group: 'A', value: 2 },
        { x: '2026-01-01T00:00:00.000Z', group: 'A', value: 1 },
        { x: '2026-01-01T00:00:00.000Z', group: 'B', value: 5 },
      ],
      { time: true, measure: 'Count' },
    );
    expect(data.xs).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
    expect(data.series).toEqual([
      { name: 'A', values: [1, 2] },
      { name: 'B', values: [5, null] },
    ]);
  });

  it('names the single series after the measure and keeps category order', () => {
    const data = toChartData(
      [
        { x: 'b', group: null, value: 9 },
        { x: 'a', group: null, value: 3 },
        { x: null, group: null, value: 1 },
      ],
      { time: false, measure: 'Sum of amount' },
    );
    expect(data).toEqual({ xs: ['b', 'a', '(empty)'], series: [{ name: 'Sum of amount', values: [9, 3, 1] }] });
  });

  it('labels buckets by grain', () => {
    expect(formatBucket('2026-05-17T13:00:00.000Z', 'day')).toBe('2026-05-17');
    expect(formatBucket('2026-05-17T13:00:00.000Z', 'month')).toBe('2026-05');
    expect(formatBucket('2026-05-17T13:00:00.000Z', 'quarter')).toBe('2026 Q2');
    expect(formatBucket('2026-05-17T13:00:00.000Z', 'hour')).toBe('2026-05-17 13:00');
  });
});

describe('filter values', () => {
  it('types values by column and op', () => {
    expect(parseFilterValue('gt', ' 12.5 ', 'numeric')).toEqual({ ok: true, value: 12.5 });
    expect(parseFilterValue('eq', '1.5', 'integer').ok).toBe(false);
    expect(parseFilterValue('in', 'A, B,,C', 'text')).toEqual({ ok: true, value: ['A', 'B', 'C'] });
    expect(parseFilterValue('between', '1, 5', 'integer')).toEqual({ ok: true, value: [1, 5] });
    expect(parseFilterValue('between', '1', 'integer').ok).toBe(false);
    expect(parseFilterValue('eq', 'yes', 'boolean')).toEqual({ ok: true, value: true });
    expect(parseFilterValue('is_null', '', 'text')).toEqual({ ok: true, value: undefined });
    expect(parseFilterValue('eq', '', 'date').ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  clampWidth,
  defaultWidth,
  layoutFromVisible,
  moveColumn,
  moveColumnTo,
  orderedColumns,
  parseLayout,
  toggleColumn,
  visibleColumns,
} from '../../apps/web/lib/data/column-layout.js';
import { formatEstimate, formatRowCount } from '../../apps/web/lib/data/format.js';
import { columnWritable, tableWritable } from '../../apps/web/lib/data/kinds.js';
import { EMPTY_SELECTION, pruneSelection, rowIdOf, selectAll, toggleRow } from '../../apps/web/lib/data/selection.js';
import { ariaSort, nextSort, sortBy, sortStateOf } from '../../apps/web/lib/data/sort.js';

describe('sorting by header', () => {
  it('click cycles one column asc → desc → none; shift-click adds secondary keys', () => {
    let sort = nextSort([], 'name', false);
    expect(sort).toEqual([{ column: 'name', direction: 'asc' }]);
    sort = nextSort(sort, 'name', false);
    expect(sort).toEqual([{ column: 'name', direction: 'desc' }]);
    expect(nextSort(sort, 'name', false)).toEqual([]);
    sort = nextSort(sort, 'id', true);
    expect(sort).toEqual([
      { column: 'name', direction: 'desc' },
      { column: 'id', direction: 'asc' },
    ]);
    expect(sortStateOf(sort, 'id')).toEqual({ direction: 'asc', position: 2 });
    expect(ariaSort(sort, 'name')).toBe('descending');
    expect(ariaSort(sort, 'id')).toBe('none');
    sort = nextSort(sort, 'id', true);
    expect(sort[1]).toEqual({ column: 'id', direction: 'desc' });
    expect(nextSort(sort, 'id', true)).toEqual([{ column: 'name', direction: 'desc' }]);
    expect(nextSort(sort, 'email', false)).toEqual([{ column: 'email', direction: 'asc' }]);
    expect(sortBy(sort, 'id', 'asc')[0]).toEqual({ column: 'id', direction: 'asc' });
    expect(sortBy(sort, 'id', null)).toEqual([{ column: 'name', direction: 'desc' }]);
  });
});

describe('column layout', () => {
  const table = ['id', 'name', 'email', 'created_at'];

  it('keeps the saved order, appends new columns, forgets dropped ones', () => {
    const layout = { order: ['email', 'gone', 'id'], widths: {}, hidden: ['name'] };
    expect(orderedColumns(layout, table)).toEqual(['email', 'id', 'name', 'created_at']);
    expect(visibleColumns(layout, table)).toEqual(['email', 'id', 'created_at']);
    expect(visibleColumns(layout, table, ['name', 'nope', 'id'])).toEqual(['name', 'id']);
  });

  it('moves, drags, hides and shows columns', () => {
    expect(moveColumn(table, 'name', 1)).toEqual(['id', 'email', 'name', 'created_at']);
    expect(moveColumn(table, 'id', -1)).toEqual(table);
    expect(moveColumnTo(table, 'created_at', 0)).toEqual(['created_at', 'id', 'name', 'email']);
    const hidden = toggleColumn(table, table, 'name');
    expect(hidden).toEqual(['id', 'email', 'created_at']);
    expect(toggleColumn(hidden, table, 'name')).toEqual(table);
    expect(toggleColumn(['id'], table, 'id')).toEqual(['id']);
    expect(layoutFromVisible({ order: [], widths: { id: 90 }, hidden: [] }, table, ['email', 'id'])).toEqual({
      order: ['email', 'id', 'name', 'created_at'],
      widths: { id: 90 },
      hidden: ['name', 'created_at'],
    });
  });

  it('reads stored layouts defensively and clamps widths', () => {
    expect(parseLayout('{bad')).toEqual({ order: [], widths: {}, hidden: [] });
    expect(parseLayout('{"order":["a",1],"widths":{"a":5,"b":"x"},"hidden":null}')).toEqual({
      order: ['a'],
      widths: { a: 60 },
      hidden: [],
    });
    expect(clampWidth(99999)).toBe(1200);
    expect(defaultWidth('boolean', 'ok')).toBe(100);
  });
});

describe('row selection', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  it('toggles one row, and shift-click selects a range from the anchor', () => {
    let selection = toggleRow(EMPTY_SELECTION, ids, 1, false);
    expect([...selection.ids]).toEqual(['b']);
    selection = toggleRow(selection, ids, 3, true);
    expect([...selection.ids].sort()).toEqual(['b', 'c', 'd']);
    selection = toggleRow(selection, ids, 2, true);
    expect([...selection.ids].sort()).toEqual(['d']);
    expect(selectAll(ids).ids.size).toBe(5);
    expect([...pruneSelection(selectAll(ids), new Set(['a', 'e'])).ids]).toEqual(['a', 'e']);
  });

  it('identifies rows by their primary key in key order', () => {
    expect(rowIdOf({ b: 2, a: 1 }, ['a', 'b'], 0)).toBe('[1,2]');
    expect(rowIdOf(null, [], 7)).toBe('#7');
  });
});

describe('tables and counts', () => {
  it('writes only tables with a primary key that the catalog does not mark read-only', () => {
    const table = { readOnly: false, primaryKey: ['id'], type: 'table' as const };
    expect(tableWritable(table)).toBe(true);
    expect(tableWritable({ ...table, type: 'view' })).toBe(false);
    expect(tableWritable({ ...table, primaryKey: [] })).toBe(false);
    expect(columnWritable(table, { readOnly: false, isGenerated: true })).toBe(false);
  });

  it('formats estimates with ≈ and exact counts without', () => {
    expect(formatRowCount({ value: 1_000_000, exact: false })).toBe('≈ 1,000,000 rows');
    expect(formatRowCount({ value: 1, exact: true })).toBe('1 row');
    expect(formatEstimate(1_234_567)).toBe('≈ 1.2M rows');
    expect(formatEstimate(null)).toBe('unknown size');
  });
});

import { describe, expect, it } from 'vitest';
import { ZTableView, type TFilterGroup } from '@elasticdash/contracts/data/rows';
import { filterKnownColumns } from '../../apps/web/lib/data/filter-tree.js';
import {
  base64UrlDecode,
  base64UrlEncode,
  decodeView,
  encodeView,
  exportViewParam,
  queryViewOf,
  sanitizeView,
  tableViewOf,
  viewKey,
  type TGridView,
} from '../../apps/web/lib/data/view-url.js';

const filter: TFilterGroup = {
  type: 'group',
  combinator: 'and',
  children: [
    { type: 'condition', column: 'name', op: 'contains', value: 'Ann' },
    {
      type: 'group',
      combinator: 'or',
      children: [
        { type: 'condition', column: 'age', op: 'between', value: ['18', null] },
        { type: 'condition', column: 'created_at', op: 'in_last', value: 7, unit: 'day' },
        { type: 'condition', column: 'email', op: 'is_empty' },
      ],
    },
  ],
};

describe('grid view in the URL', () => {
  it('round-trips filters, sort, search and columns through ?v=', () => {
    const view: TGridView = {
      filter,
      sort: [
        { column: 'created_at', direction: 'desc' },
        { column: 'id', direction: 'asc' },
      ],
      search: 'Zoë & co ✓',
      columns: ['id', 'name', 'email'],
    };
    const encoded = encodeView(view);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeView(encoded)).toEqual({ valid: true, view });
  });

  it('keeps the default view out of the URL', () => {
    expect(encodeView({ sort: [] })).toBeNull();
    expect(decodeView(null)).toEqual({ valid: true, view: { sort: [] } });
  });

  it('is compact: short keys, conditions as tuples', () => {
    const encoded = encodeView({ filter, sort: [{ column: 'id', direction: 'desc' }] }) ?? '';
    const json = JSON.parse(base64UrlDecode(encoded)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['f', 's']);
    expect(json.s).toEqual([['id', 'd']]);
    expect(JSON.stringify(json.f)).toContain('["name","contains","Ann"]');
  });

  it('gives the default view (flagged) for damaged or hostile values', () => {
    for (const bad of [
      '%%%',
      'bm90IGpzb24',
      base64UrlEncode('{"s":[["id","sideways"]]}'),
      base64UrlEncode('{"f":{"and":[["x","drop table"]]}}'),
    ]) {
      expect(decodeView(bad)).toEqual({ valid: false, view: { sort: [] } });
    }
  });

  it('encodes the export view as base64url JSON of a ZTableView', () => {
    const tableView = tableViewOf('public', 'customers', { filter, sort: [], search: 'a' }, ['id', 'name']);
    const decoded = ZTableView.parse(JSON.parse(Buffer.from(exportViewParam(tableView), 'base64url').toString('utf8')));
    expect(decoded).toEqual({
      schema: 'public',
      table: 'customers',
      filter,
      sort: [],
      search: 'a',
      columns: ['id', 'name'],
    });
  });

  it('drops unknown and unsortable columns from a shared view', () => {
    const view: TGridView = {
      filter,
      sort: [
        { column: 'payload', direction: 'asc' },
        { column: 'gone', direction: 'asc' },
        { column: 'name', direction: 'desc' },
      ],
      columns: ['gone', 'name'],
    };
    const columns = [
      { name: 'name', sortable: true },
      { name: 'age', sortable: true },
      { name: 'payload', sortable: false },
    ];
    const clean = sanitizeView(view, columns, filterKnownColumns);
    expect(clean.sort).toEqual([{ column: 'name', direction: 'desc' }]);
    expect(clean.columns).toEqual(['name']);
    expect(clean.filter).toEqual({
      type: 'group',
      combinator: 'and',
      children: [
        { type: 'condition', column: 'name', op: 'contains', value: 'Ann' },
        {
          type: 'group',
          combinator: 'or',
          children: [{ type: 'condition', column: 'age', op: 'between', value: ['18', null] }],
        },
      ],
    });
  });

  it('queries every column, except while searching (the search covers the visible ones)', () => {
    const table = ['a', 'b', 'c'];
    const hidden = queryViewOf({ sort: [], columns: ['b', 'a'] }, ['a', 'b']);
    expect(hidden).toEqual({ sort: [] });
    expect(viewKey(hidden)).toBe(viewKey(queryViewOf({ sort: [] }, table)));
    const searching = queryViewOf({ sort: [], search: 'x', columns: ['b', 'a'] }, ['a', 'b']);
    expect(searching).toEqual({ sort: [], search: 'x', columns: ['a', 'b'] });
    expect(viewKey(searching)).not.toBe(viewKey(queryViewOf({ sort: [], search: 'x' }, table)));
    expect(viewKey({ sort: [], search: 'x' })).not.toBe(viewKey({ sort: [] }));
  });
});

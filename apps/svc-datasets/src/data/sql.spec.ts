import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import { ZPanelQuery } from '@elasticdash/contracts/datasets/query';
import { describe, expect, it } from 'vitest';
import { queryHash } from './query-cache.js';
import {
  catalogOf,
  checkedLiveTable,
  dataTable,
  Issues,
  panelStatement,
  Params,
  QueryIssuesError,
  whereClause,
} from './sql.js';

const TENANT = '0b7f2c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';
const DATASET = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const TABLE = dataTable(TENANT, DATASET, 3);
const COLUMNS: TDatasetColumn[] = [
  { key: 'c1', name: 'at', type: 'timestamp', position: 0 },
  { key: 'c2', name: 'category', type: 'text', position: 1 },
  { key: 'c3', name: 'amount', type: 'numeric', position: 2 },
  { key: 'c4', name: 'qty', type: 'integer', position: 3 },
  { key: 'c5', name: 'paid', type: 'boolean', position: 4 },
];
const catalog = catalogOf(COLUMNS);

describe('data table names', () => {
  it('builds the documented layout and accepts only it as live table', () => {
    expect(TABLE).toBe('"ds_0b7f2c1e3a4d4e5f8a9b0c1d2e3f4a5b"."d_9f8e7d6c5b4a439281706f5e4d3c2b1a_v3"');
    expect(checkedLiveTable(TABLE, TENANT, DATASET)).toBe(TABLE);
    const otherTenant = dataTable('11111111-1111-4111-8111-111111111111', DATASET, 3);
    expect(() => checkedLiveTable(otherTenant, TENANT, DATASET)).toThrow();
    expect(() => checkedLiveTable(`${TABLE}; drop table x`, TENANT, DATASET)).toThrow();
    expect(() => checkedLiveTable('public.users', TENANT, DATASET)).toThrow();
  });
});

describe('filters', () => {
  it('binds every value and casts to the column type', () => {
    const params = new Params();
    const issues = new Issues();
    const where = whereClause(
      [
        { column: 'c2', op: 'eq', value: "'); drop table x; --" },
        { column: 'c4', op: 'between', value: [1, '20'] },
        { column: 'c2', op: 'contains', value: '50%_off' },
        { column: 'c3', op: 'in', value: [1.5, '2'] },
        { column: 'c5', op: 'neq', value: null },
      ],
      catalog,
      params,
      'filters',
      issues,
    );
    expect(issues.list).toEqual([]);
    expect(where).toBe(
      '("c2" = $1::text) and ("c4" between $2::bigint and $3::bigint) and ("c2" ilike $4) and ("c3" = any($5::numeric[])) and ("c5" is not null)',
    );
    expect(params.values).toEqual(["'); drop table x; --", '1', '20', '%50\\%\\_off%', ['1.5', '2']]);
  });

  it('reports each problem with its path', () => {
    const issues = new Issues();
    whereClause(
      [
        { column: 'c9', op: 'eq', value: 1 },
        { column: 'c4', op: 'gt', value: '1; drop' },
        { column: 'c5', op: 'lt', value: true },
        { column: 'c1', op: 'in', value: [] },
      ],
      catalog,
      new Params(),
      'filters',
      issues,
    );
    expect(issues.list.map((issue) => issue.path)).toEqual([
      'filters.0.column',
      'filters.1.value',
      'filters.2.op',
      'filters.3.value',
    ]);
  });
});

describe('panel statements', () => {
  it('buckets time with the grain and keeps the top groups', () => {
    const query = ZPanelQuery.parse({
      x: { kind: 'time', column: 'c1', grain: 'month' },
      y: { agg: 'sum', column: 'c3' },
      groupBy: { column: 'c2', limit: 5 },
      filters: [{ column: 'c5', op: 'eq', value: true }],
    });
    const statement = panelStatement(TABLE, COLUMNS, query);
    expect(statement.x).toBe('time');
    expect(statement.text).toContain(`date_trunc('month', "c1"::timestamptz)`);
    expect(statement.text).toContain('with top_groups as (select "c2" as g');
    expect(statement.values).toEqual(['true', 5]);
  });

  it('refuses aggregates and axes that do not fit the column types', () => {
    const query = ZPanelQuery.parse({
      x: { kind: 'time', column: 'c2', grain: 'day' },
      y: { agg: 'avg', column: 'c5' },
    });
    try {
      panelStatement(TABLE, COLUMNS, query);
      expect.unreachable();
    } catch (error) {
      expect((error as QueryIssuesError).issues.map((issue) => issue.path)).toEqual(['y.column', 'x.column']);
    }
  });

  it('hashes equal queries equally whatever the key and filter order', () => {
    const a = ZPanelQuery.parse({
      y: { agg: 'count' },
      filters: [
        { column: 'c2', op: 'eq', value: 'a' },
        { column: 'c4', op: 'gt', value: 1 },
      ],
    });
    const b = ZPanelQuery.parse({
      filters: [
        { value: 1, op: 'gt', column: 'c4' },
        { column: 'c2', op: 'eq', value: 'a' },
      ],
      y: { agg: 'count' },
    });
    expect(queryHash(a)).toBe(queryHash(b));
    expect(queryHash(a)).not.toBe(queryHash({ ...a, filters: [] }));
  });
});

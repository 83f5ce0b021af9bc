import type { TColumnType, TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import {
  AGGREGATES,
  TIME_GRAINS,
  type TDatasetFilter,
  type TDatasetRowsQuery,
  type TPanelQuery,
} from '@elasticdash/contracts/datasets/query';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';

/**
 * Pure SQL building for the data tables of a dataset. Identifiers come only from the dataset's
 * own metadata (column keys checked against its catalog, the table name checked against the
 * layout the worker writes); every value a user sends is a bound parameter.
 */

/** Postgres type of each column type in the data tables (shared layout with the worker). */
export const PG_TYPES: Record<TColumnType, string> = {
  integer: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  text: 'text',
};

const LIVE_TABLE = /^"ds_([0-9a-f]{32})"\."d_([0-9a-f]{32})_v([1-9][0-9]{0,8})"$/;
const COLUMN_KEY = /^c[0-9]{1,5}$/;

const hex = (uuid: string) => uuid.replaceAll('-', '').toLowerCase();

/** `"ds_<tenant hex>"` — the schema holding a tenant's data tables. */
export function tenantSchema(tenantId: string): string {
  const schema = `ds_${hex(tenantId)}`;
  if (!/^ds_[0-9a-f]{32}$/.test(schema)) throw new Error('tenant id is not a UUID');
  return `"${schema}"`;
}

/** `"ds_…"."d_<dataset hex>_v<version>"` — where the worker writes a version's rows. */
export function dataTable(tenantId: string, datasetId: string, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new Error(`bad data version ${version}`);
  const table = `d_${hex(datasetId)}_v${version}`;
  if (!/^d_[0-9a-f]{32}_v[0-9]+$/.test(table)) throw new Error('dataset id is not a UUID');
  return `${tenantSchema(tenantId)}."${table}"`;
}

/**
 * The dataset's `live_table`, accepted only when it has the documented shape and names this
 * tenant's schema and this dataset; anything else is a corrupted row and never reaches SQL.
 */
export function checkedLiveTable(liveTable: string, tenantId: string, datasetId: string): string {
  const match = LIVE_TABLE.exec(liveTable);
  if (!match || match[1] !== hex(tenantId) || match[2] !== hex(datasetId)) {
    throw new Error(`dataset ${datasetId} has an unexpected live table name`);
  }
  return liveTable;
}

export function quoteColumn(column: TDatasetColumn): string {
  if (!COLUMN_KEY.test(column.key)) throw new Error(`bad column key ${column.key}`);
  return `"${column.key}"`;
}

/** Positional parameters ($1, $2, …) collected while a statement is built. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Field problems found while checking a query against the dataset's columns. */
export class Issues {
  readonly list: TFieldIssue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

export type ColumnCatalog = ReadonlyMap<string, TDatasetColumn>;

export function catalogOf(columns: readonly TDatasetColumn[]): ColumnCatalog {
  return new Map(columns.map((column) => [column.key, column]));
}

const join = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

function lookup(catalog: ColumnCatalog, key: string, path: string, issues: Issues): TDatasetColumn | undefined {
  const column = catalog.get(key);
  if (!column) issues.add(path, `Unknown column ${key}: this dataset has no such column`);
  return column;
}

const INTEGER = /^-?[0-9]{1,18}$/;
const NUMERIC = /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,4})?$/;
const ISO_DATE =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$/;

type Scalar = string | number | boolean;

/** A filter value as the text Postgres casts to the column's type, or an issue. */
function coerce(column: TDatasetColumn, value: Scalar, path: string, issues: Issues): string | undefined {
  const label = `${column.name} (${column.type})`;
  switch (column.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      if (typeof value === 'string' && INTEGER.test(value.trim())) return value.trim();
      issues.add(path, `${label} needs a whole number`);
      return undefined;
    case 'numeric':
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value === 'string' && NUMERIC.test(value.trim())) return value.trim();
      issues.add(path, `${label} needs a number`);
      return undefined;
    case 'boolean':
      if (typeof value === 'boolean') return String(value);
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase();
      issues.add(path, `${label} needs true or false`);
      return undefined;
    case 'date':
    case 'timestamp':
      if (typeof value === 'string' && ISO_DATE.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))) {
        return value.trim();
      }
      issues.add(
        path,
        `${label} needs an ISO date such as 2024-01-31${column.type === 'timestamp' ? 'T12:00:00Z' : ''}`,
      );
      return undefined;
    case 'text':
      return String(value);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** One filter as a SQL condition, or undefined (with issues) when it does not fit the column. */
export function filterCondition(
  filter: TDatasetFilter,
  catalog: ColumnCatalog,
  params: Params,
  path: string,
  issues: Issues,
): string | undefined {
  const column = lookup(catalog, filter.column, join(path, 'column'), issues);
  if (!column) return undefined;
  const sqlColumn = quoteColumn(column);
  const type = PG_TYPES[column.type];
  const valuePath = join(path, 'value');
  const { op, value } = filter;
  const scalar = (): string | undefined => {
    if (value === undefined || value === null || Array.isArray(value)) {
      issues.add(valuePath, `The ${op} filter needs one value`);
      return undefined;
    }
    const coerced = coerce(column, value, valuePath, issues);
    return coerced === undefined ? undefined : `${params.add(coerced)}::${type}`;
  };
  const ordered = (): boolean => {
    if (column.type !== 'boolean') return true;
    issues.add(join(path, 'op'), `${column.name} is true/false: use eq or neq`);
    return false;
  };
  switch (op) {
    case 'is_null':
      return `${sqlColumn} is null`;
    case 'not_null':
      return `${sqlColumn} is not null`;
    case 'eq': {
      if (value === null) return `${sqlColumn} is null`;
      const bound = scalar();
      return bound && `${sqlColumn} = ${bound}`;
    }
    case 'neq': {
      if (value === null) return `${sqlColumn} is not null`;
      const bound = scalar();
      return bound && `${sqlColumn} is distinct from ${bound}`;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!ordered()) return undefined;
      const bound = scalar();
      const sign = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
      return bound && `${sqlColumn} ${sign} ${bound}`;
    }
    case 'contains': {
      if (typeof value !== 'string' && typeof value !== 'number') {
        issues.add(valuePath, 'The contains filter needs a text value');
        return undefined;
      }
      const pattern = params.add(`%${escapeLike(String(value))}%`);
      return column.type === 'text' ? `${sqlColumn} ilike ${pattern}` : `${sqlColumn}::text ilike ${pattern}`;
    }
    case 'in': {
      if (!Array.isArray(value) || value.length === 0) {
        issues.add(valuePath, 'The in filter needs a non-empty list of values');
        return undefined;
      }
      const items = value.map((item, index) => coerce(column, item, `${valuePath}.${index}`, issues));
      if (items.some((item) => item === undefined)) return undefined;
      return `${sqlColumn} = any(${params.add(items)}::${type}[])`;
    }
    case 'between': {
      if (!ordered()) return undefined;
      if (!Array.isArray(value) || value.length !== 2) {
        issues.add(valuePath, 'The between filter needs two values [from, to]');
        return undefined;
      }
      const [from, to] = value as [Scalar, Scalar];
      const low = coerce(column, from, `${valuePath}.0`, issues);
      const high = coerce(column, to, `${valuePath}.1`, issues);
      if (low === undefined || high === undefined) return undefined;
      return `${sqlColumn} between ${params.add(low)}::${type} and ${params.add(high)}::${type}`;
    }
  }
}

/** All filters joined with `and` (`true` when there are none). */
export function whereClause(
  filters: readonly TDatasetFilter[],
  catalog: ColumnCatalog,
  params: Params,
  path: string,
  issues: Issues,
): string {
  const conditions = filters
    .map((filter, index) => filterCondition(filter, catalog, params, `${path}.${index}`, issues))
    .filter((condition): condition is string => condition !== undefined);
  return conditions.length === 0 ? 'true' : conditions.map((condition) => `(${condition})`).join(' and ');
}

/** Checks filters without building SQL (dashboards); issues carry `path`. */
export function checkFilters(
  filters: readonly TDatasetFilter[],
  catalog: ColumnCatalog,
  path: string,
  issues: Issues,
): void {
  whereClause(filters, catalog, new Params(), path, issues);
}

// ── rows ──────────────────────────────────────────────────────────────────────────────

export interface RowsStatement {
  page: { text: string; values: unknown[] };
  /** null when the total is known without counting (no filters). */
  count: { text: string; values: unknown[] } | null;
}

/** Selects a column for the rows page: dates as `YYYY-MM-DD`, the rest as Postgres sends them. */
function selectColumn(column: TDatasetColumn): string {
  const sqlColumn = quoteColumn(column);
  return column.type === 'date' ? `to_char(${sqlColumn}, 'YYYY-MM-DD') as ${sqlColumn}` : sqlColumn;
}

export function rowsStatement(
  table: string,
  columns: readonly TDatasetColumn[],
  query: TDatasetRowsQuery,
  filters: readonly TDatasetFilter[],
  options: { countWithoutFilters: boolean },
): RowsStatement {
  const catalog = catalogOf(columns);
  const issues = new Issues();
  const params = new Params();
  const where = whereClause(filters, catalog, params, 'filters', issues);
  const sortColumn = query.sort === undefined ? undefined : lookup(catalog, query.sort, 'sort', issues);
  if (!issues.empty) throw new QueryIssuesError(issues.list);
  const dir = query.dir === 'desc' ? 'desc' : 'asc';
  const order = sortColumn ? `${quoteColumn(sortColumn)} ${dir} nulls last, "_row" asc` : `"_row" ${dir}`;
  const filterValues = [...params.values];
  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  const select = ['"_row"', ...columns.map(selectColumn)].join(', ');
  return {
    page: {
      text: `select ${select} from ${table} where ${where} order by ${order} limit ${limit} offset ${offset}`,
      values: params.values,
    },
    count:
      filters.length > 0 || options.countWithoutFilters
        ? { text: `select count(*)::bigint as total from ${table} where ${where}`, values: filterValues }
        : null,
  };
}

// ── panel queries ─────────────────────────────────────────────────────────────────────

/** Thrown by the builders with every field issue; the service answers 400 with them. */
export class QueryIssuesError extends Error {
  constructor(readonly issues: TFieldIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
}

const NUMBER_TYPES: readonly TColumnType[] = ['integer', 'numeric'];
const TIME_TYPES: readonly TColumnType[] = ['date', 'timestamp'];

/** Checks a panel query against the dataset's columns; issues are prefixed with `path`. */
export function checkPanelQuery(query: TPanelQuery, catalog: ColumnCatalog, path: string, issues: Issues): void {
  const { x, y, groupBy } = query;
  if (!AGGREGATES.includes(y.agg)) issues.add(join(path, 'y.agg'), `Unknown aggregate ${String(y.agg)}`);
  if (y.column !== undefined) {
    const column = lookup(catalog, y.column, join(path, 'y.column'), issues);
    if (column && y.agg !== 'count' && !NUMBER_TYPES.includes(column.type)) {
      issues.add(join(path, 'y.column'), `${y.agg} needs a number column; ${column.name} is ${column.type}`);
    }
  }
  if (x) {
    const column = lookup(catalog, x.column, join(path, 'x.column'), issues);
    if (column && x.kind === 'time' && !TIME_TYPES.includes(column.type)) {
      issues.add(
        join(path, 'x.column'),
        `A time axis needs a date or timestamp column; ${column.name} is ${column.type}`,
      );
    }
    if (x.kind === 'time' && !TIME_GRAINS.includes(x.grain)) {
      issues.add(join(path, 'x.grain'), `Unknown time grain ${String(x.grain)}`);
    }
  }
  if (groupBy) lookup(catalog, groupBy.column, join(path, 'groupBy.column'), issues);
  checkFilters(query.filters, catalog, join(path, 'filters'), issues);
}

export interface PanelStatement {
  text: string;
  values: unknown[];
  /** How to read the answer's `x` column. */
  x: 'time' | 'category' | 'none';
}

/**
 * One statement answering a panel: rows `(x, g, value)` with `value` as double precision.
 * - time x: buckets `date_trunc(grain)` (UTC session), oldest first;
 * - category x: the top `limit` categories by the aggregate;
 * - groupBy: only the top `limit` groups by the aggregate over the filtered rows.
 */
export function panelStatement(table: string, columns: readonly TDatasetColumn[], query: TPanelQuery): PanelStatement {
  const catalog = catalogOf(columns);
  const issues = new Issues();
  checkPanelQuery(query, catalog, '', issues);
  if (!issues.empty) throw new QueryIssuesError(issues.list);
  const params = new Params();
  const where = whereClause(query.filters, catalog, params, 'filters', issues);
  const column = (key: string) => quoteColumn(catalog.get(key) as TDatasetColumn);
  const { x, y, groupBy } = query;
  const measure =
    y.agg === 'count'
      ? y.column === undefined
        ? 'count(*)'
        : `count(${column(y.column)})`
      : `${y.agg}(${column(y.column as string)})`;
  const value = `(${measure})::double precision`;

  const group = groupBy ? column(groupBy.column) : undefined;
  const topGroups = groupBy
    ? `select ${group} as g from ${table} where ${where} group by 1 order by ${measure} desc nulls last, 1 limit ${params.add(groupBy.limit)}`
    : undefined;
  const groupSelect = group ? `${group}::text` : 'null::text';
  const groupFilter = group ? ` and ${group} in (select g from top_groups)` : '';
  const withGroups = topGroups ? `with top_groups as (${topGroups}) ` : '';

  if (!x) {
    if (!group)
      return {
        text: `select null::text as x, null::text as g, ${value} as value from ${table} where ${where}`,
        values: params.values,
        x: 'none',
      };
    return {
      text: `${withGroups}select null::text as x, ${groupSelect} as g, ${value} as value from ${table} where ${where}${groupFilter} group by 2 order by 3 desc nulls last, 2`,
      values: params.values,
      x: 'none',
    };
  }

  const xColumn = column(x.column);
  if (x.kind === 'time') {
    if (!TIME_GRAINS.includes(x.grain)) throw new Error(`bad grain ${x.grain}`);
    const bucket = `date_trunc('${x.grain}', ${xColumn}::timestamptz)`;
    const inner = `select ${bucket} as b, ${groupSelect} as g, ${value} as value from ${table} where ${where} and ${xColumn} is not null${groupFilter} group by 1, 2`;
    return {
      text: `${withGroups}select to_char(b, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as x, g, value from (${inner}) buckets order by b, g limit 20000`,
      values: params.values,
      x: 'time',
    };
  }

  const limit = params.add(x.limit);
  if (!group) {
    return {
      text: `select ${xColumn}::text as x, null::text as g, ${value} as value from ${table} where ${where} group by ${xColumn} order by ${measure} desc nulls last, 1 limit ${limit}`,
      values: params.values,
      x: 'category',
    };
  }
  const topCategories = `select ${xColumn} as c from ${table} where ${where} group by 1 order by ${measure} desc nulls last, 1 limit ${limit}`;
  return {
    text: `with top_groups as (${topGroups}), top_categories as (${topCategories}) select ${xColumn}::text as x, ${groupSelect} as g, ${value} as value from ${table} where ${where} and ${xColumn} in (select c from top_categories)${groupFilter} group by 1, 2 order by 1, 2`,
    values: params.values,
    x: 'category',
  };
}

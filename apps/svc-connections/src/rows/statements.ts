import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type { TRow, TTableView } from '@elasticdash/contracts/data/rows';
import { type ColumnLookup, compileFilter, compileSearch, type FilterContext } from './filter.js';
import { invalid } from './invalid.js';
import { afterSql, orderBySql, type Ordering, resolveOrdering, viewHash } from './keyset.js';
import { toCell } from './pg-text.js';
import { castTypeFor, Params, qualifiedName, quoteIdent } from './sql.js';
import type { Bindable } from './values.js';

/** A statement ready for node-postgres: text plus bound values. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** Alias of the browsed table in every statement. */
export const T = 't';

export function columnLookup(table: TCatalogTable): ColumnLookup {
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  return (name, path) => {
    const column = byName.get(name);
    if (!column) throw invalid(path, `unknown column ${JSON.stringify(name)}`);
    return column;
  };
}

/** Columns shown by default: every column the user may see and that is not hidden. */
export function visibleColumns(table: TCatalogTable): TCatalogColumn[] {
  return table.columns.filter((column) => !column.hidden);
}

export function resolveColumns(table: TCatalogTable, requested: readonly string[] | undefined): TCatalogColumn[] {
  if (!requested || requested.length === 0) return visibleColumns(table);
  const lookup = columnLookup(table);
  const seen = new Set<string>();
  const out: TCatalogColumn[] = [];
  requested.forEach((name, index) => {
    const column = lookup(name, `columns.${index}`);
    if (seen.has(column.name)) return;
    seen.add(column.name);
    out.push(column);
  });
  return out;
}

/** The resolved, validated shape of a view: everything statements need besides cursor and limit. */
export interface ViewPlan {
  table: TCatalogTable;
  from: string;
  lookup: ColumnLookup;
  view: Pick<TTableView, 'schema' | 'table' | 'filter' | 'search'> & { sort: TTableView['sort'] };
  /** The columns the caller gets, in order. */
  columns: TCatalogColumn[];
  ordering: Ordering;
  hash: string;
}

export function planView(table: TCatalogTable, view: ViewPlan['view'] & { columns?: string[] | undefined }): ViewPlan {
  const lookup = columnLookup(table);
  const columns = resolveColumns(table, view.columns);
  const ordering = resolveOrdering(table, view.sort, lookup, T);
  const plan: ViewPlan = {
    table,
    from: qualifiedName(table.schema, table.name),
    lookup,
    view: { schema: view.schema, table: view.table, filter: view.filter, sort: view.sort, search: view.search },
    columns,
    ordering,
    hash: viewHash(
      view,
      ordering.keys,
      columns.map((column) => column.name),
    ),
  };
  // Validate filter and search once up front, so errors surface before any statement runs.
  whereParts(plan, new Params());
  return plan;
}

/** Filter and quick-search conditions of the view (search covers the view's columns). */
export function whereParts(plan: ViewPlan, params: Params): string[] {
  const ctx: FilterContext = { lookup: plan.lookup, params, alias: T };
  const parts: string[] = [];
  const filter = compileFilter(ctx, plan.view.filter);
  if (filter) parts.push(filter);
  const search = compileSearch(ctx, plan.columns, plan.view.search);
  if (search) parts.push(search);
  return parts;
}

function whereClause(parts: readonly string[]): string {
  return parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
}

/** A foreign-key column whose label is fetched with the page. */
export interface LabelSpec {
  column: TCatalogColumn;
  ref: NonNullable<TCatalogColumn['foreignKey']>;
}

/** How a positional result row maps back to a TRow. */
export interface RowLayout {
  /** Selected columns, in position (`c0`, `c1`, …); `null` marks the ctid pseudo-column. */
  selected: (TCatalogColumn | null)[];
  /** Names returned in `values`, in order. */
  returned: string[];
  /** Primary key names (empty: the row has no key). */
  keyColumns: string[];
  /** Labels follow the selected columns, in this order. */
  labels: LabelSpec[];
}

function indexOfColumn(layout: RowLayout, name: string): number {
  return layout.selected.findIndex((column) => column?.name === name);
}

export function toRow(layout: RowLayout, raw: readonly (string | null)[]): TRow {
  const byName = new Map<string, unknown>();
  layout.selected.forEach((column, index) => {
    if (column) byName.set(column.name, toCell(column, raw[index] ?? null));
  });
  const values: Record<string, unknown> = {};
  for (const name of layout.returned) values[name] = byName.get(name) ?? null;
  let key: Record<string, unknown> | null = null;
  if (layout.keyColumns.length > 0) {
    key = {};
    for (const name of layout.keyColumns) key[name] = byName.get(name) ?? null;
  }
  const labels: Record<string, string | null> = {};
  layout.labels.forEach((label, index) => {
    labels[label.column.name] = raw[layout.selected.length + index] ?? null;
  });
  return { key, values, labels };
}

function layoutFor(
  table: TCatalogTable,
  returned: readonly TCatalogColumn[],
  extra: readonly (TCatalogColumn | null)[],
  labels: LabelSpec[],
): RowLayout {
  const selected: (TCatalogColumn | null)[] = [];
  const add = (column: TCatalogColumn | null) => {
    if (column === null) {
      if (!selected.includes(null)) selected.push(null);
      return;
    }
    if (!selected.some((existing) => existing?.name === column.name)) selected.push(column);
  };
  returned.forEach(add);
  const keyColumns = table.primaryKey.filter((name) => table.columns.some((column) => column.name === name));
  for (const name of keyColumns) add(table.columns.find((column) => column.name === name) ?? null);
  extra.forEach(add);
  return { selected, returned: returned.map((column) => column.name), keyColumns, labels };
}

function selectList(layout: RowLayout, alias: string): string {
  return layout.selected
    .map((column, index) => `${column ? `${alias}.${quoteIdent(column.name)}` : `${alias}.ctid`} AS c${index}`)
    .join(', ');
}

/** `LEFT JOIN LATERAL` per label over an inner result aliased `source`: one statement, no N+1. */
function labelSql(layout: RowLayout, source: string): { select: string; joins: string } {
  const select = layout.labels.map((_, index) => `, l${index}.label`).join('');
  const joins = layout.labels
    .map((label, index) => {
      const position = indexOfColumn(layout, label.column.name);
      return (
        ` LEFT JOIN LATERAL (SELECT r.${quoteIdent(label.ref.labelColumn)}::text AS label` +
        ` FROM ${qualifiedName(label.ref.schema, label.ref.table)} AS r` +
        ` WHERE r.${quoteIdent(label.ref.column)} = ${source}.c${position} LIMIT 1) AS l${index} ON true`
      );
    })
    .join('');
  return { select, joins };
}

export interface PageStatement extends Statement {
  layout: RowLayout;
  /** Positions of the ordering keys in the selected columns (cursor values). */
  keyPositions: number[];
}

/** One page: WHERE filter AND search AND after-cursor, ORDER BY keys, LIMIT limit+1, labels joined on top. */
export function pageStatement(
  plan: ViewPlan,
  options: { after: (string | null)[] | null; limit: number; labels: LabelSpec[] },
): PageStatement {
  const params = new Params();
  const layout = layoutFor(
    plan.table,
    plan.columns,
    [...plan.ordering.keys.map((key) => key.column), ...options.labels.map((label) => label.column)],
    options.labels,
  );
  const keyPositions = plan.ordering.keys.map((key) =>
    key.column ? indexOfColumn(layout, key.column.name) : layout.selected.indexOf(null),
  );
  const where = whereParts(plan, params);
  if (options.after) where.push(afterSql(plan.ordering.keys, options.after, params));
  const limit = params.typed(String(options.limit + 1), 'integer');
  const order = orderBySql(plan.ordering.keys);
  const inner = `SELECT ${selectList(layout, T)} FROM ${plan.from} AS ${T}${whereClause(where)} ORDER BY ${order} LIMIT ${limit}`;
  if (layout.labels.length === 0) return { text: inner, values: params.values, layout, keyPositions };
  const { select, joins } = labelSql(layout, 'p');
  const outerOrder = orderBySql(
    plan.ordering.keys.map((key, index) => ({ expr: `p.c${keyPositions[index]}`, direction: key.direction })),
  );
  const text = `SELECT p.*${select} FROM (${inner}) AS p${joins} ORDER BY ${outerOrder}`;
  return { text, values: params.values, layout, keyPositions };
}

export function countStatement(plan: ViewPlan): Statement {
  const params = new Params();
  const where = whereParts(plan, params);
  return { text: `SELECT count(*) FROM ${plan.from} AS ${T}${whereClause(where)}`, values: params.values };
}

/** The planner's row estimate for the filtered view. */
export function explainStatement(plan: ViewPlan): Statement {
  const params = new Params();
  const where = whereParts(plan, params);
  return {
    text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${plan.from} AS ${T}${whereClause(where)}`,
    values: params.values,
  };
}

export function hasConditions(plan: ViewPlan): boolean {
  return whereParts(plan, new Params()).length > 0;
}

/** Every matching row, in the view's order, only the view's columns (for CSV export). */
export function exportStatement(plan: ViewPlan): Statement {
  const params = new Params();
  const where = whereParts(plan, params);
  const select = plan.columns.map((column) => `${T}.${quoteIdent(column.name)}`).join(', ');
  const order = plan.ordering.keys.length > 0 ? ` ORDER BY ${orderBySql(plan.ordering.keys)}` : '';
  return { text: `SELECT ${select} FROM ${plan.from} AS ${T}${whereClause(where)}${order}`, values: params.values };
}

// ── writes ────────────────────────────────────────────────────────────────────────────────

/** A value already validated for its column (see values.ts). */
export interface ColumnValue {
  column: TCatalogColumn;
  value: Bindable;
}

function keyCondition(key: readonly ColumnValue[], params: Params): string {
  return key
    .map(({ column, value }) => `${T}.${quoteIdent(column.name)} = ${params.typed(value, castTypeFor(column))}`)
    .join(' AND ');
}

/** Expression and cast for "did the value change": json has no equality, compare as jsonb. */
function sameValueSql(column: TCatalogColumn, placeholder: string, alias: string): string {
  const expr = `${alias}.${quoteIdent(column.name)}`;
  return column.kind === 'json'
    ? `${expr}::jsonb IS NOT DISTINCT FROM ${placeholder}`
    : `${expr} IS NOT DISTINCT FROM ${placeholder}`;
}

export interface LockStatement extends Statement {
  layout: RowLayout;
  /** The `expected` columns, in the order their match flags follow the row (after labels). */
  compared: string[];
}

/**
 * Locks one row by primary key and compares what the user saw with what is stored, in SQL
 * (`IS NOT DISTINCT FROM $n::type`, so formatting differences never matter).
 */
export function lockRowStatement(
  table: TCatalogTable,
  key: ColumnValue[],
  expected: ColumnValue[],
  labels: LabelSpec[],
): LockStatement {
  const params = new Params();
  const layout = layoutFor(
    table,
    visibleColumns(table),
    labels.map((label) => label.column),
    labels,
  );
  const matches = expected
    .map(({ column, value }, index) => {
      const placeholder = params.typed(value, column.kind === 'json' ? 'jsonb' : castTypeFor(column));
      return `, ${sameValueSql(column, placeholder, T)} AS m${index}`;
    })
    .join('');
  const from = qualifiedName(table.schema, table.name);
  const inner = `SELECT ${selectList(layout, T)}${matches} FROM ${from} AS ${T} WHERE ${keyCondition(key, params)} FOR UPDATE OF ${T}`;
  const compared = expected.map((item) => item.column.name);
  if (labels.length === 0) return { text: inner, values: params.values, layout, compared };
  // Result: the columns, then the labels, then the match flags (the referenced rows are not locked).
  const { select, joins } = labelSql(layout, 'x');
  const columnsOut = layout.selected.map((_, index) => `x.c${index}`).join(', ');
  const flags = expected.map((_, index) => `, x.m${index}`).join('');
  return {
    text: `SELECT ${columnsOut}${select}${flags} FROM (${inner}) AS x${joins}`,
    values: params.values,
    layout,
    compared,
  };
}

function returningWithLabels(write: string, layout: RowLayout): string {
  if (layout.labels.length === 0) return write;
  const { select, joins } = labelSql(layout, 'w');
  return `WITH w AS (${write}) SELECT w.*${select} FROM w${joins}`;
}

export interface WriteStatement extends Statement {
  layout: RowLayout;
}

export function updateStatement(
  table: TCatalogTable,
  key: ColumnValue[],
  changes: ColumnValue[],
  labels: LabelSpec[],
): WriteStatement {
  const params = new Params();
  const layout = layoutFor(
    table,
    visibleColumns(table),
    labels.map((label) => label.column),
    labels,
  );
  const set = changes
    .map(({ column, value }) => `${quoteIdent(column.name)} = ${params.typed(value, castTypeFor(column))}`)
    .join(', ');
  const from = qualifiedName(table.schema, table.name);
  const write = `UPDATE ${from} AS ${T} SET ${set} WHERE ${keyCondition(key, params)} RETURNING ${selectList(layout, T)}`;
  return { text: returningWithLabels(write, layout), values: params.values, layout };
}

export function insertStatement(table: TCatalogTable, values: ColumnValue[], labels: LabelSpec[]): WriteStatement {
  const params = new Params();
  const layout = layoutFor(
    table,
    visibleColumns(table),
    labels.map((label) => label.column),
    labels,
  );
  const from = qualifiedName(table.schema, table.name);
  const body =
    values.length === 0
      ? 'DEFAULT VALUES'
      : `(${values.map(({ column }) => quoteIdent(column.name)).join(', ')}) VALUES (${values
          .map(({ column, value }) => params.typed(value, castTypeFor(column)))
          .join(', ')})`;
  const write = `INSERT INTO ${from} AS ${T} ${body} RETURNING ${selectList(layout, T)}`;
  return { text: returningWithLabels(write, layout), values: params.values, layout };
}

/** Deletes rows by primary key: `= ANY($1)` for one key column, `IN (SELECT unnest(…))` for several. */
export function deleteStatement(table: TCatalogTable, keyColumns: TCatalogColumn[], keys: Bindable[][]): Statement {
  const params = new Params();
  const from = qualifiedName(table.schema, table.name);
  if (keyColumns.length === 1) {
    const column = keyColumns[0] as TCatalogColumn;
    const list = params.typed(
      keys.map((key) => key[0] ?? null),
      `${castTypeFor(column)}[]`,
    );
    return {
      text: `DELETE FROM ${from} AS ${T} WHERE ${T}.${quoteIdent(column.name)} = ANY(${list})`,
      values: params.values,
    };
  }
  const columns = keyColumns.map((column) => `${T}.${quoteIdent(column.name)}`).join(', ');
  const arrays = keyColumns
    .map((column, position) =>
      params.typed(
        keys.map((key) => key[position] ?? null),
        `${castTypeFor(column)}[]`,
      ),
    )
    .join(', ');
  return {
    text: `DELETE FROM ${from} AS ${T} WHERE (${columns}) IN (SELECT * FROM unnest(${arrays}))`,
    values: params.values,
  };
}

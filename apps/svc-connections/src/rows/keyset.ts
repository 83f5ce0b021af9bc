import { createHash } from 'node:crypto';
import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type { TSortKey, TTableView } from '@elasticdash/contracts/data/rows';
import type { ColumnLookup } from './filter.js';
import { invalid } from './invalid.js';
import { castTypeFor, type Params, quoteIdent, SORTABLE_KINDS } from './sql.js';

/**
 * Keyset pagination.
 *
 * Order: the view's sort keys, then the primary key columns ascending (a unique tie-break, so
 * the order is total and stable). NULLs sort as the greatest value in both directions —
 * `ASC NULLS LAST` and `DESC NULLS FIRST`, which are Postgres's defaults, so plain btree indexes
 * serve both directions.
 *
 * Tables without a primary key: plain tables and materialized views use the row's physical
 * address (`ctid`) as the tie-break; it is unique and Postgres 14+ range-scans it, but moves
 * when a row is updated, so such pages are stable only while the rows are not written (they are
 * read-only in the grid anyway). Views, foreign and partitioned tables without a key have no
 * unique tie-break: they return the first page only (`nextCursor` null).
 */
export interface OrderKey {
  /** SQL expression on the table alias, e.g. `t."ordered_at"` or `t.ctid`. */
  expr: string;
  /** The catalog column (null for ctid). */
  column: TCatalogColumn | null;
  name: string;
  castType: string;
  direction: 'asc' | 'desc';
  nullable: boolean;
}

export interface Ordering {
  keys: OrderKey[];
  /** False when the keys are not unique (no primary key, no ctid): no cursor beyond page one. */
  pageable: boolean;
}

const CTID_TYPES = new Set<TCatalogTable['type']>(['table', 'materialized_view']);

export function resolveOrdering(
  table: TCatalogTable,
  sort: readonly TSortKey[],
  lookup: ColumnLookup,
  alias: string,
): Ordering {
  const keys: OrderKey[] = [];
  const seen = new Set<string>();
  sort.forEach((key, index) => {
    const column = lookup(key.column, `sort.${index}.column`);
    if (!SORTABLE_KINDS.has(column.kind)) {
      throw invalid(`sort.${index}.column`, `cannot sort by ${column.name} (${column.kind})`);
    }
    if (seen.has(column.name)) return;
    seen.add(column.name);
    keys.push({
      expr: `${alias}.${quoteIdent(column.name)}`,
      column,
      name: column.name,
      castType: castTypeFor(column),
      direction: key.direction,
      nullable: column.nullable && column.primaryKeyPosition === null,
    });
  });
  if (table.primaryKey.length > 0) {
    for (const name of table.primaryKey) {
      if (seen.has(name)) continue;
      const column = table.columns.find((candidate) => candidate.name === name);
      // The catalog keeps key columns visible; a table whose key is hidden cannot page.
      if (!column) return { keys, pageable: false };
      seen.add(name);
      keys.push({
        expr: `${alias}.${quoteIdent(name)}`,
        column,
        name,
        castType: castTypeFor(column),
        direction: 'asc',
        nullable: false,
      });
    }
    return { keys, pageable: true };
  }
  if (CTID_TYPES.has(table.type)) {
    keys.push({
      expr: `${alias}.ctid`,
      column: null,
      name: 'ctid',
      castType: 'tid',
      direction: 'asc',
      nullable: false,
    });
    return { keys, pageable: true };
  }
  return { keys, pageable: false };
}

export function orderBySql(keys: readonly Pick<OrderKey, 'expr' | 'direction'>[]): string {
  return keys.map((key) => `${key.expr} ${key.direction === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS FIRST'}`).join(', ');
}

/**
 * Rows strictly after the cursor row in the ordering, with NULL as the greatest value.
 * Same direction and no nullable key: a row comparison (index-friendly). Otherwise the
 * expanded form `k1 ⋗ v1 OR (k1 ≐ v1 AND k2 ⋗ v2) OR …`, specialised for NULL cursor values,
 * plus a redundant bound on the first key so an index on it can start at the cursor.
 */
export function afterSql(keys: readonly OrderKey[], values: readonly (string | null)[], params: Params): string {
  const placeholders = keys.map((key, index) => {
    const value = values[index] ?? null;
    return value === null ? null : params.typed(value, key.castType);
  });
  const sameDirection = keys.every((key) => key.direction === keys[0]?.direction);
  if (sameDirection && keys.every((key) => !key.nullable) && placeholders.every((p) => p !== null)) {
    const operator = keys[0]?.direction === 'desc' ? '<' : '>';
    if (keys.length === 1) return `${keys[0]?.expr} ${operator} ${placeholders[0]}`;
    return `(${keys.map((key) => key.expr).join(', ')}) ${operator} (${placeholders.join(', ')})`;
  }
  const equal = (key: OrderKey, placeholder: string | null) =>
    placeholder === null ? `${key.expr} IS NULL` : `${key.expr} = ${placeholder}`;
  const after = (key: OrderKey, placeholder: string | null): string | null => {
    if (key.direction === 'asc') {
      if (placeholder === null) return null; // NULL is last: nothing after it on this key
      return key.nullable ? `(${key.expr} > ${placeholder} OR ${key.expr} IS NULL)` : `${key.expr} > ${placeholder}`;
    }
    if (placeholder === null) return `${key.expr} IS NOT NULL`; // NULLs first, then the values
    return `${key.expr} < ${placeholder}`;
  };
  const terms: string[] = [];
  keys.forEach((key, index) => {
    const tail = after(key, placeholders[index] ?? null);
    if (tail === null) return;
    const head = keys.slice(0, index).map((previous, at) => equal(previous, placeholders[at] ?? null));
    terms.push(head.length === 0 ? tail : `(${[...head, tail].join(' AND ')})`);
  });
  if (terms.length === 0) return 'FALSE';
  const chain = terms.length === 1 ? (terms[0] as string) : `(${terms.join(' OR ')})`;
  const first = keys[0];
  const firstValue = placeholders[0] ?? null;
  let bound: string | null = null;
  if (first && firstValue !== null && first.direction === 'desc') bound = `${first.expr} <= ${firstValue}`;
  if (first && firstValue !== null && first.direction === 'asc' && !first.nullable)
    bound = `${first.expr} >= ${firstValue}`;
  if (first && firstValue === null && first.direction === 'asc') bound = `${first.expr} IS NULL`;
  return bound ? `(${bound} AND ${chain})` : chain;
}

/**
 * Identifies a view's ordering and row set, so a cursor from another view is refused. The
 * column choice only matters with a quick search (it searches the view's columns).
 */
export function viewHash(
  view: Pick<TTableView, 'schema' | 'table' | 'filter' | 'sort' | 'search'>,
  keys: readonly OrderKey[],
  searchedColumns: readonly string[] = [],
): string {
  const search = view.search?.trim() ?? '';
  const canonical = JSON.stringify([
    view.schema,
    view.table,
    view.filter ?? null,
    view.sort.map((key) => [key.column, key.direction]),
    search,
    search ? searchedColumns : [],
    keys.map((key) => [key.name, key.direction]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

interface CursorPayload {
  v: string;
  k: (string | null)[];
}

/** base64url JSON of the view hash and the last row's key values (Postgres text). */
export function encodeCursor(hash: string, values: readonly (string | null)[]): string {
  const payload: CursorPayload = { v: hash, k: [...values] };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, hash: string, keyCount: number): (string | null)[] {
  let payload: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('after', 'this cursor is not valid; start again from the first page');
  }
  const candidate = payload as Partial<CursorPayload> | null;
  const wellFormed =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.v === 'string' &&
    Array.isArray(candidate.k) &&
    candidate.k.every(
      (value) => value === null || (typeof value === 'string' && value.length <= 10_000 && !value.includes('\0')),
    );
  if (!wellFormed) throw invalid('after', 'this cursor is not valid; start again from the first page');
  if (candidate.v !== hash || candidate.k?.length !== keyCount) {
    throw invalid(
      'after',
      'this cursor belongs to another view (filter, sort or table changed); start from the first page',
    );
  }
  return candidate.k as (string | null)[];
}

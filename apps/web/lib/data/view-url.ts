import { z } from 'zod';
import {
  ZFilterGroup,
  ZSortKey,
  type TFilterCondition,
  type TFilterGroup,
  type TSortKey,
  type TTableView,
} from '@elasticdash/contracts/data/rows';

/**
 * A grid view (filters, sort, quick search, visible columns) lives in the URL as `?v=`:
 * base64url of a compact JSON, so a link reproduces exactly what was on screen.
 *
 *   { "f": { "and": [["name", "contains", "ann"], { "or": [["age", "gt", "30"], …] }] },
 *     "s": [["created_at", "d"], ["id", "a"]], "q": "search", "c": ["id", "name"] }
 */
export interface TGridView {
  filter?: TFilterGroup | undefined;
  sort: TSortKey[];
  search?: string | undefined;
  /** Visible columns in order; undefined = every column in the stored/default layout. */
  columns?: string[] | undefined;
}

export const VIEW_PARAM = 'v';

export const EMPTY_VIEW: TGridView = { sort: [] };

type TCompactCondition = [string, string] | [string, string, unknown] | [string, string, unknown, string];
type TCompactGroup = { and: TCompactNode[] } | { or: TCompactNode[] };
type TCompactNode = TCompactCondition | TCompactGroup;

function compactNode(node: TFilterCondition | TFilterGroup): TCompactNode {
  if (node.type === 'group') {
    const children = node.children.map(compactNode);
    return node.combinator === 'or' ? { or: children } : { and: children };
  }
  if (node.unit !== undefined) return [node.column, node.op, node.value ?? null, node.unit];
  if (node.value !== undefined) return [node.column, node.op, node.value];
  return [node.column, node.op];
}

function expandNode(node: unknown, depth: number): TFilterCondition | TFilterGroup {
  if (depth > 8) throw new Error('too deep');
  if (Array.isArray(node)) {
    const [column, op, value, unit] = node as unknown[];
    const condition: Record<string, unknown> = { type: 'condition', column, op };
    if (node.length >= 3) condition.value = value;
    if (node.length >= 4) condition.unit = unit;
    return condition as unknown as TFilterCondition;
  }
  if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const combinator = Array.isArray(record.or) ? 'or' : 'and';
    const children = (combinator === 'or' ? record.or : record.and) as unknown;
    if (!Array.isArray(children)) throw new Error('bad group');
    return { type: 'group', combinator, children: children.map((child) => expandNode(child, depth + 1)) };
  }
  throw new Error('bad node');
}

export function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error('not base64url');
  const padded = encoded.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (encoded.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function isEmptyView(view: TGridView): boolean {
  return !view.filter && view.sort.length === 0 && !view.search && !view.columns;
}

/** `?v=` value for a view, or null for the default view (a clean URL). */
export function encodeView(view: TGridView): string | null {
  if (isEmptyView(view)) return null;
  const compact: Record<string, unknown> = {};
  if (view.filter && view.filter.children.length > 0) compact.f = compactNode(view.filter);
  if (view.sort.length > 0) compact.s = view.sort.map((key) => [key.column, key.direction === 'desc' ? 'd' : 'a']);
  if (view.search) compact.q = view.search;
  if (view.columns) compact.c = view.columns;
  if (Object.keys(compact).length === 0) return null;
  return base64UrlEncode(JSON.stringify(compact));
}

const ZCompactView = z.object({
  f: z.unknown().optional(),
  s: z
    .array(z.tuple([z.string(), z.enum(['a', 'd'])]))
    .max(8)
    .optional(),
  q: z.string().max(200).optional(),
  c: z.array(z.string().min(1).max(63)).max(1600).optional(),
});

/** Reads `?v=`; a missing, damaged or foreign value gives the default view (`valid: false` when damaged). */
export function decodeView(encoded: string | null | undefined): { view: TGridView; valid: boolean } {
  if (!encoded) return { view: EMPTY_VIEW, valid: true };
  try {
    const compact = ZCompactView.parse(JSON.parse(base64UrlDecode(encoded)));
    const view: TGridView = { sort: [] };
    if (compact.f !== undefined) {
      const filter = ZFilterGroup.parse(expandNode(compact.f, 0));
      if (filter.children.length > 0) view.filter = filter;
    }
    if (compact.s) {
      view.sort = compact.s.map(([column, direction]) =>
        ZSortKey.parse({ column, direction: direction === 'd' ? 'desc' : 'asc' }),
      );
    }
    if (compact.q) view.search = compact.q;
    if (compact.c) view.columns = compact.c;
    return { view, valid: true };
  } catch {
    return { view: EMPTY_VIEW, valid: false };
  }
}

/** The view as the rows/export API takes it. */
export function tableViewOf(schema: string, table: string, view: TGridView, columns?: string[]): TTableView {
  const tableView: TTableView = { schema, table, sort: view.sort };
  if (view.filter) tableView.filter = view.filter;
  if (view.search) tableView.search = view.search;
  if (columns) tableView.columns = columns;
  return tableView;
}

/** `?view=` of the export URL: base64url JSON of a ZTableView. */
export function exportViewParam(view: TTableView): string {
  return base64UrlEncode(JSON.stringify(view));
}

/**
 * What the rows query asks for. Every column is fetched (hiding or reordering is instant, the row
 * form has every value), except while searching: the quick search looks only at the columns on
 * screen, so those are sent (in table order: reordering does not refetch).
 */
export function queryViewOf(view: TGridView, visibleInTableOrder: readonly string[]): TGridView {
  const query: TGridView = { sort: view.sort };
  if (view.filter) query.filter = view.filter;
  if (view.search) {
    query.search = view.search;
    query.columns = [...visibleInTableOrder];
  }
  return query;
}

/** Stable identity of what the server is asked for (the query cache key). */
export function viewKey(view: TGridView): string {
  return JSON.stringify({ f: view.filter ?? null, s: view.sort, q: view.search ?? '', c: view.columns ?? null });
}

/**
 * Keeps what the table still has: a shared link to a table whose columns changed drops the
 * unknown columns from the filter, the sort (and unsortable ones) and the column list.
 */
export function sanitizeView(
  view: TGridView,
  columns: readonly { name: string; sortable: boolean }[],
  filterKnown: (filter: TFilterGroup | undefined, known: ReadonlySet<string>) => TFilterGroup | undefined,
): TGridView {
  const known = new Set(columns.map((column) => column.name));
  const sortable = new Set(columns.filter((column) => column.sortable).map((column) => column.name));
  const next: TGridView = { sort: view.sort.filter((key) => sortable.has(key.column)) };
  const filter = filterKnown(view.filter, known);
  if (filter) next.filter = filter;
  if (view.search) next.search = view.search;
  if (view.columns) {
    const listed = view.columns.filter((name) => known.has(name));
    if (listed.length > 0) next.columns = listed;
  }
  return next;
}

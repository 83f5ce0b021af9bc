import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';
import {
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  type TFilterCondition,
  type TFilterGroup,
  type TFilterOperator,
} from '@elasticdash/contracts/data/rows';
import { invalid, show } from './invalid.js';
import { castTypeFor, escapeLike, type Params, quoteIdent, TEXT_SEARCHABLE_KINDS } from './sql.js';
import { type Bindable, coerceValue } from './values.js';

/** Finds a column of the table by exact name; unknown → 400 naming the path. */
export type ColumnLookup = (name: string, path: string) => TCatalogColumn;

const COMPARISONS: TFilterOperator[] = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in'];
const EMPTINESS: TFilterOperator[] = ['is_empty', 'is_not_empty'];
const PATTERNS: TFilterOperator[] = ['contains', 'not_contains', 'starts_with', 'ends_with'];

/** Which operators make sense for which kind of column. */
export const OPERATORS_BY_KIND: Record<TColumnKind, ReadonlySet<TFilterOperator>> = {
  integer: new Set([...COMPARISONS, ...EMPTINESS]),
  bigint: new Set([...COMPARISONS, ...EMPTINESS]),
  numeric: new Set([...COMPARISONS, ...EMPTINESS]),
  float: new Set([...COMPARISONS, ...EMPTINESS]),
  text: new Set([...COMPARISONS, ...EMPTINESS, ...PATTERNS]),
  uuid: new Set(['eq', 'neq', 'in', 'not_in', ...EMPTINESS, ...PATTERNS]),
  enum: new Set([...COMPARISONS, ...EMPTINESS, ...PATTERNS]),
  boolean: new Set(['eq', 'neq', ...EMPTINESS]),
  date: new Set([...COMPARISONS, ...EMPTINESS, 'in_last']),
  timestamp: new Set([...COMPARISONS, ...EMPTINESS, 'in_last']),
  timestamptz: new Set([...COMPARISONS, ...EMPTINESS, 'in_last']),
  time: new Set([...COMPARISONS, ...EMPTINESS]),
  interval: new Set([...COMPARISONS, ...EMPTINESS]),
  json: new Set(['eq', 'neq', 'contains', 'not_contains', ...EMPTINESS]),
  array: new Set(['eq', 'neq', 'contains', 'not_contains', ...EMPTINESS]),
  bytea: new Set(['eq', 'neq', ...EMPTINESS]),
  other: new Set(['eq', 'neq', ...EMPTINESS, ...PATTERNS]),
};

/** Fixed SQL for each `in_last` unit: the unit never comes from the request as text. */
const UNIT_INTERVAL = {
  minute: "interval '1 minute'",
  hour: "interval '1 hour'",
  day: "interval '1 day'",
  week: "interval '1 week'",
  month: "interval '1 month'",
  year: "interval '1 year'",
} as const;

const MAX_IN_LIST = 1000;

export interface FilterContext {
  lookup: ColumnLookup;
  params: Params;
  /** Alias of the table in the statement (`t`). */
  alias: string;
}

function columnSql(ctx: FilterContext, column: TCatalogColumn): string {
  return `${ctx.alias}.${quoteIdent(column.name)}`;
}

/**
 * The WHERE fragment of a filter tree, or null when it filters nothing (no or empty groups).
 * Every column is checked against the catalog, every value validated for its column's kind and
 * bound as a parameter with an explicit cast.
 */
export function compileFilter(ctx: FilterContext, filter: TFilterGroup | undefined, path = 'filter'): string | null {
  if (!filter) return null;
  const counted = countConditions(filter, path, 1);
  if (counted > MAX_FILTER_CONDITIONS) {
    throw invalid(path, `a filter may have at most ${MAX_FILTER_CONDITIONS} conditions (this one has ${counted})`);
  }
  return compileGroup(ctx, filter, path);
}

function countConditions(group: TFilterGroup, path: string, depth: number): number {
  if (depth > MAX_FILTER_DEPTH) throw invalid(path, `filter groups may nest at most ${MAX_FILTER_DEPTH} levels deep`);
  let total = 0;
  group.children.forEach((child, index) => {
    total += child.type === 'group' ? countConditions(child, `${path}.children.${index}`, depth + 1) : 1;
  });
  return total;
}

function compileGroup(ctx: FilterContext, group: TFilterGroup, path: string): string | null {
  const parts: string[] = [];
  group.children.forEach((child, index) => {
    const childPath = `${path}.children.${index}`;
    const sql = child.type === 'group' ? compileGroup(ctx, child, childPath) : compileCondition(ctx, child, childPath);
    if (sql !== null) parts.push(sql);
  });
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0] as string;
  return `(${parts.join(group.combinator === 'and' ? ' AND ' : ' OR ')})`;
}

/** Column expression and cast type for equality: json has no `=`, so it compares as jsonb. */
function comparable(ctx: FilterContext, column: TCatalogColumn): { expr: string; type: string } {
  const expr = columnSql(ctx, column);
  if (column.kind === 'json') return { expr: `${expr}::jsonb`, type: 'jsonb' };
  return { expr, type: castTypeFor(column) };
}

function textExpr(ctx: FilterContext, column: TCatalogColumn): string {
  const expr = columnSql(ctx, column);
  return column.kind === 'text' ? expr : `${expr}::text`;
}

function requireValue(condition: TFilterCondition, path: string): unknown {
  if (condition.value === undefined || condition.value === null) {
    throw invalid(`${path}.value`, `${condition.op} needs a value`);
  }
  return condition.value;
}

function patternText(condition: TFilterCondition, path: string): string {
  const value = requireValue(condition, path);
  if (typeof value !== 'string' && typeof value !== 'number')
    throw invalid(`${path}.value`, `${show(value)} is not text`);
  const text = String(value);
  if (text.includes('\0')) throw invalid(`${path}.value`, 'text cannot contain the NUL character');
  return escapeLike(text);
}

export function compileCondition(ctx: FilterContext, condition: TFilterCondition, path: string): string {
  const column = ctx.lookup(condition.column, `${path}.column`);
  const allowed = OPERATORS_BY_KIND[column.kind] ?? OPERATORS_BY_KIND.other;
  if (!allowed.has(condition.op)) {
    throw invalid(`${path}.op`, `${condition.op} cannot be used on ${column.name} (${column.kind})`);
  }
  const valuePath = `${path}.value`;
  const col = columnSql(ctx, column);
  const bind = (value: unknown, at = valuePath): string => {
    const { type } = comparable(ctx, column);
    return ctx.params.typed(coerceValue(column, value, at), type);
  };
  switch (condition.op) {
    case 'eq':
    case 'neq': {
      const { expr } = comparable(ctx, column);
      if (condition.value === null || condition.value === undefined) {
        return condition.op === 'eq' ? `${col} IS NULL` : `${col} IS NOT NULL`;
      }
      return condition.op === 'eq'
        ? `${expr} = ${bind(condition.value)}`
        : `${expr} IS DISTINCT FROM ${bind(condition.value)}`;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const operator = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[condition.op];
      return `${col} ${operator} ${bind(requireValue(condition, path))}`;
    }
    case 'between': {
      const value = condition.value;
      if (!Array.isArray(value) || value.length !== 2) {
        throw invalid(valuePath, 'between needs two values: [from, to]');
      }
      const [from, to] = value as [unknown, unknown];
      const parts: string[] = [];
      if (from !== null && from !== undefined) parts.push(`${col} >= ${bind(from, `${valuePath}.0`)}`);
      if (to !== null && to !== undefined) parts.push(`${col} <= ${bind(to, `${valuePath}.1`)}`);
      if (parts.length === 0) throw invalid(valuePath, 'between needs at least one of from and to');
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
    }
    case 'in':
    case 'not_in': {
      const value = condition.value;
      if (!Array.isArray(value) || value.length === 0)
        throw invalid(valuePath, `${condition.op} needs a non-empty list`);
      if (value.length > MAX_IN_LIST) throw invalid(valuePath, `at most ${MAX_IN_LIST} values`);
      const { expr, type } = comparable(ctx, column);
      const withNull = value.some((item) => item === null || item === undefined);
      const items: Bindable[] = value
        .map((item: unknown, index) =>
          item === null || item === undefined ? null : coerceValue(column, item, `${valuePath}.${index}`),
        )
        .filter((item) => item !== null);
      const list = items.length > 0 ? ctx.params.typed(items, `${type}[]`) : null;
      if (condition.op === 'in') {
        if (list === null) return `${col} IS NULL`;
        return withNull ? `(${expr} = ANY(${list}) OR ${col} IS NULL)` : `${expr} = ANY(${list})`;
      }
      if (list === null) return `${col} IS NOT NULL`;
      return withNull
        ? `(${col} IS NOT NULL AND ${expr} <> ALL(${list}))`
        : `(${col} IS NULL OR ${expr} <> ALL(${list}))`;
    }
    case 'contains':
    case 'not_contains': {
      if (column.kind === 'array') {
        const raw = requireValue(condition, path);
        const list = ctx.params.typed(
          coerceValue(column, Array.isArray(raw) ? raw : [raw], valuePath),
          castTypeFor(column),
        );
        return condition.op === 'contains' ? `${col} @> ${list}` : `(${col} IS NULL OR NOT (${col} @> ${list}))`;
      }
      const pattern = ctx.params.typed(`%${patternText(condition, path)}%`, 'text');
      const expr = textExpr(ctx, column);
      return condition.op === 'contains'
        ? `${expr} ILIKE ${pattern}`
        : `(${col} IS NULL OR ${expr} NOT ILIKE ${pattern})`;
    }
    case 'starts_with':
      return `${textExpr(ctx, column)} ILIKE ${ctx.params.typed(`${patternText(condition, path)}%`, 'text')}`;
    case 'ends_with':
      return `${textExpr(ctx, column)} ILIKE ${ctx.params.typed(`%${patternText(condition, path)}`, 'text')}`;
    case 'is_empty':
      if (column.kind === 'text') return `(${col} IS NULL OR ${col} = '')`;
      if (column.kind === 'array') return `(${col} IS NULL OR cardinality(${col}) = 0)`;
      return `${col} IS NULL`;
    case 'is_not_empty':
      if (column.kind === 'text') return `(${col} IS NOT NULL AND ${col} <> '')`;
      if (column.kind === 'array') return `cardinality(${col}) > 0`;
      return `${col} IS NOT NULL`;
    case 'in_last': {
      const raw = requireValue(condition, path);
      const amount = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0 || amount > 1_000_000) {
        throw invalid(valuePath, `${show(raw)} is not a whole number of units (0 to 1000000)`);
      }
      const unit = UNIT_INTERVAL[condition.unit ?? 'day'];
      const span = `${ctx.params.typed(String(amount), 'integer')} * ${unit}`;
      if (column.kind === 'timestamptz') return `(${col} >= now() - ${span} AND ${col} <= now())`;
      if (column.kind === 'timestamp') return `(${col} >= localtimestamp - ${span} AND ${col} <= localtimestamp)`;
      return `(${col} >= (localtimestamp - ${span})::date AND ${col} <= current_date)`;
    }
    default:
      throw invalid(`${path}.op`, `unknown operator ${show(condition.op)}`);
  }
}

/** Quick search: case-insensitive substring over the view's text-like columns (uuid/enum as text). */
export function compileSearch(
  ctx: FilterContext,
  columns: readonly TCatalogColumn[],
  search: string | undefined,
): string | null {
  const term = search?.trim();
  if (!term) return null;
  if (term.includes('\0')) throw invalid('search', 'text cannot contain the NUL character');
  const searchable = columns.filter((column) => TEXT_SEARCHABLE_KINDS.has(column.kind));
  if (searchable.length === 0) return 'FALSE';
  const pattern = ctx.params.typed(`%${escapeLike(term)}%`, 'text');
  const parts = searchable.map((column) => `${textExpr(ctx, column)} ILIKE ${pattern}`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

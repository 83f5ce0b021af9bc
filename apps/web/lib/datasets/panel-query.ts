import type { TPanelType } from '@elasticdash/contracts/datasets/dashboard';
import type { TColumnType, TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import {
  ZPanelQuery,
  type TDatasetFilter,
  type TPanelQuery,
  type TPanelQueryResult,
} from '@elasticdash/contracts/datasets/query';

/** JSON with object keys sorted (arrays keep their order) and undefined dropped: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, sortKeys(entry)]),
    );
  }
  return value;
}

/**
 * The query a panel sends: its own query with the defaults filled in, the dashboard-wide
 * filters first and the panel's after, duplicates dropped, a column on `count` dropped (it
 * means the same). Two panels that ask the same thing produce the same value (and query key).
 * null when the query is not valid (the panel then shows what to fix instead of a request).
 */
export function effectiveQuery(query: TPanelQuery, dashboardFilters: readonly TDatasetFilter[]): TPanelQuery | null {
  const parsed = ZPanelQuery.safeParse({
    ...query,
    filters: [...dashboardFilters, ...query.filters],
  });
  if (!parsed.success) return null;
  const seen = new Set<string>();
  const filters = parsed.data.filters.filter((filter) => {
    const key = canonicalJson(filter);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const y = parsed.data.y.agg === 'count' ? { agg: 'count' as const } : parsed.data.y;
  return { ...parsed.data, y, filters };
}

export const NUMERIC_TYPES: readonly TColumnType[] = ['integer', 'numeric'];
export const TIME_TYPES: readonly TColumnType[] = ['date', 'timestamp'];

export function isNumeric(column: TDatasetColumn | undefined): boolean {
  return column !== undefined && NUMERIC_TYPES.includes(column.type);
}

export function isTime(column: TDatasetColumn | undefined): boolean {
  return column !== undefined && TIME_TYPES.includes(column.type);
}

// ── chart data ───────────────────────────────────────────────────────────────────────────

export interface TSeries {
  name: string;
  values: (number | null)[];
}

export interface TChartData {
  /** x values in display order (raw: ISO datetimes for time, strings for categories). */
  xs: string[];
  series: TSeries[];
}

function xKey(x: TPanelQueryResult['points'][number]['x']): string {
  return x === null ? '(empty)' : String(x);
}

/**
 * Query points → one row of x values and one series per group (a single series named after the
 * measure without a group by). Time axes are sorted by time; categories keep the server's order
 * (largest first). Missing (x, group) pairs are null, so lines break instead of lying.
 */
export function toChartData(
  points: TPanelQueryResult['points'],
  options: { time: boolean; measure: string },
): TChartData {
  const xs: string[] = [];
  const seenX = new Set<string>();
  const groups: string[] = [];
  const seenGroup = new Set<string>();
  const cells = new Map<string, number | null>();
  for (const point of points) {
    const x = xKey(point.x);
    const group = point.group ?? options.measure;
    if (!seenX.has(x)) {
      seenX.add(x);
      xs.push(x);
    }
    if (!seenGroup.has(group)) {
      seenGroup.add(group);
      groups.push(group);
    }
    cells.set(`${group}\u0000${x}`, point.value);
  }
  if (options.time) xs.sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    xs,
    series: groups.map((name) => ({ name, values: xs.map((x) => cells.get(`${name}\u0000${x}`) ?? null) })),
  };
}

/** Label of a time bucket in the grain it was grouped by (UTC, as the server buckets). */
export function formatBucket(iso: string, grain: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const y = date.getUTCFullYear();
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  switch (grain) {
    case 'year':
      return String(y);
    case 'quarter':
      return `${y} Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
    case 'month':
      return `${y}-${m}`;
    case 'hour':
      return `${y}-${m}-${d} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
    default:
      return `${y}-${m}-${d}`;
  }
}

export const PANEL_TYPE_LABELS: Record<TPanelType, string> = {
  line: 'Line',
  bar: 'Bar',
  area: 'Area',
  pie: 'Pie',
  number: 'Number',
  table: 'Table',
};

export const AGG_LABELS = { count: 'Count', sum: 'Sum', avg: 'Average', min: 'Minimum', max: 'Maximum' } as const;

/** "Count", "Sum of amount": how a measure is named in legends and tables. */
export function measureLabel(query: Pick<TPanelQuery, 'y'>, columns: readonly TDatasetColumn[]): string {
  if (query.y.agg === 'count') return 'Count';
  const column = columns.find((candidate) => candidate.key === query.y.column);
  return `${AGG_LABELS[query.y.agg]} of ${column?.name ?? query.y.column ?? '?'}`;
}

export const FILTER_OP_LABELS: Record<TDatasetFilter['op'], string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  contains: 'contains',
  in: 'is one of',
  between: 'between',
  is_null: 'is empty',
  not_null: 'is not empty',
};

/**
 * A filter value as typed (text) → the value the API takes for the column's type and the op:
 * numbers for numeric columns, true/false for booleans, a list for `in` (comma separated), two
 * for `between`, nothing for the null checks. Returns an error message when it does not fit.
 */
export function parseFilterValue(
  op: TDatasetFilter['op'],
  text: string,
  type: TColumnType,
): { ok: true; value: TDatasetFilter['value'] } | { ok: false; message: string } {
  if (op === 'is_null' || op === 'not_null') return { ok: true, value: undefined };
  const one = (raw: string): { ok: true; value: string | number | boolean } | { ok: false; message: string } => {
    const trimmed = raw.trim();
    if (type === 'integer' || type === 'numeric') {
      const number = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(number)) return { ok: false, message: `“${trimmed}” is not a number` };
      if (type === 'integer' && !Number.isInteger(number))
        return { ok: false, message: `“${trimmed}” is not a whole number` };
      return { ok: true, value: number };
    }
    if (type === 'boolean') {
      if (/^(true|yes|1)$/i.test(trimmed)) return { ok: true, value: true };
      if (/^(false|no|0)$/i.test(trimmed)) return { ok: true, value: false };
      return { ok: false, message: 'Use true or false' };
    }
    if (trimmed === '') return { ok: false, message: 'Enter a value' };
    return { ok: true, value: type === 'text' ? raw : trimmed };
  };
  if (op === 'in' || op === 'between') {
    const items = text.split(',').filter((item) => item.trim() !== '');
    if (op === 'between' && items.length !== 2) return { ok: false, message: 'Enter two values: from, to' };
    if (items.length === 0) return { ok: false, message: 'Enter one or more values, separated by commas' };
    const values: (string | number | boolean)[] = [];
    for (const item of items) {
      const parsed = one(item.trim());
      if (!parsed.ok) return parsed;
      values.push(parsed.value);
    }
    return { ok: true, value: values };
  }
  return one(text);
}

/** The value of a filter back as text for its input. */
export function filterValueText(value: TDatasetFilter['value']): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

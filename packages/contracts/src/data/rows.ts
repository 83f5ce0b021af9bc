import { z } from 'zod';

export const MAX_PAGE_SIZE = 500;
export const MAX_FILTER_CONDITIONS = 50;
export const MAX_FILTER_DEPTH = 4;
export const MAX_DELETE_ROWS = 1000;

/**
 * A cell as JSON: numbers for integer/float within JS's safe range, strings for bigint/numeric
 * (exact), booleans, ISO-like strings for dates/times as Postgres prints them, parsed JSON for
 * json/jsonb, arrays for array columns, `\x…` hex for bytea, null for NULL.
 */
export const ZCellValue = z.unknown();
export type TCellValue = unknown;

export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'is_empty',
  'is_not_empty',
  'in',
  'not_in',
  /** Dates/timestamps: within the last `value` `unit`s up to now. */
  'in_last',
] as const;
export type TFilterOperator = (typeof FILTER_OPERATORS)[number];

export const ZFilterCondition = z.object({
  type: z.literal('condition'),
  column: z.string().min(1).max(63),
  op: z.enum(FILTER_OPERATORS),
  /** eq/neq/lt/lte/gt/gte/contains/…/in_last: one value; between: [from, to]; in/not_in: a list. */
  value: ZCellValue.optional(),
  unit: z.enum(['minute', 'hour', 'day', 'week', 'month', 'year']).optional(),
});
export type TFilterCondition = z.infer<typeof ZFilterCondition>;

export type TFilterGroup = { type: 'group'; combinator: 'and' | 'or'; children: (TFilterCondition | TFilterGroup)[] };
export const ZFilterGroup: z.ZodType<TFilterGroup> = z.lazy(() =>
  z.object({
    type: z.literal('group'),
    combinator: z.enum(['and', 'or']),
    children: z.array(z.union([ZFilterCondition, ZFilterGroup])).max(MAX_FILTER_CONDITIONS),
  }),
);

export const ZSortKey = z.object({ column: z.string().min(1).max(63), direction: z.enum(['asc', 'desc']) });
export type TSortKey = z.infer<typeof ZSortKey>;

/** A view of a table: what the grid shows, the URL holds, and export streams. */
export const ZTableView = z.object({
  schema: z.string().min(1).max(63),
  table: z.string().min(1).max(63),
  /** Columns to return, in order; default: every visible column. */
  columns: z.array(z.string().min(1).max(63)).max(1600).optional(),
  filter: ZFilterGroup.optional(),
  sort: z.array(ZSortKey).max(8).default([]),
  /** Case-insensitive substring over the view's text-like columns. */
  search: z.string().max(200).optional(),
});
export type TTableView = z.infer<typeof ZTableView>;

export const ZRowsQueryRequest = ZTableView.extend({
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  /** Opaque cursor from the previous page's `nextCursor`. */
  after: z.string().max(8_000).optional(),
  /** Foreign-key columns also get the referenced row's label (one query, no N+1). */
  withLabels: z.boolean().default(true),
  /** `estimate`: pg statistics / planner (never slows the page); `exact`: count(*) with a timeout. */
  count: z.enum(['none', 'estimate', 'exact']).default('estimate'),
}).meta({ id: 'RowsQueryRequest' });
export type TRowsQueryRequest = z.infer<typeof ZRowsQueryRequest>;

export const ZRow = z.object({
  /** Stable key of the row: its primary key values (absent for tables without one). */
  key: z.record(z.string(), ZCellValue).nullable(),
  values: z.record(z.string(), ZCellValue),
  /** Labels of foreign-key cells: column → the referenced row's label (null when none). */
  labels: z.record(z.string(), z.string().nullable()),
});
export type TRow = z.infer<typeof ZRow>;

export const ZRowCount = z.object({
  value: z.number().int(),
  exact: z.boolean(),
  /** Set when an exact count was asked for but ran out of time: `value` is then the estimate. */
  timedOut: z.boolean().optional(),
});
export type TRowCount = z.infer<typeof ZRowCount>;

export const ZRowsPage = z
  .object({
    columns: z.array(z.string()),
    rows: z.array(ZRow),
    nextCursor: z.string().nullable(),
    count: ZRowCount.nullable(),
    elapsedMs: z.number(),
  })
  .meta({ id: 'RowsPage' });
export type TRowsPage = z.infer<typeof ZRowsPage>;

/** `columns` matters only with `search` (it searches the view's columns), as on the page. */
export const ZCountRowsRequest = ZTableView.omit({ sort: true })
  .extend({ mode: z.enum(['estimate', 'exact']).default('exact') })
  .meta({ id: 'CountRowsRequest' });
export type TCountRowsRequest = z.infer<typeof ZCountRowsRequest>;

export const ZCountRowsResponse = z.object({ count: ZRowCount }).meta({ id: 'CountRowsResponse' });

const ZRowKey = z.record(z.string(), ZCellValue);

/** Update cells of one row; `expected` carries what the user saw, for the conflict check. */
export const ZUpdateRowRequest = z
  .object({
    schema: z.string().min(1).max(63),
    table: z.string().min(1).max(63),
    key: ZRowKey,
    changes: z.record(z.string(), ZCellValue).refine((changes) => Object.keys(changes).length > 0, 'Nothing to change'),
    expected: z.record(z.string(), ZCellValue),
  })
  .meta({ id: 'UpdateRowRequest' });
export type TUpdateRowRequest = z.infer<typeof ZUpdateRowRequest>;

export const ZRowResponse = z.object({ row: ZRow }).meta({ id: 'RowResponse' });
export type TRowResponse = z.infer<typeof ZRowResponse>;

/** The `details` of a 409 on update: the row as it is now (null when it was deleted). */
export const ZRowConflictDetails = z.object({ current: ZRow.nullable(), conflictingColumns: z.array(z.string()) });
export type TRowConflictDetails = z.infer<typeof ZRowConflictDetails>;

export const ZInsertRowRequest = z
  .object({
    schema: z.string().min(1).max(63),
    table: z.string().min(1).max(63),
    /** Omitted columns take their defaults. */
    values: z.record(z.string(), ZCellValue),
  })
  .meta({ id: 'InsertRowRequest' });
export type TInsertRowRequest = z.infer<typeof ZInsertRowRequest>;

export const ZDeleteRowsRequest = z
  .object({
    schema: z.string().min(1).max(63),
    table: z.string().min(1).max(63),
    keys: z
      .array(ZRowKey)
      .min(1, 'Select at least one row')
      .max(MAX_DELETE_ROWS, `At most ${MAX_DELETE_ROWS} rows at once`),
  })
  .meta({ id: 'DeleteRowsRequest' });
export type TDeleteRowsRequest = z.infer<typeof ZDeleteRowsRequest>;

export const ZDeleteRowsResponse = z.object({ deleted: z.number().int() }).meta({ id: 'DeleteRowsResponse' });

/** Export: GET with the view as base64url JSON in `view`, so the browser can download it directly. */
export const ZExportQuery = z.object({ view: z.string().min(1).max(16_000) });

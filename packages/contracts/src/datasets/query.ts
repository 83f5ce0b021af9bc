import { z } from 'zod';

/** Column keys are the dataset's own (`c1`…); the service checks them against its catalog. */
const ZColumnKey = z.string().regex(/^c[0-9]+$/, 'Unknown column');

export const DATASET_FILTER_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'in',
  'between',
  'is_null',
  'not_null',
] as const;

/** Values are always bound parameters; the op decides how many (`in`: a list, `between`: two). */
export const ZDatasetFilter = z
  .object({
    column: ZColumnKey,
    op: z.enum(DATASET_FILTER_OPS),
    value: z
      .union([
        z.string().max(1000),
        z.number(),
        z.boolean(),
        z.null(),
        z.array(z.union([z.string().max(1000), z.number(), z.boolean()])).max(1000),
      ])
      .optional(),
  })
  .meta({ id: 'DatasetFilter' });
export type TDatasetFilter = z.infer<typeof ZDatasetFilter>;

/** `GET /datasets/:id/rows` query string. */
export const ZDatasetRowsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
  sort: ZColumnKey.optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
  /** JSON-encoded array of ZDatasetFilter. */
  filters: z.string().max(20_000).optional(),
});
export type TDatasetRowsQuery = z.infer<typeof ZDatasetRowsQuery>;

export const ZDatasetRowsPage = z
  .object({
    version: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    total: z.number().int().min(0),
    /** Keyed by column key; dates/timestamps as ISO strings, numerics as strings when huge. */
    rows: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'DatasetRowsPage' });
export type TDatasetRowsPage = z.infer<typeof ZDatasetRowsPage>;

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const;
export const TIME_GRAINS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

/** What one chart panel asks for. */
export const ZPanelQuery = z
  .object({
    x: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('time'), column: ZColumnKey, grain: z.enum(TIME_GRAINS) }),
        z.object({
          kind: z.literal('category'),
          column: ZColumnKey,
          limit: z.number().int().min(1).max(200).default(20),
        }),
      ])
      .nullable()
      .default(null),
    y: z
      .object({ agg: z.enum(AGGREGATES), column: ZColumnKey.optional() })
      .refine((y) => y.agg === 'count' || y.column !== undefined, {
        message: 'Pick a column to aggregate',
        path: ['column'],
      }),
    groupBy: z
      .object({ column: ZColumnKey, limit: z.number().int().min(1).max(50).default(10) })
      .nullable()
      .default(null),
    filters: z.array(ZDatasetFilter).max(50).default([]),
  })
  .meta({ id: 'PanelQuery' });
export type TPanelQuery = z.infer<typeof ZPanelQuery>;

export const ZPanelQueryResult = z
  .object({
    version: z.number().int().min(0),
    /** x is an ISO datetime (time), a category string, or null (single number). */
    points: z.array(
      z.object({
        x: z.union([z.string(), z.number(), z.boolean(), z.null()]),
        group: z.union([z.string(), z.null()]),
        value: z.number().nullable(),
      }),
    ),
    cached: z.boolean(),
    durationMs: z.number().min(0),
  })
  .meta({ id: 'PanelQueryResult' });
export type TPanelQueryResult = z.infer<typeof ZPanelQueryResult>;

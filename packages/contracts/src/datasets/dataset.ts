import { z } from 'zod';

/**
 * Lifecycle of a dataset's latest ingest attempt. The live data (version > 0) stays readable
 * through `processing` and `failed`: a failed re-ingest never hides what was there before.
 */
export const DATASET_STATUSES = ['awaiting_upload', 'uploaded', 'processing', 'ready', 'failed'] as const;
export const ZDatasetStatus = z.enum(DATASET_STATUSES);
export type TDatasetStatus = z.infer<typeof ZDatasetStatus>;

export const COLUMN_TYPES = ['integer', 'numeric', 'boolean', 'date', 'timestamp', 'text'] as const;
export const ZColumnType = z.enum(COLUMN_TYPES);
export type TColumnType = z.infer<typeof ZColumnType>;

export const ZDatasetColumn = z
  .object({
    /** Stable SQL-safe key (`c1`, `c2`, …) used by queries; never taken from the CSV. */
    key: z.string().regex(/^c[0-9]+$/),
    /** The header as written in the file (trimmed). */
    name: z.string(),
    type: ZColumnType,
    position: z.number().int().min(0),
  })
  .meta({ id: 'DatasetColumn' });
export type TDatasetColumn = z.infer<typeof ZDatasetColumn>;

export const ZDatasetProgress = z.object({
  rowsDone: z.number().int().min(0),
  /** null while the total is unknown (compressed or streaming input). */
  percent: z.number().min(0).max(100).nullable(),
});
export type TDatasetProgress = z.infer<typeof ZDatasetProgress>;

export const ZDatasetSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    status: ZDatasetStatus,
    /** Exact reason of the last failure, e.g. "row 18,223, column amount: 'abc' is not a number". */
    failureReason: z.string().nullable(),
    /** Live data version; 0 until the first successful ingest. */
    version: z.number().int().min(0),
    rowCount: z.number().int().min(0).nullable(),
    fileName: z.string().nullable(),
    sizeBytes: z.number().int().min(0).nullable(),
    progress: ZDatasetProgress.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    readyAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'DatasetSummary' });
export type TDatasetSummary = z.infer<typeof ZDatasetSummary>;

export const ZDataset = ZDatasetSummary.extend({
  /** Columns of the live version (empty before the first successful ingest). */
  columns: z.array(ZDatasetColumn),
}).meta({ id: 'Dataset' });
export type TDataset = z.infer<typeof ZDataset>;

export const ZDatasetResponse = z.object({ dataset: ZDataset }).meta({ id: 'DatasetResponse' });
export type TDatasetResponse = z.infer<typeof ZDatasetResponse>;

export const ZListDatasetsResponse = z
  .object({ datasets: z.array(ZDatasetSummary) })
  .meta({ id: 'ListDatasetsResponse' });
export type TListDatasetsResponse = z.infer<typeof ZListDatasetsResponse>;

const ZDatasetName = z.string().trim().min(1, 'Name is required').max(120, 'Name must be at most 120 characters');
const ZDatasetDescription = z.string().trim().max(2000, 'Description must be at most 2000 characters');

export const ZCreateDatasetRequest = z
  .object({ name: ZDatasetName, description: ZDatasetDescription.default('') })
  .meta({ id: 'CreateDatasetRequest' });
export type TCreateDatasetRequest = z.infer<typeof ZCreateDatasetRequest>;

export const ZUpdateDatasetRequest = z
  .object({ name: ZDatasetName.optional(), description: ZDatasetDescription.optional() })
  .meta({ id: 'UpdateDatasetRequest' });
export type TUpdateDatasetRequest = z.infer<typeof ZUpdateDatasetRequest>;

/** Answer of `POST /datasets/:id/ingest`: the job is queued; progress arrives over SSE. */
export const ZIngestDatasetResponse = z
  .object({ status: z.literal('processing'), datasetId: z.uuid() })
  .meta({ id: 'IngestDatasetResponse' });
export type TIngestDatasetResponse = z.infer<typeof ZIngestDatasetResponse>;

// ── statistics ──────────────────────────────────────────────────────────────────────────

export const ZHistogramBin = z.object({ from: z.number(), to: z.number(), count: z.number().int().min(0) });
export const ZTopValue = z.object({ value: z.string(), count: z.number().int().min(0) });
export const ZTimeRollupPoint = z.object({ t: z.iso.datetime(), count: z.number().int().min(0) });

export const ZColumnStats = z
  .object({
    key: z.string(),
    count: z.number().int().min(0),
    nulls: z.number().int().min(0),
    /** Approximate (HyperLogLog-like or sampled); exact for small tables. */
    distinct: z.number().int().min(0),
    /** Numbers as numbers; dates/timestamps as ISO strings; text min/max lexicographic. */
    min: z.union([z.number(), z.string(), z.boolean()]).nullable(),
    max: z.union([z.number(), z.string(), z.boolean()]).nullable(),
    /** Numeric columns only. */
    histogram: z.array(ZHistogramBin).nullable(),
    /** Text and boolean columns: the most frequent values. */
    topValues: z.array(ZTopValue).nullable(),
  })
  .meta({ id: 'ColumnStats' });
export type TColumnStats = z.infer<typeof ZColumnStats>;

export const ZTimeRollup = z
  .object({
    key: z.string(),
    grain: z.enum(['hour', 'day', 'week', 'month']),
    points: z.array(ZTimeRollupPoint),
  })
  .meta({ id: 'TimeRollup' });
export type TTimeRollup = z.infer<typeof ZTimeRollup>;

export const ZDatasetStatsResponse = z
  .object({ version: z.number().int().min(0), columns: z.array(ZColumnStats), rollups: z.array(ZTimeRollup) })
  .meta({ id: 'DatasetStatsResponse' });
export type TDatasetStatsResponse = z.infer<typeof ZDatasetStatsResponse>;

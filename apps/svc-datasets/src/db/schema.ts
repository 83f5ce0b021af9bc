import type { TDatasetColumn, TDatasetProgress, TDatasetStatus } from '@elasticdash/contracts/datasets/dataset';
import type { TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import type { TPanel } from '@elasticdash/contracts/datasets/dashboard';
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * svc-datasets owns the `datasets` schema (metadata). The rows of each dataset live in a
 * per-tenant schema `ds_<tenant id hex>` as `d_<dataset id hex>_v<version>`, created by the
 * ingest worker, which runs this service's jobs against this schema.
 */
export const datasetsSchema = pgSchema('datasets');

export const datasets = datasetsSchema.table(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Status of the latest ingest attempt; the live data below stays readable meanwhile. */
    status: text('status').$type<TDatasetStatus>().notNull().default('awaiting_upload'),
    failureReason: text('failure_reason'),
    progress: jsonb('progress').$type<TDatasetProgress>(),
    /** Live data: version 0 = none yet. Swapped in one UPDATE with `live_table` and `columns`. */
    version: integer('version').notNull().default(0),
    liveTable: text('live_table'),
    columns: jsonb('columns').$type<TDatasetColumn[]>().notNull().default([]),
    rowCount: bigint('row_count', { mode: 'number' }),
    /** The most recent completed upload (what the next ingest reads). */
    latestUploadId: uuid('latest_upload_id'),
    fileName: text('file_name'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    readyAt: timestamp('ready_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('datasets_tenant_name_key').on(table.tenantId, sql`lower(${table.name})`),
    index('datasets_tenant_updated_idx').on(table.tenantId, table.updatedAt),
    check(
      'datasets_status_check',
      sql`${table.status} in ('awaiting_upload', 'uploaded', 'processing', 'ready', 'failed')`,
    ),
  ],
);

/** One row per presigned upload; `s3_upload_id` is set for multipart uploads. */
export const uploads = datasetsSchema.table(
  'uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    objectKey: text('object_key').notNull(),
    mode: text('mode').$type<'single' | 'multipart'>().notNull(),
    s3UploadId: text('s3_upload_id'),
    fileName: text('file_name').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    status: text('status').$type<'pending' | 'completed' | 'aborted'>().notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    index('uploads_dataset_idx').on(table.datasetId),
    check('uploads_mode_check', sql`${table.mode} in ('single', 'multipart')`),
    check('uploads_status_check', sql`${table.status} in ('pending', 'completed', 'aborted')`),
  ],
);

/**
 * One row per ingest request (the BullMQ job id is this id). `target_version` is fixed when the
 * attempt is created, so a job that runs twice writes the same staging table and swaps once.
 */
export const ingests = datasetsSchema.table(
  'ingests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    targetVersion: integer('target_version').notNull(),
    status: text('status').$type<'queued' | 'running' | 'succeeded' | 'failed'>().notNull().default('queued'),
    failureReason: text('failure_reason'),
    rowsDone: bigint('rows_done', { mode: 'number' }).notNull().default(0),
    runs: integer('runs').notNull().default(0),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('ingests_dataset_idx').on(table.datasetId, table.createdAt),
    uniqueIndex('ingests_dataset_version_key').on(table.datasetId, table.targetVersion),
    check('ingests_status_check', sql`${table.status} in ('queued', 'running', 'succeeded', 'failed')`),
  ],
);

/** Column statistics and time rollups per data version (written by the worker with the swap). */
export const datasetStats = datasetsSchema.table(
  'dataset_stats',
  {
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    columns: jsonb('columns').notNull(),
    rollups: jsonb('rollups').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.datasetId, table.version] })],
);

export const dashboards = datasetsSchema.table(
  'dashboards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<TDatasetFilter[]>().notNull().default([]),
    panels: jsonb('panels').$type<TPanel[]>().notNull().default([]),
    revision: integer('revision').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('dashboards_tenant_updated_idx').on(table.tenantId, table.updatedAt),
    uniqueIndex('dashboards_tenant_name_key').on(table.tenantId, sql`lower(${table.name})`),
  ],
);

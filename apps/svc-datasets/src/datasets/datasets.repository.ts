import { Inject, Injectable } from '@nestjs/common';
import type { TDatasetProgress, TDatasetStatus } from '@elasticdash/contracts/datasets/dataset';
import { and, desc, eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { datasets, datasetStats, uploads } from '../db/schema.js';

export type DatasetRow = typeof datasets.$inferSelect;
export type NewDatasetRow = typeof datasets.$inferInsert;
export type DatasetStatsRow = typeof datasetStats.$inferSelect;

/** Statements on `datasets.datasets`. Every lookup is scoped by tenant. */
@Injectable()
export class DatasetsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  list(tenantId: string): Promise<DatasetRow[]> {
    return this.db
      .select()
      .from(datasets)
      .where(eq(datasets.tenantId, tenantId))
      .orderBy(desc(datasets.updatedAt), desc(datasets.id));
  }

  async find(tenantId: string, datasetId: string, exec: Executor = this.db): Promise<DatasetRow | undefined> {
    const [row] = await exec
      .select()
      .from(datasets)
      .where(and(eq(datasets.id, datasetId), eq(datasets.tenantId, tenantId)));
    return row;
  }

  /** Locks the dataset row for the rest of the transaction (uploads and ingests of one dataset queue up). */
  async lock(tenantId: string, datasetId: string, tx: Tx): Promise<DatasetRow | undefined> {
    const [row] = await tx
      .select()
      .from(datasets)
      .where(and(eq(datasets.id, datasetId), eq(datasets.tenantId, tenantId)))
      .for('update');
    return row;
  }

  async insert(row: NewDatasetRow): Promise<DatasetRow> {
    const [inserted] = await this.db.insert(datasets).values(row).returning();
    if (!inserted) throw new Error('dataset insert returned no row');
    return inserted;
  }

  async update(
    tenantId: string,
    datasetId: string,
    changes: { name?: string; description?: string },
  ): Promise<DatasetRow | undefined> {
    const [row] = await this.db
      .update(datasets)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(datasets.id, datasetId), eq(datasets.tenantId, tenantId)))
      .returning();
    return row;
  }

  /**
   * Points the dataset at a completed upload. Before the first successful ingest the status
   * becomes `uploaded`; afterwards the status stays what the latest ingest left.
   */
  async attachUpload(
    datasetId: string,
    upload: { id: string; fileName: string; sizeBytes: number },
    tx: Tx,
  ): Promise<DatasetRow> {
    const [row] = await tx
      .update(datasets)
      .set({
        latestUploadId: upload.id,
        fileName: upload.fileName,
        sizeBytes: upload.sizeBytes,
        status: sql`case when ${datasets.version} = 0 and ${datasets.status} <> 'processing' then 'uploaded' else ${datasets.status} end`,
        failureReason: sql`case when ${datasets.version} = 0 and ${datasets.status} <> 'processing' then null else ${datasets.failureReason} end`,
        updatedAt: new Date(),
      })
      .where(eq(datasets.id, datasetId))
      .returning();
    if (!row) throw new Error('dataset update returned no row');
    return row;
  }

  async setStatus(
    datasetId: string,
    change: { status: TDatasetStatus; progress: TDatasetProgress | null; failureReason: string | null },
    exec: Executor = this.db,
  ): Promise<DatasetRow> {
    const [row] = await exec
      .update(datasets)
      .set({ ...change, updatedAt: new Date() })
      .where(eq(datasets.id, datasetId))
      .returning();
    if (!row) throw new Error('dataset update returned no row');
    return row;
  }

  /** Deletes the dataset; its uploads, ingests, stats and dashboards go with it (cascade). */
  async delete(tenantId: string, datasetId: string, tx: Tx): Promise<DatasetRow | undefined> {
    const [row] = await tx
      .delete(datasets)
      .where(and(eq(datasets.id, datasetId), eq(datasets.tenantId, tenantId)))
      .returning();
    return row;
  }

  /** The S3 objects of the dataset's uploads (read before deleting it). */
  uploadObjects(tenantId: string, datasetId: string, tx: Tx) {
    return tx
      .select({ objectKey: uploads.objectKey, s3UploadId: uploads.s3UploadId, status: uploads.status })
      .from(uploads)
      .where(and(eq(uploads.datasetId, datasetId), eq(uploads.tenantId, tenantId)));
  }

  async stats(tenantId: string, datasetId: string, version: number): Promise<DatasetStatsRow | undefined> {
    const [row] = await this.db
      .select()
      .from(datasetStats)
      .where(
        and(
          eq(datasetStats.datasetId, datasetId),
          eq(datasetStats.tenantId, tenantId),
          eq(datasetStats.version, version),
        ),
      );
    return row;
  }
}

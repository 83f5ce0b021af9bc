import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { uploads } from '../db/schema.js';

export type UploadRow = typeof uploads.$inferSelect;
export type NewUploadRow = typeof uploads.$inferInsert;

/** Statements on `datasets.uploads`, scoped by tenant and dataset. */
@Injectable()
export class UploadsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(row: NewUploadRow): Promise<UploadRow> {
    const [inserted] = await this.db.insert(uploads).values(row).returning();
    if (!inserted) throw new Error('upload insert returned no row');
    return inserted;
  }

  async find(
    tenantId: string,
    datasetId: string,
    uploadId: string,
    exec: Executor = this.db,
  ): Promise<UploadRow | undefined> {
    const [row] = await exec
      .select()
      .from(uploads)
      .where(and(eq(uploads.id, uploadId), eq(uploads.datasetId, datasetId), eq(uploads.tenantId, tenantId)));
    return row;
  }

  async lock(tenantId: string, datasetId: string, uploadId: string, tx: Tx): Promise<UploadRow | undefined> {
    const [row] = await tx
      .select()
      .from(uploads)
      .where(and(eq(uploads.id, uploadId), eq(uploads.datasetId, datasetId), eq(uploads.tenantId, tenantId)))
      .for('update');
    return row;
  }

  async setStatus(uploadId: string, status: 'completed' | 'aborted', exec: Executor = this.db): Promise<void> {
    await exec
      .update(uploads)
      .set({ status, completedAt: status === 'completed' ? new Date() : null })
      .where(eq(uploads.id, uploadId));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { ingests } from '../db/schema.js';

export type IngestRow = typeof ingests.$inferSelect;

/** Statements on `datasets.ingests` (the worker updates these rows while it runs). */
@Injectable()
export class IngestsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** The queued or running ingest of a dataset, if any. */
  async active(datasetId: string, exec: Executor = this.db): Promise<IngestRow | undefined> {
    const [row] = await exec
      .select()
      .from(ingests)
      .where(and(eq(ingests.datasetId, datasetId), inArray(ingests.status, ['queued', 'running'])))
      .orderBy(desc(ingests.createdAt))
      .limit(1);
    return row;
  }

  /** Ids of the dataset's queued ingests (their jobs can be dropped when the dataset goes). */
  async queuedIds(datasetId: string, exec: Executor = this.db): Promise<string[]> {
    const rows = await exec
      .select({ id: ingests.id })
      .from(ingests)
      .where(and(eq(ingests.datasetId, datasetId), eq(ingests.status, 'queued')));
    return rows.map((row) => row.id);
  }

  async maxTargetVersion(datasetId: string, exec: Executor = this.db): Promise<number> {
    const [row] = await exec
      .select({ max: sql<number>`coalesce(max(${ingests.targetVersion}), 0)::int` })
      .from(ingests)
      .where(eq(ingests.datasetId, datasetId));
    return row?.max ?? 0;
  }

  async insert(
    row: { tenantId: string; datasetId: string; uploadId: string; targetVersion: number; requestId: string | null },
    tx: Tx,
  ): Promise<IngestRow> {
    const [inserted] = await tx.insert(ingests).values(row).returning();
    if (!inserted) throw new Error('ingest insert returned no row');
    return inserted;
  }

  /** Marks an ingest that could not be queued as failed (only while still queued). */
  async failQueued(ingestId: string, reason: string): Promise<void> {
    await this.db
      .update(ingests)
      .set({ status: 'failed', failureReason: reason, finishedAt: new Date() })
      .where(and(eq(ingests.id, ingestId), eq(ingests.status, 'queued')));
  }
}

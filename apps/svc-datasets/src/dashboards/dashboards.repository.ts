import { Inject, Injectable } from '@nestjs/common';
import type { TPanel } from '@elasticdash/contracts/datasets/dashboard';
import type { TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import { and, desc, eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Tx } from '../db/database.js';
import { dashboards } from '../db/schema.js';

export type DashboardRow = typeof dashboards.$inferSelect;
export interface DashboardSummaryRow {
  id: string;
  name: string;
  datasetId: string;
  panelCount: number;
  updatedAt: Date;
}

/** Statements on `datasets.dashboards`, scoped by tenant. */
@Injectable()
export class DashboardsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  list(tenantId: string, datasetId?: string): Promise<DashboardSummaryRow[]> {
    return this.db
      .select({
        id: dashboards.id,
        name: dashboards.name,
        datasetId: dashboards.datasetId,
        panelCount: sql<number>`jsonb_array_length(${dashboards.panels})::int`,
        updatedAt: dashboards.updatedAt,
      })
      .from(dashboards)
      .where(
        datasetId
          ? and(eq(dashboards.tenantId, tenantId), eq(dashboards.datasetId, datasetId))
          : eq(dashboards.tenantId, tenantId),
      )
      .orderBy(desc(dashboards.updatedAt), desc(dashboards.id));
  }

  async find(tenantId: string, dashboardId: string): Promise<DashboardRow | undefined> {
    const [row] = await this.db
      .select()
      .from(dashboards)
      .where(and(eq(dashboards.id, dashboardId), eq(dashboards.tenantId, tenantId)));
    return row;
  }

  async lock(tenantId: string, dashboardId: string, tx: Tx): Promise<DashboardRow | undefined> {
    const [row] = await tx
      .select()
      .from(dashboards)
      .where(and(eq(dashboards.id, dashboardId), eq(dashboards.tenantId, tenantId)))
      .for('update');
    return row;
  }

  async insert(row: { tenantId: string; datasetId: string; name: string }): Promise<DashboardRow> {
    const [inserted] = await this.db.insert(dashboards).values(row).returning();
    if (!inserted) throw new Error('dashboard insert returned no row');
    return inserted;
  }

  async save(
    dashboardId: string,
    change: { name: string; filters: TDatasetFilter[]; panels: TPanel[]; revision: number },
    tx: Tx,
  ): Promise<DashboardRow> {
    const [row] = await tx
      .update(dashboards)
      .set({ ...change, updatedAt: new Date() })
      .where(eq(dashboards.id, dashboardId))
      .returning();
    if (!row) throw new Error('dashboard update returned no row');
    return row;
  }

  async delete(tenantId: string, dashboardId: string): Promise<boolean> {
    const rows = await this.db
      .delete(dashboards)
      .where(and(eq(dashboards.id, dashboardId), eq(dashboards.tenantId, tenantId)))
      .returning({ id: dashboards.id });
    return rows.length > 0;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { planRevisions, plans } from '../db/schema.js';
import type { RevisionRow } from '../revisions/revisions.repository.js';

export type PlanRow = typeof plans.$inferSelect;
export type NewPlanRow = typeof plans.$inferInsert;

/** A plan with its latest revision. */
export interface PlanWithLatest {
  plan: PlanRow;
  revision: RevisionRow;
}

/** Statements on `plans.plans`. Every lookup is scoped by tenant: another tenant's plan does not exist. */
@Injectable()
export class PlansRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** The tenant's plans with their latest revisions, most recently saved first. */
  listWithLatest(tenantId: string): Promise<PlanWithLatest[]> {
    return this.db
      .select({ plan: plans, revision: planRevisions })
      .from(plans)
      .innerJoin(
        planRevisions,
        and(eq(planRevisions.planId, plans.id), eq(planRevisions.revision, plans.latestRevision)),
      )
      .where(eq(plans.tenantId, tenantId))
      .orderBy(desc(plans.updatedAt), desc(plans.id));
  }

  async findWithLatest(
    tenantId: string,
    planId: string,
    exec: Executor = this.db,
  ): Promise<PlanWithLatest | undefined> {
    const [row] = await exec
      .select({ plan: plans, revision: planRevisions })
      .from(plans)
      .innerJoin(
        planRevisions,
        and(eq(planRevisions.planId, plans.id), eq(planRevisions.revision, plans.latestRevision)),
      )
      .where(and(eq(plans.id, planId), eq(plans.tenantId, tenantId)));
    return row;
  }

  async exists(tenantId: string, planId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: plans.id })
      .from(plans)
      .where(and(eq(plans.id, planId), eq(plans.tenantId, tenantId)));
    return row !== undefined;
  }

  /**
   * Locks the plan row (`for update`) for the rest of the transaction, so saves of one plan
   * queue up and each sees the revision the previous one committed.
   */
  async lock(tenantId: string, planId: string, tx: Tx): Promise<PlanRow | undefined> {
    const [row] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.id, planId), eq(plans.tenantId, tenantId)))
      .for('update');
    return row;
  }

  async insert(row: NewPlanRow, tx: Tx): Promise<PlanRow> {
    const [inserted] = await tx.insert(plans).values(row).returning();
    if (!inserted) throw new Error('plan insert returned no row');
    return inserted;
  }

  /** Points the plan at a newly inserted revision (its name follows the document). */
  async advance(planId: string, latest: { name: string; revision: number; at: Date }, tx: Tx): Promise<PlanRow> {
    const [row] = await tx
      .update(plans)
      .set({ name: latest.name, latestRevision: latest.revision, updatedAt: latest.at })
      .where(eq(plans.id, planId))
      .returning();
    if (!row) throw new Error('plan update returned no row');
    return row;
  }

  /** Deletes the plan and (cascade) its revisions; false when the tenant has no such plan. */
  async delete(tenantId: string, planId: string): Promise<boolean> {
    const rows = await this.db
      .delete(plans)
      .where(and(eq(plans.id, planId), eq(plans.tenantId, tenantId)))
      .returning({ id: plans.id });
    return rows.length > 0;
  }
}

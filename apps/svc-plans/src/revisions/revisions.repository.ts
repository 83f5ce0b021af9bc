import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { planRevisions, plans } from '../db/schema.js';

export type RevisionRow = typeof planRevisions.$inferSelect;
export type NewRevisionRow = typeof planRevisions.$inferInsert;
/** A revision without its document (history lists). */
export type RevisionHeader = Omit<RevisionRow, 'document'>;

/** Every revision read joins its plan and checks the plan's tenant: another tenant's plan has no revisions. */
const planOfRevision = eq(plans.id, planRevisions.planId);
const ofTenantPlan = (tenantId: string, planId: string) =>
  and(eq(planRevisions.planId, planId), eq(plans.tenantId, tenantId));

/** Statements on `plans.plan_revisions`: rows are only ever inserted (and deleted with their plan). */
@Injectable()
export class RevisionsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(row: NewRevisionRow, tx: Tx): Promise<RevisionRow> {
    const [inserted] = await tx.insert(planRevisions).values(row).returning();
    if (!inserted) throw new Error('revision insert returned no row');
    return inserted;
  }

  /** The plan's revisions without documents, newest first; empty when the tenant has no such plan. */
  list(tenantId: string, planId: string): Promise<RevisionHeader[]> {
    return this.db
      .select({
        planId: planRevisions.planId,
        revision: planRevisions.revision,
        createdAt: planRevisions.createdAt,
        createdBy: planRevisions.createdBy,
        createdByEmail: planRevisions.createdByEmail,
        restoredFrom: planRevisions.restoredFrom,
      })
      .from(planRevisions)
      .innerJoin(plans, planOfRevision)
      .where(ofTenantPlan(tenantId, planId))
      .orderBy(desc(planRevisions.revision));
  }

  async find(
    tenantId: string,
    planId: string,
    revision: number,
    exec: Executor = this.db,
  ): Promise<RevisionRow | undefined> {
    const [row] = await exec
      .select({ revision: planRevisions })
      .from(planRevisions)
      .innerJoin(plans, planOfRevision)
      .where(and(ofTenantPlan(tenantId, planId), eq(planRevisions.revision, revision)));
    return row?.revision;
  }

  /** Several revisions of one plan at once (those that exist). */
  async findMany(tenantId: string, planId: string, revisions: number[]): Promise<RevisionRow[]> {
    const rows = await this.db
      .select({ revision: planRevisions })
      .from(planRevisions)
      .innerJoin(plans, planOfRevision)
      .where(and(ofTenantPlan(tenantId, planId), inArray(planRevisions.revision, revisions)));
    return rows.map((row) => row.revision);
  }
}

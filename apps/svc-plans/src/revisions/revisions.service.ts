import { Injectable } from '@nestjs/common';
import { type TCsJsonDocument, ZCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  type TListPlanRevisionsResponse,
  type TPlanDiffResponse,
  type TPlanResponse,
  type TPlanRevisionResponse,
  type TRestorePlanRevisionRequest,
  ZListPlanRevisionsResponse,
  ZPlanDiffResponse,
  ZPlanRevisionResponse,
} from '@elasticdash/contracts/plans/plan';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { notFound } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { PlansRepository } from '../plans/plans.repository.js';
import { PLAN_NOT_FOUND, PlansService } from '../plans/plans.service.js';
import { diffDocuments } from './plan-diff.js';
import { toPlanRevision } from './revisions.mapper.js';
import { type RevisionRow, RevisionsRepository } from './revisions.repository.js';

/** A stored document with its keys in schema order (jsonb keeps its own order). */
function canonical(document: TCsJsonDocument): TCsJsonDocument {
  const parsed = ZCsJsonDocument.safeParse(document);
  return parsed.success ? parsed.data : document;
}

/** Revision history: list, show, diff and restore. Revisions are immutable; restoring adds one. */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly revisions: RevisionsRepository,
    private readonly plans: PlansRepository,
    private readonly plansService: PlansService,
  ) {}

  async list(ctx: TTenantContext, planId: string): Promise<TListPlanRevisionsResponse> {
    const rows = await this.revisions.list(ctx.tenantId, planId);
    // Every plan has at least revision 1: none means no such plan in this tenant.
    if (rows.length === 0) throw notFound(PLAN_NOT_FOUND);
    return respond(ZListPlanRevisionsResponse, { revisions: rows.map(toPlanRevision) });
  }

  async get(ctx: TTenantContext, planId: string, revision: number): Promise<TPlanRevisionResponse> {
    const row = await this.revisions.find(ctx.tenantId, planId, revision);
    if (!row) throw await this.missing(ctx, planId, revision);
    return respond(ZPlanRevisionResponse, { revision: toPlanRevision(row), document: row.document });
  }

  /** What changed from revision `from` to revision `to` (either order). */
  async diff(ctx: TTenantContext, planId: string, from: number, to: number): Promise<TPlanDiffResponse> {
    const rows = await this.revisions.findMany(ctx.tenantId, planId, [from, to]);
    const byRevision = new Map<number, RevisionRow>(rows.map((row) => [row.revision, row]));
    const before = byRevision.get(from);
    const after = byRevision.get(to);
    if (!before) throw await this.missing(ctx, planId, from);
    if (!after) throw await this.missing(ctx, planId, to);
    const changes = diffDocuments(canonical(before.document), canonical(after.document));
    return respond(ZPlanDiffResponse, { from, to, changes });
  }

  /**
   * Saves revision `revision`'s document as a new revision (`restoredFrom` set), under the same
   * rule as an edit: `baseRevision` must be the latest, else 409 with the latest plan.
   */
  async restore(
    ctx: TTenantContext,
    planId: string,
    revision: number,
    body: TRestorePlanRevisionRequest,
  ): Promise<TPlanResponse> {
    const row = await this.revisions.find(ctx.tenantId, planId, revision);
    if (!row) throw await this.missing(ctx, planId, revision);
    return this.plansService.commit(ctx, planId, {
      baseRevision: body.baseRevision,
      document: canonical(row.document),
      restoredFrom: revision,
    });
  }

  /** The 404 for a revision that was not found: is it the plan or the revision that does not exist? */
  private async missing(ctx: TTenantContext, planId: string, revision: number): Promise<Error> {
    if (!(await this.plans.exists(ctx.tenantId, planId))) return notFound(PLAN_NOT_FOUND);
    return notFound(`This plan has no revision ${revision}`);
  }
}

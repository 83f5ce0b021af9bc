import { Injectable } from '@nestjs/common';
import { type TCsJsonDocument, validateCsJson, ZCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  type TCreatePlanRequest,
  type TImportPlanRequest,
  type TListPlansResponse,
  type TPlanResponse,
  type TUpdatePlanRequest,
  ZListPlansResponse,
  ZPlanConflictDetails,
  ZPlanResponse,
} from '@elasticdash/contracts/plans/plan';
import { isPgError, PgErrorCode } from '@elasticdash/db/errors';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, notFound, validationFailed } from '@elasticdash/service-kit/errors';
import { unwrapQueryError } from '@elasticdash/service-kit/exception-filter';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { jsonEqual } from '../revisions/plan-diff.js';
import { RevisionsRepository } from '../revisions/revisions.repository.js';
import { attachmentDisposition } from './attachment.js';
import { toPlan, toPlanSummary } from './plans.mapper.js';
import { type PlanWithLatest, PlansRepository } from './plans.repository.js';

export const PLAN_NOT_FOUND = 'No plan with this id in this workspace';
export const NOT_CS_JSON = 'This file is not a valid cs-json v1 plan';

/** A new revision to commit on top of `baseRevision`. */
export interface RevisionChange {
  baseRevision: number;
  document: TCsJsonDocument;
  /** The revision whose document this one restores, or null for an edit. */
  restoredFrom: number | null;
}

/** The 409 for a plan name already used in the tenant (names are unique ignoring case). */
function nameTaken(error: unknown, name: string): unknown {
  const cause = unwrapQueryError(error);
  if (
    isPgError(cause, PgErrorCode.uniqueViolation) &&
    (cause as { constraint?: string }).constraint === 'plans_tenant_name_key'
  ) {
    const message = `A plan named "${name}" already exists in this workspace; choose another name`;
    return conflict(message, { issues: [{ path: 'document.name', message }] });
  }
  return error;
}

@Injectable()
export class PlansService {
  constructor(
    private readonly transactions: Transactions,
    private readonly plans: PlansRepository,
    private readonly revisions: RevisionsRepository,
  ) {}

  async list(ctx: TTenantContext): Promise<TListPlansResponse> {
    const rows = await this.plans.listWithLatest(ctx.tenantId);
    return respond(ZListPlansResponse, { plans: rows.map(toPlanSummary) });
  }

  async get(ctx: TTenantContext, planId: string): Promise<TPlanResponse> {
    const found = await this.plans.findWithLatest(ctx.tenantId, planId);
    if (!found) throw notFound(PLAN_NOT_FOUND);
    return respond(ZPlanResponse, { plan: toPlan(found) });
  }

  /** A new plan at revision 1, named after its document. Semantic errors are saved (the plan is then invalid). */
  async create(ctx: TTenantContext, body: TCreatePlanRequest): Promise<TPlanResponse> {
    const { document } = body;
    try {
      const created = await this.transactions.run(async (tx): Promise<PlanWithLatest> => {
        const plan = await this.plans.insert({ tenantId: ctx.tenantId, name: document.name, latestRevision: 1 }, tx);
        const revision = await this.revisions.insert(
          { planId: plan.id, revision: 1, document, createdBy: ctx.userId, createdByEmail: ctx.email },
          tx,
        );
        return { plan, revision };
      });
      return respond(ZPlanResponse, { plan: toPlan(created) });
    } catch (error) {
      throw nameTaken(error, document.name);
    }
  }

  /** Saves an edit made on top of `baseRevision`. */
  update(ctx: TTenantContext, planId: string, body: TUpdatePlanRequest): Promise<TPlanResponse> {
    return this.commit(ctx, planId, { baseRevision: body.baseRevision, document: body.document, restoredFrom: null });
  }

  /**
   * Commits a new revision if `baseRevision` is still the latest one; otherwise 409 with the
   * latest plan in `details.latest`. The plan row is locked for the transaction, so of two saves
   * based on the same revision exactly one wins. A document equal to the latest is not saved
   * again (same revision). The plan's name follows the document's.
   */
  async commit(ctx: TTenantContext, planId: string, change: RevisionChange): Promise<TPlanResponse> {
    const { document } = change;
    try {
      const saved = await this.transactions.run(async (tx): Promise<PlanWithLatest> => {
        const plan = await this.plans.lock(ctx.tenantId, planId, tx);
        if (!plan) throw notFound(PLAN_NOT_FOUND);
        const latest = await this.revisions.find(ctx.tenantId, planId, plan.latestRevision, tx);
        if (!latest) throw new Error(`plan ${planId} has no revision ${plan.latestRevision}`);
        if (plan.latestRevision !== change.baseRevision) {
          throw conflict(
            `This plan changed since revision ${change.baseRevision}: ${latest.createdByEmail} saved revision ${latest.revision} at ${latest.createdAt.toISOString()}. Reload it, or copy your changes over it`,
            respond(ZPlanConflictDetails, { latest: toPlan({ plan, revision: latest }) }),
          );
        }
        if (jsonEqual(latest.document, document)) return { plan, revision: latest };
        const revision = await this.revisions.insert(
          {
            planId,
            revision: plan.latestRevision + 1,
            document,
            createdBy: ctx.userId,
            createdByEmail: ctx.email,
            restoredFrom: change.restoredFrom,
          },
          tx,
        );
        const advanced = await this.plans.advance(
          planId,
          { name: document.name, revision: revision.revision, at: revision.createdAt },
          tx,
        );
        return { plan: advanced, revision };
      });
      return respond(ZPlanResponse, { plan: toPlan(saved) });
    } catch (error) {
      throw nameTaken(error, document.name);
    }
  }

  /** Deletes the plan with all its revisions. */
  async delete(ctx: TTenantContext, planId: string): Promise<void> {
    if (!(await this.plans.delete(ctx.tenantId, planId))) throw notFound(PLAN_NOT_FOUND);
  }

  /**
   * Creates a plan from a cs-json file. Anything that is not structurally cs-json v1 is refused
   * with every problem and its path (`document.…`); semantic errors are saved like on create.
   */
  async import(ctx: TTenantContext, body: TImportPlanRequest): Promise<TPlanResponse> {
    const checked = validateCsJson(body.document);
    if (!checked.document) {
      throw validationFailed(
        checked.errors.map((issue) => ({
          path: issue.path === '(root)' ? 'document' : `document.${issue.path}`,
          message: issue.message,
        })),
        NOT_CS_JSON,
      );
    }
    return this.create(ctx, { document: checked.document });
  }

  /** The latest document as a cs-json file. */
  async export(ctx: TTenantContext, planId: string): Promise<{ disposition: string; body: string }> {
    const found = await this.plans.findWithLatest(ctx.tenantId, planId);
    if (!found) throw notFound(PLAN_NOT_FOUND);
    const document = respond(ZCsJsonDocument, found.revision.document);
    return {
      disposition: attachmentDisposition(`${document.name}.cs.json`),
      body: `${JSON.stringify(document, null, 2)}\n`,
    };
  }
}

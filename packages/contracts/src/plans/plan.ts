import { z } from 'zod';
import { ZFieldIssue } from '../platform/errors.js';
import { ZCsJsonDocument } from './cs-json.js';

export const ZPlanValidity = z.object({
  /** False while any semantic error remains (deploy is refused); warnings never block. */
  valid: z.boolean(),
  errors: z.array(ZFieldIssue),
  warnings: z.array(ZFieldIssue),
});
export type TPlanValidity = z.infer<typeof ZPlanValidity>;

export const ZPlanSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    revision: z.number().int().min(1),
    updatedAt: z.iso.datetime(),
    updatedBy: z.string(),
    valid: z.boolean(),
  })
  .meta({ id: 'PlanSummary' });
export type TPlanSummary = z.infer<typeof ZPlanSummary>;

export const ZPlan = ZPlanSummary.extend({
  createdAt: z.iso.datetime(),
  document: ZCsJsonDocument,
  validity: ZPlanValidity,
}).meta({ id: 'Plan' });
export type TPlan = z.infer<typeof ZPlan>;

export const ZPlanResponse = z.object({ plan: ZPlan }).meta({ id: 'PlanResponse' });
export type TPlanResponse = z.infer<typeof ZPlanResponse>;

export const ZListPlansResponse = z.object({ plans: z.array(ZPlanSummary) }).meta({ id: 'ListPlansResponse' });
export type TListPlansResponse = z.infer<typeof ZListPlansResponse>;

/** Create: the document as edited (structurally valid cs-json; semantic errors are saved and reported). */
export const ZCreatePlanRequest = z.object({ document: ZCsJsonDocument }).meta({ id: 'CreatePlanRequest' });
export type TCreatePlanRequest = z.infer<typeof ZCreatePlanRequest>;

/** Save: names the revision the edit started from; a stale one gets 409 with the latest plan. */
export const ZUpdatePlanRequest = z
  .object({ baseRevision: z.number().int().min(1), document: ZCsJsonDocument })
  .meta({ id: 'UpdatePlanRequest' });
export type TUpdatePlanRequest = z.infer<typeof ZUpdatePlanRequest>;

/** `details` of the 409 on a stale save. */
export const ZPlanConflictDetails = z.object({ latest: ZPlan });
export type TPlanConflictDetails = z.infer<typeof ZPlanConflictDetails>;

export const ZPlanRevision = z
  .object({
    revision: z.number().int().min(1),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    /** Set when this revision restored an older one. */
    restoredFrom: z.number().int().nullable(),
  })
  .meta({ id: 'PlanRevision' });
export type TPlanRevision = z.infer<typeof ZPlanRevision>;

export const ZListPlanRevisionsResponse = z
  .object({ revisions: z.array(ZPlanRevision) })
  .meta({ id: 'ListPlanRevisionsResponse' });
export type TListPlanRevisionsResponse = z.infer<typeof ZListPlanRevisionsResponse>;

export const ZPlanRevisionResponse = z
  .object({ revision: ZPlanRevision, document: ZCsJsonDocument })
  .meta({ id: 'PlanRevisionResponse' });
export type TPlanRevisionResponse = z.infer<typeof ZPlanRevisionResponse>;

export const ZPlanChange = z.object({
  /** Dotted path in the document, e.g. `components.0.database.maxConnections`. */
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type TPlanChange = z.infer<typeof ZPlanChange>;

export const ZPlanDiffResponse = z
  .object({ from: z.number().int(), to: z.number().int(), changes: z.array(ZPlanChange) })
  .meta({ id: 'PlanDiffResponse' });
export type TPlanDiffResponse = z.infer<typeof ZPlanDiffResponse>;

export const ZRestorePlanRevisionRequest = z
  .object({ baseRevision: z.number().int().min(1) })
  .meta({ id: 'RestorePlanRevisionRequest' });
export type TRestorePlanRevisionRequest = z.infer<typeof ZRestorePlanRevisionRequest>;

/** Import: any JSON; the answer lists every problem with its path when it is not cs-json v1. */
export const ZImportPlanRequest = z.object({ document: z.unknown() }).meta({ id: 'ImportPlanRequest' });
export type TImportPlanRequest = z.infer<typeof ZImportPlanRequest>;

export const ZPlanParams = z.object({ planId: z.uuid('planId must be a UUID') });
export const ZPlanRevisionParams = ZPlanParams.extend({ revision: z.coerce.number().int().min(1) });
export const ZPlanDiffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

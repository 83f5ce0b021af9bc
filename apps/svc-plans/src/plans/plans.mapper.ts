import type { TPlan, TPlanSummary } from '@elasticdash/contracts/plans/plan';
import { planValidity } from './plan-validity.js';
import type { PlanWithLatest } from './plans.repository.js';

export function toPlanSummary({ plan, revision }: PlanWithLatest): TPlanSummary {
  return {
    id: plan.id,
    name: plan.name,
    revision: plan.latestRevision,
    updatedAt: plan.updatedAt.toISOString(),
    updatedBy: revision.createdByEmail,
    valid: planValidity(revision.document).valid,
  };
}

export function toPlan({ plan, revision }: PlanWithLatest): TPlan {
  const validity = planValidity(revision.document);
  return {
    id: plan.id,
    name: plan.name,
    revision: plan.latestRevision,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
    updatedBy: revision.createdByEmail,
    valid: validity.valid,
    document: revision.document,
    validity,
  };
}

'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  ZListPlanRevisionsResponse,
  ZListPlansResponse,
  ZPlanDiffResponse,
  ZPlanResponse,
  type TPlan,
} from '@elasticdash/contracts/plans/plan';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { api, isApiError } from '@/lib/api';
import { queryKeys } from '@/lib/queries';

/** Under ['tenant', tenantId] like every workspace-scoped key (one invalidation drops a workspace). */
export const planKeys = {
  all: (tenantId: string) => [...queryKeys.tenant(tenantId), 'plans'] as const,
  plan: (tenantId: string, planId: string) => [...planKeys.all(tenantId), planId] as const,
  revisions: (tenantId: string, planId: string) => [...planKeys.plan(tenantId, planId), 'revisions'] as const,
  diff: (tenantId: string, planId: string, from: number, to: number) =>
    [...planKeys.plan(tenantId, planId), 'diff', from, to] as const,
};

export function usePlans(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: planKeys.all(tenantId),
    queryFn: ({ signal }) => api('/v1/plans', { schema: ZListPlansResponse, tenantId, signal }),
    select: (data) => data.plans,
    enabled,
  });
}

export function usePlan(tenantId: string, planId: string | null) {
  return useQuery({
    queryKey: planKeys.plan(tenantId, planId ?? 'new'),
    queryFn: ({ signal }) => api(`/v1/plans/${planId}`, { schema: ZPlanResponse, tenantId, signal }),
    select: (data) => data.plan,
    enabled: planId !== null,
    // The editor starts from the plan as it is now (never a cached copy), then owns its copy:
    // refetching on focus must not look like someone's save (saves are checked by revision).
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
  });
}

export function usePlanRevisions(tenantId: string, planId: string, enabled: boolean) {
  return useQuery({
    queryKey: planKeys.revisions(tenantId, planId),
    queryFn: ({ signal }) =>
      api(`/v1/plans/${planId}/revisions`, { schema: ZListPlanRevisionsResponse, tenantId, signal }),
    select: (data) => [...data.revisions].sort((a, b) => b.revision - a.revision),
    enabled,
  });
}

export function usePlanDiff(tenantId: string, planId: string, range: { from: number; to: number } | null) {
  return useQuery({
    queryKey: planKeys.diff(tenantId, planId, range?.from ?? 0, range?.to ?? 0),
    queryFn: ({ signal }) =>
      api(`/v1/plans/${planId}/diff?from=${range?.from ?? 0}&to=${range?.to ?? 0}`, {
        schema: ZPlanDiffResponse,
        tenantId,
        signal,
      }),
    enabled: range !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

/** A save refused because someone else saved first (409): carries their plan as it is now. */
export class PlanConflictError extends Error {
  constructor(readonly latest: TPlan) {
    super(`Someone else saved revision ${latest.revision} of this plan.`);
    this.name = 'PlanConflictError';
  }
}

/**
 * A 409 that names fields (`document.name`: the name is taken) is about the document; any other
 * 409 means the base revision is stale: fetch the plan as it is now for the conflict dialog.
 */
async function asConflict(error: unknown, tenantId: string, planId: string): Promise<unknown> {
  if (!isApiError(error, 409) || error.issues.length > 0) return error;
  const { plan: latest } = await api(`/v1/plans/${planId}`, { schema: ZPlanResponse, tenantId });
  return new PlanConflictError(latest);
}

export async function createPlan(tenantId: string, document: TCsJsonDocument): Promise<TPlan> {
  const { plan } = await api('/v1/plans', { method: 'POST', body: { document }, tenantId, schema: ZPlanResponse });
  return plan;
}

/**
 * PUT with the revision the edit started from. A 409 means a newer revision exists; the plan as
 * it is now is fetched so the conflict dialog can show it (and a diff against mine).
 */
export async function updatePlan(
  tenantId: string,
  planId: string,
  baseRevision: number,
  document: TCsJsonDocument,
): Promise<TPlan> {
  try {
    const { plan } = await api(`/v1/plans/${planId}`, {
      method: 'PUT',
      body: { baseRevision, document },
      tenantId,
      schema: ZPlanResponse,
    });
    return plan;
  } catch (error) {
    throw await asConflict(error, tenantId, planId);
  }
}

export async function restorePlanRevision(
  tenantId: string,
  planId: string,
  revision: number,
  baseRevision: number,
): Promise<TPlan> {
  try {
    const { plan } = await api(`/v1/plans/${planId}/revisions/${revision}/restore`, {
      method: 'POST',
      body: { baseRevision },
      tenantId,
      schema: ZPlanResponse,
    });
    return plan;
  } catch (error) {
    throw await asConflict(error, tenantId, planId);
  }
}

export async function importPlan(tenantId: string, document: unknown): Promise<TPlan> {
  const { plan } = await api('/v1/plans/import', {
    method: 'POST',
    body: { document },
    tenantId,
    schema: ZPlanResponse,
  });
  return plan;
}

export async function deletePlan(tenantId: string, planId: string): Promise<void> {
  await api(`/v1/plans/${planId}`, { method: 'DELETE', tenantId });
}

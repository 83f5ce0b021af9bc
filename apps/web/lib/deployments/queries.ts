'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  ZDeploymentBusyDetails,
  ZDeploymentCredentialsResponse,
  ZDeploymentResponse,
  ZListDeploymentEventsResponse,
  ZListDeploymentsResponse,
  type TDeployment,
  type TDeploymentCredentialsResponse,
  type TDeploymentOperation,
  type TDeployTargetKind,
} from '@elasticdash/contracts/deployer/deployment';
import { type TOpenInDataResponse, ZOpenInDataResponse } from '@elasticdash/contracts/deployer/data-connection';
import { CSRF_HEADER, TENANT_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';
import { api, ApiError, CSRF_COOKIE, isApiError, readCookie } from '@/lib/api';
import { deploymentKeys, mergeLog, type TLogEntry } from './cache';

/** Every deployment of the workspace (the plans list colours), by plan id. */
export function useDeployments(tenantId: string) {
  return useQuery({
    queryKey: deploymentKeys.list(tenantId),
    queryFn: ({ signal }) => api('/v1/deployments', { schema: ZListDeploymentsResponse, tenantId, signal }),
    select: (data) => new Map(data.deployments.map((deployment) => [deployment.planId, deployment])),
  });
}

/** The plan's deployment; null when it was never deployed (404). */
export function useDeployment(tenantId: string, planId: string | null) {
  return useQuery({
    queryKey: deploymentKeys.detail(tenantId, planId ?? 'new'),
    queryFn: async ({ signal }): Promise<TDeployment | null> => {
      try {
        const { deployment } = await api(`/v1/plans/${planId}/deployment`, {
          schema: ZDeploymentResponse,
          tenantId,
          signal,
        });
        return deployment;
      } catch (error) {
        if (isApiError(error, 404)) return null;
        throw error;
      }
    },
    enabled: planId !== null,
  });
}

/**
 * The step log: the stored events merged with the steps that arrived live meanwhile (kept when
 * no fetched record covers them yet). Null when the plan was never deployed.
 */
export function useDeploymentEvents(tenantId: string, planId: string | null, enabled: boolean) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: deploymentKeys.events(tenantId, planId ?? 'new'),
    queryFn: async ({ signal }): Promise<TLogEntry[] | null> => {
      try {
        const { events } = await api(`/v1/plans/${planId}/deployment/events`, {
          schema: ZListDeploymentEventsResponse,
          tenantId,
          signal,
        });
        const current = queryClient.getQueryData<TLogEntry[] | null>(deploymentKeys.events(tenantId, planId ?? 'new'));
        return mergeLog(events, current);
      } catch (error) {
        if (isApiError(error, 404)) return null;
        throw error;
      }
    },
    enabled: enabled && planId !== null,
    staleTime: 5_000,
  });
}

const ZDestructiveDetails = z.object({
  changes: z.array(
    z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional(), reason: z.string() }),
  ),
});
export type TDestructiveChange = z.infer<typeof ZDestructiveDetails>['changes'][number];

/** An API error that keeps the `details` of the body (the deployer's 409s carry what to show). */
export class DeployerError extends ApiError {
  constructor(
    base: ApiError,
    readonly details: unknown,
  ) {
    super(base.status, base.code, base.message, base.issues, base.retryAfterSeconds, base.requestId);
    this.name = 'DeployerError';
  }

  /** 409 `destructive_change`: the changes that would replace the server or lose its data. */
  get destructiveChanges(): TDestructiveChange[] | null {
    if (this.status !== 409 || this.code !== 'destructive_change') return null;
    const parsed = ZDestructiveDetails.safeParse(this.details);
    return parsed.success ? parsed.data.changes : [];
  }

  /** 409 `deployment_busy`: the operation in the way. */
  get busyOperation(): TDeploymentOperation | null {
    if (this.status !== 409 || this.code !== 'deployment_busy') return null;
    const parsed = ZDeploymentBusyDetails.safeParse(this.details);
    return parsed.success ? parsed.data.operation : null;
  }
}

interface TErrorBody {
  code?: unknown;
  message?: unknown;
  details?: unknown;
  requestId?: unknown;
}

function issuesOf(details: unknown): { path: string; message: string }[] {
  const parsed = z
    .object({ issues: z.array(z.object({ path: z.string().optional(), message: z.string() })) })
    .safeParse(details);
  return parsed.success
    ? parsed.data.issues.map((issue) => ({ path: issue.path ?? '(root)', message: issue.message }))
    : [];
}

/**
 * A state-changing deployer call with `api()`'s rules (same origin, CSRF header, x-tenant-id,
 * 401 → login) that keeps the error's `details`: the deployer's 409s say what is in the way.
 */
async function deployerPost<T>(tenantId: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
    [TENANT_ID_HEADER]: tenantId,
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach ElasticDash. Check your connection and try again.');
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(response.status, 'bad_response', 'The server sent an unexpected answer.');
    return parsed.data;
  }
  if (response.status === 401) {
    const here = window.location.pathname + window.location.search;
    window.location.assign(`/login?next=${encodeURIComponent(here)}`);
  }
  const error: TErrorBody =
    json && typeof json === 'object' && 'error' in json && json.error && typeof json.error === 'object'
      ? (json.error as TErrorBody)
      : {};
  const fallback =
    response.status === 403
      ? 'You do not have permission to do that.'
      : response.status >= 500
        ? 'The service is unavailable. Try again in a moment.'
        : `Request failed (${response.status}).`;
  throw new DeployerError(
    new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : `http_${response.status}`,
      typeof error.message === 'string' ? error.message : fallback,
      issuesOf(error.details),
      null,
      typeof error.requestId === 'string' ? error.requestId : response.headers.get('x-request-id'),
    ),
    error.details ?? null,
  );
}

export async function deployPlan(
  tenantId: string,
  planId: string,
  options: { target: TDeployTargetKind; revision?: number; confirmDestructive?: boolean },
): Promise<TDeployment> {
  const { deployment } = await deployerPost(
    tenantId,
    `/v1/plans/${planId}/deploy`,
    { target: options.target, revision: options.revision, confirmDestructive: options.confirmDestructive ?? false },
    ZDeploymentResponse,
  );
  return deployment;
}

export async function destroyDeployment(
  tenantId: string,
  planId: string,
  confirmPlanName: string,
): Promise<TDeployment> {
  const { deployment } = await deployerPost(
    tenantId,
    `/v1/plans/${planId}/deployment/destroy`,
    { confirmPlanName },
    ZDeploymentResponse,
  );
  return deployment;
}

/** Reveals the admin password (audited on the server): never cached, never refetched. */
export function revealCredentials(tenantId: string, planId: string): Promise<TDeploymentCredentialsResponse> {
  return api(`/v1/plans/${planId}/deployment/credentials`, {
    method: 'POST',
    tenantId,
    schema: ZDeploymentCredentialsResponse,
  });
}

/** Registers the deployed database as a Data connection (once; later calls return the same one). */
export function openInData(tenantId: string, planId: string): Promise<TOpenInDataResponse> {
  return api(`/v1/plans/${planId}/deployment/open-in-data`, {
    method: 'POST',
    tenantId,
    schema: ZOpenInDataResponse,
  });
}

'use client';

import { useQuery } from '@tanstack/react-query';
import { CSRF_HEADER, TENANT_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';
import { ZCatalogResponse } from '@elasticdash/contracts/data/catalog';
import { ZConnectionResponse, ZListConnectionsResponse } from '@elasticdash/contracts/data/connection';
import {
  ZRowConflictDetails,
  ZRowResponse,
  type TRowConflictDetails,
  type TRowResponse,
  type TUpdateRowRequest,
} from '@elasticdash/contracts/data/rows';
import { api, ApiError, CSRF_COOKIE, readCookie, type TFieldError } from '@/lib/api';

/** Query keys of the Data product, under the workspace (one invalidation drops them all). */
export const dataKeys = {
  connections: (tenantId: string) => ['tenant', tenantId, 'connections'] as const,
  connection: (tenantId: string, connectionId: string) => ['tenant', tenantId, 'connections', connectionId] as const,
  catalog: (tenantId: string, connectionId: string) =>
    ['tenant', tenantId, 'connections', connectionId, 'catalog'] as const,
  rowsOfTable: (tenantId: string, connectionId: string, schema: string, table: string) =>
    ['tenant', tenantId, 'connections', connectionId, 'rows', schema, table] as const,
  rows: (tenantId: string, connectionId: string, schema: string, table: string, view: string) =>
    ['tenant', tenantId, 'connections', connectionId, 'rows', schema, table, view] as const,
};

export function connectionPath(connectionId: string, rest = ''): string {
  return `/connections/${encodeURIComponent(connectionId)}${rest}`;
}

export function useConnections(tenantId: string) {
  return useQuery({
    queryKey: dataKeys.connections(tenantId),
    queryFn: ({ signal }) => api('/connections', { schema: ZListConnectionsResponse, tenantId, signal }),
    select: (data) => data.connections,
  });
}

export function useConnection(tenantId: string, connectionId: string) {
  return useQuery({
    queryKey: dataKeys.connection(tenantId, connectionId),
    queryFn: ({ signal }) => api(connectionPath(connectionId), { schema: ZConnectionResponse, tenantId, signal }),
    select: (data) => data.connection,
  });
}

/** The catalog rarely changes: it is kept for 5 minutes and refreshed on demand. */
export function useCatalog(tenantId: string, connectionId: string) {
  return useQuery({
    queryKey: dataKeys.catalog(tenantId, connectionId),
    queryFn: ({ signal }) =>
      api(connectionPath(connectionId, '/catalog'), { schema: ZCatalogResponse, tenantId, signal }),
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
  });
}

/** 409 on an update: the row changed since it was loaded (`current` null: it was deleted). */
export class RowConflictError extends ApiError {
  constructor(
    message: string,
    readonly details: TRowConflictDetails,
    requestId: string | null,
  ) {
    super(409, 'conflict', message, [], null, requestId);
    this.name = 'RowConflictError';
  }
}

function parseIssues(details: unknown): TFieldError[] {
  if (!details || typeof details !== 'object' || !('issues' in details)) return [];
  const issues = (details as { issues: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) => {
    if (!issue || typeof issue !== 'object') return [];
    const { path, message } = issue as { path?: unknown; message?: unknown };
    return typeof message === 'string' ? [{ path: typeof path === 'string' ? path : '(root)', message }] : [];
  });
}

/** Like lib/api's error handling, but keeps `details` (the conflict's current row). */
async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON
  }
  const error =
    body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object'
      ? (body.error as { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown })
      : null;
  const requestId = typeof error?.requestId === 'string' ? error.requestId : response.headers.get('x-request-id');
  const message =
    typeof error?.message === 'string'
      ? error.message
      : response.status === 403
        ? 'You do not have permission to do that.'
        : response.status >= 500
          ? 'The service is unavailable. Try again in a moment.'
          : `Request failed (${response.status}).`;
  if (response.status === 409) {
    const details = ZRowConflictDetails.safeParse(error?.details);
    if (details.success) return new RowConflictError(message, details.data, requestId);
  }
  if (response.status === 401 && typeof window !== 'undefined') {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    message,
    parseIssues(error?.details),
    null,
    requestId,
  );
}

function headersFor(tenantId: string, write: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', [TENANT_ID_HEADER]: tenantId };
  if (write) {
    headers['content-type'] = 'application/json';
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  return headers;
}

/** Updates cells of a row with the conflict check; throws RowConflictError on 409. */
export async function updateRow(
  tenantId: string,
  connectionId: string,
  body: TUpdateRowRequest,
  signal?: AbortSignal,
): Promise<TRowResponse> {
  let response: Response;
  try {
    response = await fetch(`/api${connectionPath(connectionId, '/rows/update')}`, {
      method: 'POST',
      headers: headersFor(tenantId, true),
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Cannot reach ElasticDash. Check your connection and try again.');
  }
  if (!response.ok) throw await errorOf(response);
  const parsed = ZRowResponse.safeParse(await response.json());
  if (!parsed.success) throw new ApiError(response.status, 'bad_response', 'The server sent an unexpected answer.');
  return parsed.data;
}

/** Starts the CSV export; the caller reads the body stream. */
export async function startExport(
  tenantId: string,
  connectionId: string,
  viewParam: string,
  signal: AbortSignal,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api${connectionPath(connectionId, '/export')}?view=${encodeURIComponent(viewParam)}`, {
      headers: { ...headersFor(tenantId, false), accept: 'text/csv' },
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Cannot reach ElasticDash. Check your connection and try again.');
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** Server field issues on a write (`changes.price`, `values.email`) → column → message. */
export function columnIssues(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const match = /^(?:changes|values|expected)\.([^.]+)/.exec(issue.path);
    if (match?.[1]) out[match[1]] ??= issue.message;
  }
  return out;
}

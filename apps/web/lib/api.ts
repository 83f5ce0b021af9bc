import type { z } from 'zod';
import { CSRF_HEADER, TENANT_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';

export interface TFieldError {
  path: string;
  message: string;
}

/** Any failed call: HTTP errors from the gateway's error body, network failures, bad bodies. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: TFieldError[] = [],
    readonly retryAfterSeconds: number | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** A message fit for a toast or an alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export const CSRF_COOKIE = 'ed_csrf';

/** True when this browser probably has a session (the csrf cookie lives exactly as long). */
export function hasSessionHint(): boolean {
  return readCookie(CSRF_COOKIE) !== null;
}

export interface ApiOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sends `x-tenant-id`: the workspace of the page making the call (never a global). */
  tenantId?: string;
  /** Validates the response body; calls answering 204 need none. */
  schema?: z.ZodType<T>;
  /** Sessions that expired send the user to /login (default); public forms want the error. */
  redirectOn401?: boolean;
  signal?: AbortSignal;
}

function loginUrlForHere(): string {
  const here = window.location.pathname + window.location.search;
  return `/login?next=${encodeURIComponent(here)}`;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
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

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy error page or an empty body
  }
  const error =
    body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object'
      ? (body.error as { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown })
      : null;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  let message = typeof error?.message === 'string' ? error.message : defaultMessage(response.status);
  if (response.status === 429) {
    message = retryAfter ? `Too many requests. Try again in ${retryAfter} s.` : 'Too many requests. Try again shortly.';
  }
  return new ApiError(
    response.status,
    code,
    message,
    parseIssues(error?.details),
    retryAfter,
    typeof error?.requestId === 'string' ? error.requestId : response.headers.get('x-request-id'),
  );
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'The service is unavailable. Try again in a moment.';
  return `Request failed (${status}).`;
}

/**
 * The one way the browser calls the platform: same-origin `/api/...`, cookies included,
 * `x-csrf-token` on every state-changing request, `x-tenant-id` when the page is in a workspace.
 */
export async function api<T = void>(path: string, options: ApiOptions<T> = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  if (options.tenantId) headers[TENANT_ID_HEADER] = options.tenantId;

  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Cannot reach ElasticDash. Check your connection and try again.');
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && options.redirectOn401 !== false && typeof window !== 'undefined') {
      window.location.assign(loginUrlForHere());
    }
    throw error;
  }
  if (response.status === 204 || !options.schema) return undefined as T;

  const json: unknown = await response.json();
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(response.status, 'bad_response', 'The server sent an unexpected answer.');
  }
  return parsed.data;
}

/** Accepts only same-site relative paths as a post-login destination. */
export function safeNextPath(next: string | null | undefined, fallback = '/app'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

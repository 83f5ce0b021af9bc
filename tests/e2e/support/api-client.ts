import { randomUUID } from 'node:crypto';
import type { TErrorResponse } from '@elasticdash/contracts/platform/errors';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A browser-like API client for the gateway: keeps cookies, sends the CSRF header on writes
 * and the active workspace as x-tenant-id, like the web app does.
 */
export class ApiClient {
  private readonly cookies = new Map<string, string>();
  tenantId: string | null = null;

  constructor(
    readonly baseUrl: string,
    readonly origin: string,
  ) {}

  get csrfToken(): string | undefined {
    return this.cookies.get('ed_csrf');
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get('ed_session');
  }

  clone(): ApiClient {
    const copy = new ApiClient(this.baseUrl, this.origin);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    copy.tenantId = this.tenantId;
    return copy;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; csrf?: boolean; tenantId?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { origin: this.origin, ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (method !== 'GET' && options.csrf !== false && this.csrfToken && !headers['x-csrf-token']) {
      headers['x-csrf-token'] = this.csrfToken;
    }
    const tenantId = options.tenantId === undefined ? this.tenantId : options.tenantId;
    if (tenantId) headers['x-tenant-id'] = tenantId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      const expired = attributes.some((attribute) => /max-age=0|expires=thu, 01 jan 1970/i.test(attribute.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  get<T = unknown>(path: string, options?: { headers?: Record<string, string>; tenantId?: string | null }) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = unknown>(
    path: string,
    body?: unknown,
    options?: { headers?: Record<string, string>; csrf?: boolean; tenantId?: string | null },
  ) {
    return this.request<T>('POST', path, body, options);
  }
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export const TEST_PASSWORD = 'correct-horse-battery-9';

/** Signs a new user up; the client then carries their session. */
export async function signUp(client: ApiClient, label: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(label);
  const response = await client.post<{ user: { id: string; email: string } }>('/api/auth/signup', {
    email,
    name: `${label} user`,
    password: TEST_PASSWORD,
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.user;
}

export async function createTenant(client: ApiClient, name: string): Promise<string> {
  const response = await client.post<{ tenant: { id: string } }>('/api/tenants', { name });
  if (response.status !== 201)
    throw new Error(`create tenant failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.tenant.id;
}

export function errorOf(response: ApiResponse): TErrorResponse['error'] {
  return (response.body as TErrorResponse).error;
}

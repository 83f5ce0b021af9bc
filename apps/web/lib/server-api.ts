import { cookies } from 'next/headers';
import type { z } from 'zod';
import { TENANT_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';

/**
 * Server components only: a GET to the gateway on behalf of the visitor (their cookies
 * forwarded), used to render the signed-in shell with data in the first HTML. Returns null on
 * any failure; the client then fetches as usual, so this only ever makes pages faster.
 */
export async function serverGet<T>(path: string, schema: z.ZodType<T>, tenantId?: string): Promise<T | null> {
  const jar = await cookies();
  if (jar.size === 0) return null;
  const headers: Record<string, string> = {
    accept: 'application/json',
    cookie: jar
      .getAll()
      .map(({ name, value }) => `${name}=${encodeURIComponent(value)}`)
      .join('; '),
  };
  if (tenantId) headers[TENANT_ID_HEADER] = tenantId;
  const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
  try {
    const response = await fetch(`${gateway}/api${path}`, {
      headers,
      cache: 'no-store',
      signal: AbortSignal.timeout(3000),
    });
    if (!response.ok) return null;
    const parsed = schema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

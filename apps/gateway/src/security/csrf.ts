import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * CSRF token for a session: derived from the session token, so it needs no storage and
 * rotates with the session. The browser reads it from the (non-httpOnly) csrf cookie and
 * echoes it in `x-csrf-token`; a cross-site page can neither read the cookie nor compute it.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export function csrfMatches(sessionToken: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

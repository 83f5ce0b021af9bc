import { NextResponse, type NextRequest } from 'next/server';
import { securityHeaders } from './lib/security/headers';

/**
 * 1. `/api/*` goes to the gateway (same origin for the browser, so cookies and CSRF stay
 *    simple). This is done here rather than with `rewrites` in next.config because Next bakes
 *    config rewrites into the build: GATEWAY_URL must be read when `next start` runs, so one
 *    build serves dev, tests (random ports) and production.
 * 2. `/app/*` without a session cookie redirects to /login before any HTML is sent. The
 *    cookie is only a hint: the gateway still decides, and a 401 on the page also redirects.
 * 3. Every page gets the security headers (CSP with the S3 upload origin read from the
 *    environment at request time, nosniff, frame-ancestors 'none', HSTS in production); API
 *    answers carry the gateway's own.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  if (pathname === '/api' || pathname.startsWith('/api/')) {
    const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
    return NextResponse.rewrite(new URL(`${pathname}${search}`, gateway));
  }

  const sessionCookie = process.env.SESSION_COOKIE_NAME ?? 'ed_session';
  const isApp = pathname === '/app' || pathname.startsWith('/app/');
  if (isApp && !request.cookies.has(sessionCookie)) {
    const login = request.nextUrl.clone();
    login.pathname = '/login';
    login.search = `?next=${encodeURIComponent(`${pathname}${search}`)}`;
    return withSecurityHeaders(NextResponse.redirect(login));
  }
  return withSecurityHeaders(NextResponse.next());
}

function withSecurityHeaders(response: NextResponse): NextResponse {
  for (const [name, value] of Object.entries(securityHeaders(process.env))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but Next's immutable build assets (they get nosniff from next.config.ts).
  matcher: ['/((?!_next/static|_next/image).*)'],
};

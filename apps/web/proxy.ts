import { NextResponse, type NextRequest } from 'next/server';

/**
 * 1. `/api/*` goes to the gateway (same origin for the browser, so cookies and CSRF stay
 *    simple). This is done here rather than with `rewrites` in next.config because Next bakes
 *    config rewrites into the build: GATEWAY_URL must be read when `next start` runs, so one
 *    build serves dev, tests (random ports) and production.
 * 2. `/app/*` without a session cookie redirects to /login before any HTML is sent. The
 *    cookie is only a hint: the gateway still decides, and a 401 on the page also redirects.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  if (pathname === '/api' || pathname.startsWith('/api/')) {
    const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
    return NextResponse.rewrite(new URL(`${pathname}${search}`, gateway));
  }

  const sessionCookie = process.env.SESSION_COOKIE_NAME ?? 'ed_session';
  if (!request.cookies.has(sessionCookie)) {
    const login = request.nextUrl.clone();
    login.pathname = '/login';
    login.search = `?next=${encodeURIComponent(`${pathname}${search}`)}`;
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
}

export const config = {
  matcher: ['/api', '/api/:path*', '/app', '/app/:path*'],
};

/**
 * Security headers of every page the web app serves (set in proxy.ts at request time, because
 * the S3 endpoint browsers upload to is only known from the environment of `next start`).
 *
 * script-src needs 'unsafe-inline': the App Router streams its RSC payload as inline
 * `<script>self.__next_f.push(…)</script>` tags and the root layout has an inline theme script
 * (no flash of the wrong theme). A nonce would avoid it, but Next then renders every page
 * dynamically (no static pages, no caching) — a cost not worth it while no user-supplied HTML is
 * ever rendered (React escapes text). 'unsafe-eval' is only allowed for `next dev` (React
 * Refresh); production and test builds run without it.
 */
export interface TSecurityHeaderEnv {
  NODE_ENV?: string;
  S3_ENDPOINT?: string;
  S3_PUBLIC_ENDPOINT?: string;
  S3_BUCKET?: string;
  S3_REGION?: string;
}

/** The origin browsers PUT presigned uploads to (S3_PUBLIC_ENDPOINT, S3_ENDPOINT, or AWS S3). */
export function uploadOrigins(env: TSecurityHeaderEnv): string[] {
  const endpoint = env.S3_PUBLIC_ENDPOINT || env.S3_ENDPOINT;
  if (endpoint) {
    try {
      return [new URL(endpoint).origin];
    } catch {
      return [];
    }
  }
  const region = env.S3_REGION || 'us-east-1';
  // AWS virtual-hosted style: <bucket>.s3.<region>.amazonaws.com (and the legacy global name).
  return [`https://*.s3.${region}.amazonaws.com`, 'https://*.s3.amazonaws.com'];
}

export function contentSecurityPolicy(env: TSecurityHeaderEnv): string {
  const dev = env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...uploadOrigins(env)].join(' ')}`,
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export function securityHeaders(env: TSecurityHeaderEnv): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(env),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  // HSTS only where the site is served over HTTPS (production); never on dev/test http origins.
  if (env.NODE_ENV === 'production') headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}

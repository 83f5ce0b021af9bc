import type { FastifyInstance } from 'fastify';

/**
 * Headers on every gateway answer. API answers are JSON (or CSV, SSE): nothing in them may run,
 * be framed or be sniffed into HTML, so the CSP allows nothing at all. Only the Swagger UI page
 * (/api/docs) loads its own scripts and styles (Swagger UI sets inline styles).
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

function headerSet(csp: string, nodeEnv: string): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
    // Only where the gateway is reached over HTTPS; dev and test run on plain http.
    ...(nodeEnv === 'production' ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  });
}

function isDocsPath(url: string): boolean {
  return url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs?');
}

export function securityHeadersFor(url: string, nodeEnv: string): Readonly<Record<string, string>> {
  return headerSet(isDocsPath(url) ? DOCS_CSP : API_CSP, nodeEnv);
}

/**
 * Sets the headers before anything is sent, for every route (proxied, own, errors, 404). On the
 * proxy's hot path: the two header sets are built once, and the hook is synchronous.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, nodeEnv: string): void {
  const api = headerSet(API_CSP, nodeEnv);
  const docs = headerSet(DOCS_CSP, nodeEnv);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(isDocsPath(request.url) ? docs : api);
    done();
  });
}

import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders, uploadOrigins } from '../../apps/web/lib/security/headers.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('web security headers', () => {
  it('CSP: self only, S3 upload origin for connect-src, no framing, no plugins, no base tricks', () => {
    const csp = directives(contentSecurityPolicy({ NODE_ENV: 'production', S3_ENDPOINT: 'http://127.0.0.1:4569' }));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4569']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
  });

  it('the public S3 endpoint wins over the internal one; AWS S3 when neither is set', () => {
    expect(uploadOrigins({ S3_ENDPOINT: 'http://minio:9000', S3_PUBLIC_ENDPOINT: 'http://localhost:9000/x' })).toEqual([
      'http://localhost:9000',
    ]);
    expect(uploadOrigins({ S3_REGION: 'eu-west-1' })).toEqual([
      'https://*.s3.eu-west-1.amazonaws.com',
      'https://*.s3.amazonaws.com',
    ]);
  });

  it("'unsafe-eval' only for next dev; HSTS only in production", () => {
    expect(directives(contentSecurityPolicy({ NODE_ENV: 'development' })).get('script-src')).toContain("'unsafe-eval'");
    expect(securityHeaders({ NODE_ENV: 'production' })['Strict-Transport-Security']).toMatch(/max-age=\d+/);
    expect(securityHeaders({ NODE_ENV: 'test' })).not.toHaveProperty('Strict-Transport-Security');
    expect(securityHeaders({ NODE_ENV: 'test' })['X-Content-Type-Options']).toBe('nosniff');
  });
});

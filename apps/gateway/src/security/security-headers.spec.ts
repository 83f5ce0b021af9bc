import { describe, expect, it } from 'vitest';
import { sessionCookieOptions } from '../auth/auth.routes.js';
import { securityHeadersFor } from './security-headers.js';

describe('gateway security headers', () => {
  it('API answers allow nothing to run or frame them, and are never sniffed', () => {
    const headers = securityHeadersFor('/api/members?x=1', 'test');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
  });

  it('Swagger UI may load its own scripts, nothing else', () => {
    const csp = securityHeadersFor('/api/docs', 'test')['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('HSTS only in production', () => {
    expect(securityHeadersFor('/api/me', 'production')['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    for (const env of ['development', 'test']) {
      expect(securityHeadersFor('/api/me', env)).not.toHaveProperty('strict-transport-security');
    }
  });
});

describe('session cookie options', () => {
  it('HttpOnly session, readable CSRF cookie, SameSite=Lax on /, max-age = TTL', () => {
    const { session, csrf } = sessionCookieOptions('test', 30);
    expect(session).toEqual({ httpOnly: true, sameSite: 'lax', secure: false, path: '/', maxAge: 30 * 86_400 });
    expect(csrf).toMatchObject({ httpOnly: false, sameSite: 'lax', path: '/' });
  });

  it('Secure when NODE_ENV=production, and only then', () => {
    expect(sessionCookieOptions('production', 1).session.secure).toBe(true);
    expect(sessionCookieOptions('production', 1).csrf.secure).toBe(true);
    expect(sessionCookieOptions('development', 1).session.secure).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { createWorkspaceWithApi, launchBrowser, newContext, signUpWithApi } from '../web/browser.js';
import { attackSuite } from './support/report.js';

/**
 * Response headers of the gateway (API JSON, errors, Swagger UI) and of the web app's pages,
 * and a real browser loading the app's pages under that CSP without a single violation.
 * The production-only parts (HSTS, Secure cookies, no 'unsafe-eval' outside `next dev`) are
 * unit-tested where they are decided: apps/gateway/src/security/security-headers.spec.ts and
 * tests/unit/web-security-headers.test.ts.
 */
const gatewayUrl = inject('gatewayUrl');
const webUrl = inject('webUrl');
const stackEnv = inject('stackEnv');
const attack = attackSuite('Headers');

function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? '').split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('security headers', () => {
  attack(
    'Gateway answers: sniffing, framing, scripts',
    'GET of a 200, a 401, a 404 and an error through the gateway, and of Swagger UI (/api/docs)',
    async () => {
      const checked: string[] = [];
      for (const path of ['/api/openapi.json', '/api/me', '/api/definitely-not-a-route', '/api/docs']) {
        const response = await fetch(gatewayUrl + path);
        const csp = directives(response.headers.get('content-security-policy'));
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(response.headers.get('referrer-policy'), path).toBeTruthy();
        expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
        if (path !== '/api/docs') expect(csp.get('default-src'), path).toEqual(["'none'"]);
        expect(
          response.headers.get('strict-transport-security'),
          `${path}: no HSTS on http (NODE_ENV=test)`,
        ).toBeNull();
        checked.push(`${path} ${response.status}`);
      }
      return `${checked.join(', ')}: CSP (default-src 'none', frame-ancestors 'none'), nosniff, Referrer-Policy; no HSTS outside production`;
    },
  );

  attack(
    'Web pages: CSP, sniffing, framing',
    'GET of /, /login, /signup and /app (redirect) from the web app; CSP directives parsed',
    async () => {
      const s3Origin = new URL(stackEnv.S3_PUBLIC_ENDPOINT || stackEnv.S3_ENDPOINT || '').origin;
      for (const path of ['/', '/login', '/signup', '/app']) {
        const response = await fetch(webUrl + path, { redirect: 'manual' });
        const csp = directives(response.headers.get('content-security-policy'));
        expect(csp.get('default-src'), path).toEqual(["'self'"]);
        expect(csp.get('script-src'), path).not.toContain("'unsafe-eval'");
        expect(csp.get('connect-src'), path).toEqual(["'self'", s3Origin]);
        expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
        expect(csp.get('object-src'), path).toEqual(["'none'"]);
        expect(csp.get('base-uri'), path).toEqual(["'self'"]);
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(response.headers.get('referrer-policy'), path).toBeTruthy();
        expect(response.headers.get('strict-transport-security'), path).toBeNull();
      }
      return `CSP default-src 'self', connect-src 'self' + S3 (${s3Origin}), frame-ancestors/object-src 'none', base-uri 'self', no 'unsafe-eval'; nosniff; no HSTS outside production`;
    },
  );

  attack(
    'The app under its CSP',
    'Chromium signs up, opens every section of a workspace and records CSP violations and page errors',
    async () => {
      const context = await newContext(browser, webUrl);
      const violations: string[] = [];
      context.on('page', (page) =>
        page.on('console', (message) => {
          if (/content security policy/i.test(message.text())) violations.push(message.text());
        }),
      );
      await signUpWithApi(context, webUrl, 'csp');
      const tenantId = await createWorkspaceWithApi(context, webUrl, 'CSP workspace');
      const page = await context.newPage();
      await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          (window as unknown as { __cspViolation: (text: string) => void }).__cspViolation(
            `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
          );
        });
      });
      for (const section of [
        '',
        '/data',
        '/datasets',
        '/dashboards',
        '/plans',
        '/plans/new',
        '/members',
        '/settings',
      ]) {
        // Not 'networkidle': the app keeps its live-events stream (/api/events) open.
        await page.goto(`/app/${tenantId}${section}`, { waitUntil: 'load' });
        await page.locator('main').first().waitFor();
        await page.waitForTimeout(300);
      }
      await context.close();
      expect(violations).toEqual([]);
      expect(context.pageErrors).toEqual([]);
      return '8 workspace pages loaded with zero CSP violations and zero page errors';
    },
  );
});

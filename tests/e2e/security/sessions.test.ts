import { randomBytes, randomUUID } from 'node:crypto';
import { ROUTES, type TRouteDef } from '@elasticdash/contracts/platform/routes';
import { beforeAll, describe, expect, inject } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp, TEST_PASSWORD, uniqueEmail } from '../support/api-client.js';
import { attackSuite } from './support/report.js';

/**
 * Session attacks that platform/gateway-edges.test.ts does not already cover (it has: cookie
 * HttpOnly/SameSite, CSRF on one route, logout and "revoke this session" taking effect at once,
 * membership removal despite the cache). The Secure flag is asserted where it is decided
 * (apps/gateway/src/security/security-headers.spec.ts: `sessionCookieOptions`), since the e2e
 * platform runs with NODE_ENV=test over http.
 */
const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');
const attack = attackSuite('Sessions');

function cookieValue(setCookies: string[], name: string): string | undefined {
  return setCookies
    .find((cookie) => cookie.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);
}

/** A concrete path for a route: fresh ids (the refusal must come before any lookup). */
function concretePath(route: TRouteDef): string {
  return `/api${route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'token' ? 'x'.repeat(43) : randomUUID()))}`;
}

const stateChanging = ROUTES.filter((route) => route.method !== 'GET' && route.auth === 'session');

describe('sessions', () => {
  let victim: ApiClient;
  let victimEmail = '';
  let tenantId = '';

  beforeAll(async () => {
    victim = new ApiClient(gatewayUrl, origin);
    victimEmail = (await signUp(victim, 'sess-victim')).email;
    tenantId = await createTenant(victim, 'Session workspace');
    victim.tenantId = tenantId;
  });

  attack(
    'Session fixation: a planted session cookie is adopted at login',
    "the attacker plants their own valid session (and a made-up one) in the victim's cookie jar; the victim logs in",
    async () => {
      const attacker = new ApiClient(gatewayUrl, origin);
      await signUp(attacker, 'sess-attacker');
      const planted = attacker.sessionCookie ?? '';
      for (const cookie of [planted, randomBytes(32).toString('base64url')]) {
        const response = await fetch(`${gatewayUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, cookie: `ed_session=${cookie}` },
          body: JSON.stringify({ email: victimEmail, password: TEST_PASSWORD }),
        });
        expect(response.status).toBe(200);
        const issued = cookieValue(response.headers.getSetCookie(), 'ed_session');
        expect(issued).toBeDefined();
        expect(issued).not.toBe(cookie);
      }
      // The planted session still belongs to the attacker: it never became the victim's.
      const me = await attacker.get<{ user: { email: string } }>('/api/me');
      expect(me.body.user.email).not.toBe(victimEmail);
      return 'login always issues a new session token; the planted token stays the attacker’s own';
    },
  );

  attack(
    'Session and CSRF tokens rotate on every login',
    'the same user logs in twice; session and CSRF cookies are compared, and both sessions listed',
    async () => {
      const first = new ApiClient(gatewayUrl, origin);
      const second = new ApiClient(gatewayUrl, origin);
      expect((await first.post('/api/auth/login', { email: victimEmail, password: TEST_PASSWORD })).status).toBe(200);
      expect((await second.post('/api/auth/login', { email: victimEmail, password: TEST_PASSWORD })).status).toBe(200);
      expect(first.sessionCookie).not.toBe(second.sessionCookie);
      expect(first.csrfToken).not.toBe(second.csrfToken);
      // A CSRF token of one session does not work for another.
      const crossed = await first.post(
        '/api/tenants',
        { name: 'x' },
        { headers: { 'x-csrf-token': second.csrfToken! } },
      );
      expect(crossed.status).toBe(403);
      return 'new session and CSRF token per login; a CSRF token of another session → 403';
    },
  );

  attack(
    'Cookie flags',
    'Set-Cookie of a login is parsed: session HttpOnly, both SameSite=Lax, Path=/, Max-Age set; Secure decided by NODE_ENV (unit)',
    async () => {
      const response = await fetch(`${gatewayUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: victimEmail, password: TEST_PASSWORD }),
      });
      const cookies = response.headers.getSetCookie();
      const session = cookies.find((cookie) => cookie.startsWith('ed_session=')) ?? '';
      const csrf = cookies.find((cookie) => cookie.startsWith('ed_csrf=')) ?? '';
      for (const cookie of [session, csrf]) {
        expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
        expect(cookie).toMatch(/;\s*SameSite=Lax/i);
        expect(cookie).toMatch(/;\s*Max-Age=\d+/i);
        // The e2e platform runs NODE_ENV=test over http: Secure must not be set (it would drop the cookie).
        expect(cookie).not.toMatch(/;\s*Secure/i);
      }
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(csrf).not.toMatch(/HttpOnly/i);
      return 'session HttpOnly; both SameSite=Lax, Path=/, Max-Age; Secure only with NODE_ENV=production (unit test)';
    },
  );

  attack(
    'A password change revokes the other sessions at once',
    'a second session of the user is cached by the gateway; the user changes their password from the first',
    async () => {
      const first = new ApiClient(gatewayUrl, origin);
      const user = await signUp(first, 'sess-pw');
      const second = new ApiClient(gatewayUrl, origin);
      expect((await second.post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(200);
      expect((await second.get('/api/me')).status).toBe(200); // cached now
      const changed = await first.post('/api/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'another-horse-battery-10',
      });
      expect(changed.status).toBe(204);
      expect((await second.get('/api/me')).status).toBe(401);
      expect((await first.get('/api/me')).status).toBe(200);
      return 'the other session → 401 on its next request; the current one keeps working';
    },
  );

  attack(
    'CSRF on every state-changing cookie route',
    'every POST/PUT/PATCH/DELETE session route of ROUTES with a valid session cookie but: no x-csrf-token; a forged one; a foreign Origin',
    async () => {
      const failures: string[] = [];
      for (const route of stateChanging) {
        const path = concretePath(route);
        const body = route.body ? {} : undefined;
        const attempts = [
          ['missing', await victim.request(route.method, path, body, { csrf: false })],
          ['forged', await victim.request(route.method, path, body, { headers: { 'x-csrf-token': 'A'.repeat(43) } })],
          [
            'foreign origin',
            await victim.request(route.method, path, body, { headers: { origin: 'https://evil.example' } }),
          ],
        ] as const;
        for (const [kind, response] of attempts) {
          if (response.status !== 403 || errorOf(response).code !== 'csrf_failed') {
            failures.push(`${route.id} (${kind}) → ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(stateChanging.length).toBeGreaterThanOrEqual(30);
      return `${stateChanging.length} routes × 3 forgeries: every one 403 csrf_failed`;
    },
  );

  attack(
    'Login and signup from a foreign origin',
    'POST /api/auth/login and /api/auth/signup with Origin: https://evil.example (no session yet)',
    async () => {
      const anonymous = new ApiClient(gatewayUrl, 'https://evil.example');
      const login = await anonymous.post('/api/auth/login', { email: victimEmail, password: TEST_PASSWORD });
      const signup = await anonymous.post('/api/auth/signup', {
        email: uniqueEmail('evil'),
        name: 'Evil',
        password: TEST_PASSWORD,
      });
      expect([login.status, signup.status]).toEqual([403, 403]);
      expect(login.headers.getSetCookie()).toEqual([]);
      return 'both 403 csrf_failed, no cookie set';
    },
  );

  attack(
    'Brute-force login',
    'wrong passwords in a row for one existing and one unknown email (the per-IP limit is raised in e2e; it is covered by the gateway integration tests)',
    async () => {
      const owner = new ApiClient(gatewayUrl, origin);
      const target = (await signUp(owner, 'sess-brute')).email;
      const results: string[] = [];
      for (const email of [target, uniqueEmail('nobody')]) {
        const client = new ApiClient(gatewayUrl, origin);
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let attempt = 0; attempt < 7; attempt++) {
          const response = await client.post('/api/auth/login', { email, password: `wrong-${attempt}-password` });
          statuses.push(response.status);
          if (response.status === 429) retryAfter = response.headers.get('retry-after');
        }
        expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
        expect(statuses.at(-1)).toBe(429);
        expect(Number(retryAfter)).toBeGreaterThan(0);
        // Locked means locked: even the right password is refused until Retry-After.
        if (email === target) {
          const right = await client.post('/api/auth/login', { email, password: TEST_PASSWORD });
          expect(right.status).toBe(429);
        }
        results.push(statuses.join(','));
      }
      return `statuses per attempt: existing ${results[0]}; unknown ${results[1]}; 429 carries Retry-After, correct password refused while locked`;
    },
  );
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp, TEST_PASSWORD } from '../support/api-client.js';

const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');
const logDir = inject('logDir');
const env = inject('stackEnv');

async function waitForLog(app: string, needle: string): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const lines = readFileSync(path.join(logDir, `${app}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.includes(needle));
    if (lines.length > 0 || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('request ids', () => {
  it('returns the caller’s id and carries it into the gateway and service logs', async () => {
    const client = new ApiClient(gatewayUrl, origin);
    await signUp(client, 'reqid');
    client.tenantId = await createTenant(client, 'Request id workspace');
    const requestId = `e2e-${randomUUID()}`;
    const response = await client.get('/api/members', { headers: { 'x-request-id': requestId } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const gatewayLines = await waitForLog('gateway', requestId);
    const serviceLines = await waitForLog('svc-tenants', requestId);
    expect(gatewayLines.length).toBeGreaterThan(0);
    expect(serviceLines.length).toBeGreaterThan(0);
    for (const line of [...gatewayLines, ...serviceLines]) expect(JSON.parse(line).requestId).toBe(requestId);
  });

  it('replaces an unsafe id with a generated one', async () => {
    const response = await fetch(`${gatewayUrl}/api/me`, {
      headers: { 'x-request-id': 'bad id\nwith newline'.replace('\n', ' ') },
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('sessions and CSRF', () => {
  it('sets an httpOnly SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const response = await fetch(`${gatewayUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        email: `cookie-${randomUUID().slice(0, 8)}@example.test`,
        name: 'Cookie',
        password: TEST_PASSWORD,
      }),
    });
    expect(response.status).toBe(201);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith('ed_session='));
    const csrf = cookies.find((cookie) => cookie.startsWith('ed_csrf='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain(session?.split(';')[0]?.split('=')[1]);
  });

  it('refuses a cookie-authenticated write without the CSRF header, or from a foreign origin', async () => {
    const client = new ApiClient(gatewayUrl, origin);
    await signUp(client, 'csrf');
    const missing = await client.post('/api/tenants', { name: 'No csrf' }, { csrf: false });
    expect(missing.status).toBe(403);
    expect(errorOf(missing).code).toBe('csrf_failed');
    const forged = await client.post('/api/tenants', { name: 'Forged' }, { headers: { 'x-csrf-token': 'forged' } });
    expect(forged.status).toBe(403);
    const foreign = await client.post(
      '/api/tenants',
      { name: 'Foreign' },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign).message).toContain('https://evil.example');
    expect((await client.post('/api/tenants', { name: 'With csrf' })).status).toBe(201);
  });

  it('logout revokes the session at once, even for a copy of the cookie', async () => {
    const client = new ApiClient(gatewayUrl, origin);
    await signUp(client, 'logout');
    const stolen = client.clone();
    expect((await stolen.get('/api/me')).status).toBe(200);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect(client.sessionCookie).toBeUndefined();
    expect((await stolen.get('/api/me')).status).toBe(401);
  });

  it('revoking another session from my sessions list ends it at once', async () => {
    const first = new ApiClient(gatewayUrl, origin);
    const user = await signUp(first, 'revoke');
    const second = new ApiClient(gatewayUrl, origin);
    expect((await second.post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(200);
    expect((await second.get('/api/me')).status).toBe(200);
    const sessions = await first.get<{ sessions: { id: string; current: boolean }[] }>('/api/me/sessions');
    const other = sessions.body.sessions.find((session) => !session.current);
    expect(other).toBeDefined();
    expect((await first.request('DELETE', `/api/me/sessions/${other!.id}`)).status).toBe(204);
    expect((await second.get('/api/me')).status).toBe(401);
    expect((await first.get('/api/me')).status).toBe(200);
  });

  it('removing a member takes effect at once despite the membership cache', async () => {
    const owner = new ApiClient(gatewayUrl, origin);
    await signUp(owner, 'cache-owner');
    owner.tenantId = await createTenant(owner, 'Cache workspace');
    const member = new ApiClient(gatewayUrl, origin);
    const memberUser = await signUp(member, 'cache-member');
    const invite = await owner.post<{ token: string }>('/api/invitations', { email: memberUser.email, role: 'viewer' });
    await member.post('/api/invitations/accept', { token: invite.body.token });
    member.tenantId = owner.tenantId;
    expect((await member.get('/api/members')).status).toBe(200); // now cached
    expect((await owner.request('DELETE', `/api/members/${memberUser.id}`)).status).toBe(204);
    expect((await member.get('/api/members')).status).toBe(403);
  });
});

describe('services behind the gateway', () => {
  it.each([
    ['svc-auth', 'SVC_AUTH_URL', '/me'],
    ['svc-tenants', 'SVC_TENANTS_URL', '/tenants'],
  ])('%s called directly without the internal token → 401', async (_, urlVar, servicePath) => {
    const response = await fetch(`${env[urlVar]}${servicePath}`);
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error.code).toBe('unauthenticated');
  });

  it('serves OpenAPI generated from the contracts, with Swagger UI', async () => {
    const document = await (await fetch(`${gatewayUrl}/api/openapi.json`)).json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/members'].get.operationId).toBe('members.list');
    const signupBody = document.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema;
    const signupSchema = document.components.schemas[signupBody.$ref.split('/').pop()];
    expect(signupSchema.properties).toHaveProperty('password');
    const ui = await fetch(`${gatewayUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('answers unknown API paths with 404 in the error shape', async () => {
    const response = await fetch(`${gatewayUrl}/api/definitely-not-a-route`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });
});

import { randomUUID } from 'node:crypto';
import { roleRank, ROLES, type TRole } from '@elasticdash/contracts/platform/roles';
import { ROUTES, type TRouteDef } from '@elasticdash/contracts/platform/routes';
import type { TCreateInvitationResponse } from '@elasticdash/contracts/tenants/invitation';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient, createTenant, errorOf, signUp } from '../support/api-client.js';

const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');

/** A concrete path for a route: parameters become fresh ids (never existing resources). */
function concretePath(route: TRouteDef): string {
  return `/api${route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'token' ? 'x'.repeat(43) : randomUUID()))}`;
}

const tenantRoutes = ROUTES.filter((route) => route.minRole);
const sessionRoutes = ROUTES.filter((route) => route.auth === 'session');

describe('route table security matrix (generated from ROUTES)', () => {
  const clients = new Map<TRole, ApiClient>();
  let tenantId = '';
  let outsider: ApiClient;

  beforeAll(async () => {
    // One workspace with a member of every role, plus a user of another workspace.
    const owner = new ApiClient(gatewayUrl, origin);
    await signUp(owner, 'matrix-owner');
    tenantId = await createTenant(owner, 'Matrix workspace');
    owner.tenantId = tenantId;
    clients.set('owner', owner);
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      const client = new ApiClient(gatewayUrl, origin);
      const user = await signUp(client, `matrix-${role}`);
      const invite = await owner.post<TCreateInvitationResponse>('/api/invitations', { email: user.email, role });
      expect(invite.status).toBe(201);
      expect((await client.post('/api/invitations/accept', { token: invite.body.token })).status).toBe(200);
      client.tenantId = tenantId;
      clients.set(role, client);
    }
    outsider = new ApiClient(gatewayUrl, origin);
    await signUp(outsider, 'matrix-outsider');
    await createTenant(outsider, 'Outsider workspace');
  });

  it('covers every tenant-scoped route', () => {
    expect(tenantRoutes.length).toBeGreaterThanOrEqual(10);
  });

  it.each(sessionRoutes.map((route) => [route.id, route] as const))('%s without a session → 401', async (_, route) => {
    const anonymous = new ApiClient(gatewayUrl, origin);
    const response = await anonymous.request(route.method, concretePath(route), route.body ? {} : undefined, {
      tenantId,
    });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('unauthenticated');
    expect(errorOf(response).requestId).toBe(response.headers.get('x-request-id'));
  });

  it.each(tenantRoutes.map((route) => [route.id, route] as const))(
    '%s with a foreign x-tenant-id → 403',
    async (_, route) => {
      const response = await outsider.request(route.method, concretePath(route), route.body ? {} : undefined, {
        tenantId,
      });
      expect(response.status).toBe(403);
      expect(errorOf(response)).toMatchObject({ code: 'forbidden', message: 'You are not a member of this workspace' });
    },
  );

  const belowMinimum = tenantRoutes.flatMap((route) =>
    ROLES.filter((role) => roleRank(role) < roleRank(route.minRole ?? 'viewer')).map(
      (role) => [route.id, role, route] as const,
    ),
  );
  it.each(belowMinimum)('%s as %s (below the minimum role) → 403', async (_, role, route) => {
    const client = clients.get(role);
    if (!client) throw new Error(`no ${role} client`);
    const response = await client.request(route.method, concretePath(route), route.body ? {} : undefined);
    expect(response.status).toBe(403);
    expect(errorOf(response).message).toContain(`needs the ${route.minRole} role`);
  });

  it('a tenant route without x-tenant-id → 400 naming the header', async () => {
    const response = await clients.get('owner')!.get('/api/members', { tenantId: null });
    expect(response.status).toBe(400);
    expect(errorOf(response).details).toEqual({ issues: [{ path: 'headers.x-tenant-id', message: 'Required' }] });
  });

  it('a role at the minimum passes the gateway (reaches the service)', async () => {
    const viewer = clients.get('viewer')!;
    expect((await viewer.get('/api/members')).status).toBe(200);
    const admin = clients.get('admin')!;
    expect((await admin.get('/api/invitations')).status).toBe(200);
  });
});

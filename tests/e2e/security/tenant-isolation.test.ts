import { ROUTES, type TRouteDef } from '@elasticdash/contracts/platform/routes';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { attackSuite } from './support/report.js';
import { createWorld, databaseUrl, dropCustomerDatabase, planDocument, type World } from './support/world.js';

/**
 * Tenant isolation, generated from the route table: every route with path parameters is called
 * by workspace A's owner with workspace B's real ids — once with A's x-tenant-id (the service
 * must not find B's resource in A's scope) and once with B's x-tenant-id (the gateway must refuse
 * a non-member). Nothing may succeed and no answer may contain anything of B's. A new route
 * is covered the moment it is added to ROUTES; a new kind of path parameter fails this file
 * until B gets a real resource for it in `createWorld`.
 */
const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');
const stackEnv = inject('stackEnv');
const attack = attackSuite('Tenant isolation');

/**
 * Routes where holding the id *is* the permission, by design. `invitations.preview`: anyone
 * holding an invitation link may see what it offers (docs/roles.md); accepting it still needs
 * the invited email, which the test checks instead.
 */
const CAPABILITY_ROUTES: Record<string, string> = {
  'invitations.preview': 'an invitation link is a bearer capability: previewing it is allowed by design',
};

/** Valid bodies, so a refusal cannot come from validation before the tenant scope is checked. */
function bodyFor(route: TRouteDef, world: World): unknown {
  const table = { schema: 'public', table: 'secret_items' };
  const bodies: Record<string, unknown> = {
    'members.changeRole': { role: 'viewer' },
    'connections.update': { name: 'hijacked' },
    'rows.query': { ...table, limit: 10 },
    'rows.count': { ...table, mode: 'exact' },
    'rows.update': { ...table, key: { id: 1 }, changes: { label: 'hijacked' }, expected: {} },
    'rows.insert': { ...table, values: { label: 'hijacked', amount: 9 } },
    'rows.delete': { ...table, keys: [{ id: 1 }] },
    'rules.put': { rules: [] },
    'plans.update': { baseRevision: 1, document: planDocument('hijacked') },
    'plans.revisions.restore': { baseRevision: 1 },
    'datasets.update': { name: 'hijacked' },
    'datasets.uploads.create': { fileName: 'x.csv', sizeBytes: 10, contentType: 'text/csv' },
    'datasets.uploads.complete': { parts: [] },
    'datasets.query': { x: null, y: { agg: 'count' } },
    'dashboards.update': { baseRevision: 1, name: 'hijacked', filters: [], panels: [] },
    'deployments.deploy': { target: 'local' },
    'deployments.destroy': { confirmPlanName: 'x' },
  };
  if (route.id in bodies) return bodies[route.id];
  void world;
  return route.body ? {} : undefined;
}

function queryFor(route: TRouteDef): string {
  const view = Buffer.from(JSON.stringify({ schema: 'public', table: 'secret_items', sort: [] })).toString('base64url');
  const queries: Record<string, string> = { 'plans.diff': '?from=1&to=1', 'rows.export': `?view=${view}` };
  return queries[route.id] ?? '';
}

const parameterised = ROUTES.filter((route) => route.path.includes(':'));
const paramNames = (route: TRouteDef) => [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');

let a: World;
let b: World;

function pathWith(route: TRouteDef, ids: Record<string, string>): string {
  return `/api${route.path.replace(/:(\w+)/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`route ${route.id}: no resource of workspace B for :${name} — add one to createWorld`);
    return encodeURIComponent(id);
  })}${queryFor(route)}`;
}

/** B's strings that must never reach A (ids used in the request itself excepted). */
function leaks(response: ApiResponse, usedIds: string[]): string[] {
  const text = JSON.stringify(response.body ?? '') + [...response.headers.values()].join('\n');
  const secretIds = Object.values(b.ids).filter((id) => id.length > 8 && !usedIds.includes(id));
  return [...b.markers, ...secretIds].filter((marker) => text.includes(marker));
}

beforeAll(async () => {
  // B's plan is deployed for real, so deployment, credential and backup routes have a target.
  [a, b] = await Promise.all([
    createWorld(gatewayUrl, origin, 'IsoA'),
    createWorld(gatewayUrl, origin, 'IsoB', { deploy: true, platformDatabaseUrl: stackEnv.DATABASE_URL }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.database, b?.database].filter(Boolean).map((name) => dropCustomerDatabase(name as string)));
});

describe('tenant isolation (generated from ROUTES)', () => {
  it('every path parameter of every route maps to a real resource of workspace B', () => {
    const unmapped = parameterised.flatMap((route) =>
      paramNames(route)
        .filter((name) => !b.ids[name])
        .map((name) => `${route.id} :${name}`),
    );
    expect(unmapped, `path parameters without a resource of B: ${unmapped.join(', ')}`).toEqual([]);
    expect(parameterised.length).toBeGreaterThanOrEqual(30);
  });

  attack(
    "Read or change another workspace's resources by id (own tenant header)",
    "every ROUTES entry with path parameters, called by workspace A's owner with A's x-tenant-id and B's real ids (valid bodies)",
    async () => {
      const failures: string[] = [];
      let tried = 0;
      for (const route of parameterised) {
        if (CAPABILITY_ROUTES[route.id]) continue;
        const usedIds = paramNames(route).map((name) => b.ids[name] ?? '');
        const response = await a.owner.request(route.method, pathWith(route, b.ids), bodyFor(route, a), {
          tenantId: route.minRole ? a.tenantId : null,
        });
        tried++;
        if (response.status !== 403 && response.status !== 404) {
          failures.push(`${route.id} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
        const leaked = leaks(response, usedIds);
        if (leaked.length > 0) failures.push(`${route.id} leaked ${leaked.join(', ')}`);
      }
      expect(failures).toEqual([]);
      return `${tried} routes: every answer 403/404, none contained B's names, emails, rows or other ids`;
    },
  );

  attack(
    "Use another workspace's tenant header without being a member",
    "every tenant-scoped route with path parameters, called by A's owner with B's x-tenant-id and B's real ids",
    async () => {
      const failures: string[] = [];
      const routes = parameterised.filter((route) => route.minRole);
      for (const route of routes) {
        const usedIds = paramNames(route).map((name) => b.ids[name] ?? '');
        const response = await a.owner.request(route.method, pathWith(route, b.ids), bodyFor(route, a), {
          tenantId: b.tenantId,
        });
        if (response.status !== 403) failures.push(`${route.id} → ${response.status}`);
        const leaked = leaks(response, [...usedIds, b.tenantId]);
        if (leaked.length > 0) failures.push(`${route.id} leaked ${leaked.join(', ')}`);
      }
      expect(failures).toEqual([]);
      return `${routes.length} routes: every answer 403 from the gateway, no data of B`;
    },
  );

  attack(
    'Accept or preview an invitation meant for someone else',
    "A's owner holds B's pending invitation link (capability route) and tries to accept it",
    async () => {
      const preview = await a.owner.get<Record<string, unknown>>(`/api/invitations/by-token/${b.ids.token}`);
      expect(preview.status).toBe(200);
      // The preview shows what the link offers, and nothing else of B (no ids, no members, no data).
      expect(Object.keys(preview.body).sort()).toEqual(['email', 'expiresAt', 'role', 'tenantName']);
      const accepted = await a.owner.post('/api/invitations/accept', { token: b.ids.token });
      expect(accepted.status).toBe(403);
      return 'preview shows only workspace name, invited email, role and expiry (by design); accept → 403';
    },
  );

  attack(
    "Workspace B's data is intact after all of A's attempts",
    "B's owner reads back every resource A tried to change or delete; the customer table is checked with SQL",
    async () => {
      const owner = b.owner;
      expect((await owner.get('/api/me')).status).toBe(200); // A's revoke of B's session did nothing
      expect((await owner.get(`/api/connections/${b.ids.connectionId}`)).status).toBe(200);
      const dataset = await owner.get<{ dataset: { name: string; status: string } }>(
        `/api/datasets/${b.ids.datasetId}`,
      );
      expect(dataset.body.dataset).toMatchObject({ status: 'ready' });
      expect(dataset.body.dataset.name).not.toBe('hijacked');
      const dashboard = await owner.get<{ dashboard: { name: string } }>(`/api/dashboards/${b.ids.dashboardId}`);
      expect(dashboard.status).toBe(200);
      expect(dashboard.body.dashboard.name).not.toBe('hijacked');
      const plan = await owner.get<{ plan: { name: string; revision: number } }>(`/api/v1/plans/${b.ids.planId}`);
      expect(plan.status).toBe(200);
      expect(plan.body.plan).toMatchObject({ revision: 1 });
      const members = await owner.get<{ members: { userId: string; role: string }[] }>('/api/members');
      expect(members.body.members.find((member) => member.userId === b.ids.userId)?.role).toBe('editor');
      const invitations = await owner.get<{ invitations: { id: string }[] }>('/api/invitations');
      expect(invitations.body.invitations.map((invitation) => invitation.id)).toContain(b.ids.invitationId);
      const db = new pg.Client({ connectionString: databaseUrl(b.database) });
      await db.connect();
      try {
        const rows = await db.query<{ label: string }>('select label from secret_items order by id');
        expect(rows.rows.map((row) => row.label)).not.toContain('hijacked');
        expect(rows.rowCount).toBe(3);
      } finally {
        await db.end();
      }
      return 'session, connection, dataset, dashboard, plan (revision 1), member role, invitation and rows unchanged';
    },
  );
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { roleRank, ROLES, type TRole } from '@elasticdash/contracts/platform/roles';
import { ROUTES, type TRouteDef } from '@elasticdash/contracts/platform/routes';
import { beforeAll, describe, expect, inject } from 'vitest';
import { repoRoot } from '../../support/env-file.js';
import { ApiClient, createTenant, signUp } from '../support/api-client.js';
import { attackSuite } from './support/report.js';

/**
 * The authorization matrix: the route table is checked against the documented matrix
 * (docs/roles.md), and every tenant route is called as every role. Below the minimum the
 * gateway refuses (platform/route-matrix.test.ts asserts the 403s one by one); this file adds
 * the other half — at or above the minimum no role check refuses the call — and records both.
 */
const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');
const attack = attackSuite('Authorization');

const SERVICE_NAMES: Record<string, TRouteDef['service']> = {
  'svc-connections': 'connections',
  'svc-datasets': 'datasets',
  'svc-plans': 'plans',
  'svc-deployer': 'deployer',
};
/** Routes without ids that would end the shared workspace: called on a throwaway one each time. */
const DESTRUCTIVE = new Set(['tenant.delete', 'tenant.leave']);

function tableRows(markdown: string, heading: string): string[][] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(heading)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((value) => value.trim()),
    );
}

const tenantRoutes = ROUTES.filter((route) => route.minRole);
const clients = new Map<TRole, ApiClient>();
const users = new Map<TRole, string>();
let tenantId = '';

async function workspaceWithEveryRole(name: string): Promise<string> {
  const owner = clients.get('owner')!;
  const id = await createTenant(owner, name);
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const invite = await owner.post<{ token: string }>(
      '/api/invitations',
      { email: users.get(role), role },
      { tenantId: id },
    );
    expect(invite.status).toBe(201);
    expect((await clients.get(role)!.post('/api/invitations/accept', { token: invite.body.token })).status).toBe(200);
  }
  return id;
}

/** Calls a route with fresh ids and an empty body; SSE is read up to its headers only. */
async function call(client: ApiClient, route: TRouteDef, tenant: string): Promise<number> {
  const url = `/api${route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'token' ? 'x'.repeat(43) : randomUUID()))}`;
  if (route.id === 'events.stream') {
    const controller = new AbortController();
    const response = await fetch(gatewayUrl + url, {
      headers: { cookie: `ed_session=${client.sessionCookie}`, 'x-tenant-id': tenant },
      signal: controller.signal,
    });
    controller.abort();
    return response.status;
  }
  const response = await client.request(route.method, url, route.body ? {} : undefined, { tenantId: tenant });
  return response.status;
}

beforeAll(async () => {
  for (const role of ROLES) {
    const client = new ApiClient(gatewayUrl, origin);
    users.set(role, (await signUp(client, `authz-${role}`)).email);
    clients.set(role, client);
  }
  tenantId = await workspaceWithEveryRole('Authorization workspace');
});

describe('authorization matrix', () => {
  attack(
    'Route table vs the documented matrix',
    'docs/roles.md: every workspace route row is compared with ROUTES (method, path, minRole); every product route’s minRole must be a role documented for its service',
    async () => {
      const markdown = readFileSync(path.join(repoRoot, 'docs', 'roles.md'), 'utf8');
      const mismatches: string[] = [];
      const workspaceRows = tableRows(markdown, 'Matrix — workspaces');
      for (const row of workspaceRows) {
        const [method, routePath] = (row[1] ?? '').replace(/`/g, '').split(' ');
        const documented = (row[6] ?? '').startsWith('—') ? undefined : row[6];
        const route = ROUTES.find((candidate) => candidate.method === method && candidate.path === routePath);
        if (!route) mismatches.push(`documented ${method} ${routePath} is not in ROUTES`);
        else if (route.minRole !== documented) {
          mismatches.push(`${route.id}: ROUTES ${route.minRole ?? 'session'}, docs ${documented ?? 'session'}`);
        }
      }
      const documentedByService = new Map<string, Set<string>>();
      for (const row of tableRows(markdown, 'Matrix — product actions')) {
        const service = SERVICE_NAMES[row[1] ?? ''];
        const minRole = (row[6] ?? '').split(' ')[0] ?? '';
        if (!service) continue;
        documentedByService.set(service, (documentedByService.get(service) ?? new Set()).add(minRole));
      }
      for (const route of tenantRoutes.filter((candidate) => documentedByService.has(candidate.service))) {
        if (!documentedByService.get(route.service)!.has(route.minRole!)) {
          mismatches.push(`${route.id}: minRole ${route.minRole} is not documented for ${route.service}`);
        }
      }
      expect(workspaceRows.length).toBeGreaterThanOrEqual(12);
      expect(mismatches).toEqual([]);
      return `${workspaceRows.length} workspace rows match ROUTES; ${documentedByService.size} product services: every route's minRole is documented`;
    },
  );

  attack(
    'Every tenant route × every role',
    'each tenant-scoped route of ROUTES called as viewer, editor, admin and owner (fresh ids, empty bodies; workspace-ending routes on a throwaway workspace)',
    async () => {
      const wrong: string[] = [];
      let allowed = 0;
      let refused = 0;
      for (const route of tenantRoutes) {
        for (const role of ROLES) {
          const mayCall = roleRank(role) >= roleRank(route.minRole!);
          const tenant =
            DESTRUCTIVE.has(route.id) && mayCall ? await workspaceWithEveryRole(`Throwaway ${route.id}`) : tenantId;
          const status = await call(clients.get(role)!, route, tenant);
          if (mayCall) {
            allowed++;
            if (status === 401 || status === 403)
              wrong.push(`${route.id} as ${role} → ${status} (documented: allowed)`);
          } else {
            refused++;
            if (status !== 403) wrong.push(`${route.id} as ${role} → ${status} (documented: refused)`);
          }
        }
      }
      expect(wrong).toEqual([]);
      return `${tenantRoutes.length} routes × ${ROLES.length} roles: ${allowed} allowed calls passed every role check, ${refused} below the minimum → 403`;
    },
    120_000,
  );
});

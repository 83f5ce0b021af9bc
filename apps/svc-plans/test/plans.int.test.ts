import { randomUUID } from 'node:crypto';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  type TListPlanRevisionsResponse,
  type TListPlansResponse,
  type TPlan,
  type TPlanDiffResponse,
  type TPlanResponse,
  type TPlanRevisionResponse,
  ZListPlanRevisionsResponse,
  ZListPlansResponse,
  ZPlanConflictDetails,
  ZPlanDiffResponse,
  ZPlanResponse,
  ZPlanRevisionResponse,
} from '@elasticdash/contracts/plans/plan';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { devEnv, signInternalToken } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';

/**
 * svc-plans against real Postgres and Redis: the built service is started as a process and
 * driven over HTTP with internal context tokens signed exactly as the gateway signs them.
 */

interface Member {
  userId: string;
  email: string;
  tenantId: string;
  role: TRole;
}

function member(tenantId: string, role: TRole): Member {
  const userId = randomUUID();
  return { userId, email: `${role}-${userId.slice(0, 8)}@example.test`, tenantId, role };
}

/** One tenant with a member of each role. */
function newTenant(): Record<TRole, Member> & { id: string } {
  const id = randomUUID();
  return {
    id,
    owner: member(id, 'owner'),
    admin: member(id, 'admin'),
    editor: member(id, 'editor'),
    viewer: member(id, 'viewer'),
  };
}

interface Answer<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

let service: RunningService;
let database: { url: string; drop(): Promise<void> };
let sql: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase('svc_plans');
  service = await startService({
    app: 'svc-plans',
    env: { ...devEnv(), DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
    port: await freePort(),
    portVar: 'SVC_PLANS_PORT',
    waitForReady: true,
  });
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  if (process.env.SHOW_SERVICE_LOGS) console.log(service?.logs());
  const code = await service?.stop();
  await sql?.end();
  await database?.drop();
  expect(code).toBe(0);
});

async function call<T = Record<string, unknown>>(
  who: Member | null,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (who) {
    const ctx: Partial<TInternalContext> = {
      userId: who.userId,
      email: who.email,
      userName: who.role,
      sessionId: randomUUID(),
      tenantId: who.tenantId,
      role: who.role,
    };
    headers['x-internal-context'] = await signInternalToken('svc-plans', ctx);
  } else if (token) {
    headers['x-internal-context'] = token;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(service.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text, headers: response.headers };
}

function expectError(answer: Answer<unknown>, status: number, code: string, message?: RegExp): ErrorBody['error'] {
  expect(answer.status, answer.text).toBe(status);
  const { error } = answer.body as ErrorBody;
  expect(error.code).toBe(code);
  expect(error.requestId).toEqual(expect.any(String));
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** The example document under another name, optionally changed by `edit`. */
function documentNamed(name: string, edit?: (document: TCsJsonDocument) => void): TCsJsonDocument {
  const document = structuredClone(EXAMPLE_CS_JSON);
  document.name = name;
  edit?.(document);
  return document;
}

function uniqueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

function firstComponent(document: TCsJsonDocument) {
  const component = document.components[0];
  if (!component) throw new Error('the example has a component');
  return component;
}

async function createPlan(who: Member, document: TCsJsonDocument): Promise<TPlan> {
  const answer = await call<TPlanResponse>(who, 'POST', '/v1/plans', { document });
  expect(answer.status, answer.text).toBe(201);
  return ZPlanResponse.parse(answer.body).plan;
}

async function savePlan(who: Member, plan: TPlan, document: TCsJsonDocument): Promise<TPlan> {
  const answer = await call<TPlanResponse>(who, 'PUT', `/v1/plans/${plan.id}`, {
    baseRevision: plan.revision,
    document,
  });
  expect(answer.status, answer.text).toBe(200);
  return ZPlanResponse.parse(answer.body).plan;
}

describe('access', () => {
  it('answers 401 without a token or with a bad one', async () => {
    expectError(await call(null, 'GET', '/v1/plans'), 401, 'unauthenticated');
    expectError(await call(null, 'POST', '/v1/plans', { document: EXAMPLE_CS_JSON }), 401, 'unauthenticated');
    expectError(await call(null, 'GET', `/v1/plans/${randomUUID()}`, undefined, 'not-a-jwt'), 401, 'unauthenticated');
    const otherAudience = await signInternalToken('svc-tenants', {
      userId: randomUUID(),
      email: 'a@example.test',
      tenantId: randomUUID(),
      role: 'owner',
    });
    expectError(await call(null, 'GET', '/v1/plans', undefined, otherAudience), 401, 'unauthenticated');
  });

  it('answers 403 when the token carries no workspace', async () => {
    const token = await signInternalToken('svc-plans', { userId: randomUUID(), email: 'solo@example.test' });
    expectError(await call(null, 'GET', '/v1/plans', undefined, token), 403, 'forbidden', /workspace/);
  });

  it('lets viewers read and refuses them every write', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(uniqueName('viewer-read')));
    expect((await call(tenant.viewer, 'GET', '/v1/plans')).status).toBe(200);
    expect((await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}`)).status).toBe(200);
    expect((await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions`)).status).toBe(200);
    expect((await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions/1`)).status).toBe(200);
    expect((await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/diff?from=1&to=1`)).status).toBe(200);
    expect((await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/export`)).status).toBe(200);

    const writes: [string, string, unknown][] = [
      ['POST', '/v1/plans', { document: documentNamed(uniqueName('viewer')) }],
      ['POST', '/v1/plans/import', { document: documentNamed(uniqueName('viewer')) }],
      ['PUT', `/v1/plans/${plan.id}`, { baseRevision: 1, document: documentNamed(uniqueName('viewer')) }],
      ['DELETE', `/v1/plans/${plan.id}`, undefined],
      ['POST', `/v1/plans/${plan.id}/revisions/1/restore`, { baseRevision: 1 }],
    ];
    for (const [method, path, body] of writes) {
      expectError(await call(tenant.viewer, method, path, body), 403, 'forbidden', /editor role/);
    }
    const after = await call<TPlanResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}`);
    expect(after.body.plan.revision).toBe(1);
  });

  it('lets editors, admins and owners write', async () => {
    const tenant = newTenant();
    for (const role of ['editor', 'admin', 'owner'] as const) {
      const plan = await createPlan(tenant[role], documentNamed(uniqueName(role)));
      expect((await call(tenant[role], 'DELETE', `/v1/plans/${plan.id}`)).status).toBe(204);
    }
  });

  it('answers 400 to a plan id that is not a UUID', async () => {
    const tenant = newTenant();
    const error = expectError(await call(tenant.viewer, 'GET', '/v1/plans/not-a-uuid'), 400, 'validation_failed');
    expect(error.details).toEqual({ issues: [{ path: 'planId', message: 'planId must be a UUID' }] });
  });

  it('keeps health checks public', async () => {
    expect((await call(null, 'GET', '/health/live')).status).toBe(200);
    expect((await call(null, 'GET', '/health/ready')).status).toBe(200);
  });
});

describe('plans', () => {
  it('creates a plan at revision 1 named after its document', async () => {
    const tenant = newTenant();
    const name = uniqueName('orders');
    const plan = await createPlan(tenant.editor, documentNamed(name));
    expect(plan).toMatchObject({
      name,
      revision: 1,
      updatedBy: tenant.editor.email,
      valid: true,
      validity: { valid: true, errors: [], warnings: [] },
    });
    expect(plan.document).toEqual(documentNamed(name));
    expect(plan.createdAt).toBe(plan.updatedAt);

    const got = await call<TPlanResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}`);
    expect(got.status).toBe(200);
    expect(ZPlanResponse.parse(got.body).plan).toEqual(plan);
  });

  it('applies the document defaults (storage type, port) on save', async () => {
    const tenant = newTenant();
    const document = documentNamed(uniqueName('defaults')) as unknown as {
      components: { storage: Record<string, unknown>; network: Record<string, unknown> }[];
    };
    delete document.components[0]?.storage.type;
    delete document.components[0]?.network.port;
    const plan = await createPlan(tenant.editor, document as unknown as TCsJsonDocument);
    expect(firstComponent(plan.document).storage.type).toBe('ssd');
    expect(firstComponent(plan.document).network.port).toBe(5432);
  });

  it('refuses a structurally invalid document with its paths', async () => {
    const tenant = newTenant();
    const document = documentNamed(uniqueName('bad'), (doc) => {
      firstComponent(doc).compute.vcpu = 0;
    });
    const error = expectError(
      await call(tenant.editor, 'POST', '/v1/plans', { document }),
      400,
      'validation_failed',
      /Request body is invalid/,
    );
    expect(error.details).toEqual({
      issues: [
        { path: 'document.components.0.compute.vcpu', message: 'vCPU must be a whole number between 1 and 128' },
      ],
    });
  });

  it('keeps plan names unique per workspace, ignoring case (409 naming it)', async () => {
    const tenant = newTenant();
    const name = uniqueName('Unique');
    const first = await createPlan(tenant.editor, documentNamed(name));
    const error = expectError(
      await call(tenant.editor, 'POST', '/v1/plans', { document: documentNamed(name.toLowerCase()) }),
      409,
      'conflict',
    );
    expect(error.message).toContain(`"${name.toLowerCase()}"`);
    expect(error.details).toEqual({ issues: [{ path: 'document.name', message: error.message }] });

    // Renaming another plan onto the name is refused the same way, and saves nothing.
    const second = await createPlan(tenant.editor, documentNamed(uniqueName('other')));
    expectError(
      await call(tenant.editor, 'PUT', `/v1/plans/${second.id}`, { baseRevision: 1, document: documentNamed(name) }),
      409,
      'conflict',
      /already exists/,
    );
    const revisions = await call<TListPlanRevisionsResponse>(tenant.viewer, 'GET', `/v1/plans/${second.id}/revisions`);
    expect(revisions.body.revisions).toHaveLength(1);

    // Another workspace may use the same name.
    await createPlan(newTenant().editor, documentNamed(name));
    expect(first.name).toBe(name);
  });

  it('saves a new revision on each change; an unchanged save is a no-op', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(uniqueName('edit')));
    const renamed = uniqueName('renamed');
    const changed = documentNamed(renamed, (doc) => {
      firstComponent(doc).database.maxConnections = 200;
    });
    const saved = await savePlan(tenant.admin, plan, changed);
    expect(saved).toMatchObject({ id: plan.id, name: renamed, revision: 2, updatedBy: tenant.admin.email });
    expect(saved.document).toEqual(changed);
    expect(saved.createdAt).toBe(plan.createdAt);
    expect(Date.parse(saved.updatedAt)).toBeGreaterThanOrEqual(Date.parse(plan.updatedAt));

    const again = await savePlan(tenant.editor, saved, structuredClone(changed));
    expect(again).toEqual(saved);
    const { rows } = await sql.query('select count(*)::int as n from plans.plan_revisions where plan_id = $1', [
      plan.id,
    ]);
    expect(rows[0]).toEqual({ n: 2 });
  });

  it('lists the workspace plans, most recently saved first', async () => {
    const tenant = newTenant();
    const older = await createPlan(tenant.editor, documentNamed(uniqueName('older')));
    const newer = await createPlan(tenant.editor, documentNamed(uniqueName('newer')));
    let list = await call<TListPlansResponse>(tenant.viewer, 'GET', '/v1/plans');
    expect(list.status).toBe(200);
    expect(ZListPlansResponse.parse(list.body).plans.map((plan) => plan.id)).toEqual([newer.id, older.id]);

    const saved = await savePlan(
      tenant.editor,
      older,
      documentNamed(older.name, (doc) => (doc.name = 'older-2')),
    );
    list = await call<TListPlansResponse>(tenant.viewer, 'GET', '/v1/plans');
    expect(list.body.plans).toEqual([
      {
        id: older.id,
        name: 'older-2',
        revision: 2,
        updatedAt: saved.updatedAt,
        updatedBy: tenant.editor.email,
        valid: true,
      },
      expect.objectContaining({ id: newer.id, revision: 1 }),
    ]);
    expect((await call<TListPlansResponse>(newTenant().viewer, 'GET', '/v1/plans')).body).toEqual({ plans: [] });
  });

  it('deletes a plan with its revisions', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(uniqueName('doomed')));
    await savePlan(
      tenant.editor,
      plan,
      documentNamed(plan.name, (doc) => (firstComponent(doc).storage.sizeGiB = 200)),
    );
    const deleted = await call(tenant.editor, 'DELETE', `/v1/plans/${plan.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}`), 404, 'not_found');
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions`), 404, 'not_found');
    expectError(await call(tenant.editor, 'DELETE', `/v1/plans/${plan.id}`), 404, 'not_found');
    const { rows } = await sql.query('select count(*)::int as n from plans.plan_revisions where plan_id = $1', [
      plan.id,
    ]);
    expect(rows[0]).toEqual({ n: 0 });
    // The name is free again.
    await createPlan(tenant.editor, documentNamed(plan.name));
  });

  it('saves semantic errors but marks the plan invalid; warnings keep it valid', async () => {
    const tenant = newTenant();
    const broken = documentNamed(uniqueName('broken'), (doc) => {
      const component = firstComponent(doc);
      component.database.maxConnections = 5000;
      component.backups.retentionDays = 60;
      component.network.allowedCidrs = ['10.0.0.1/8', '0.0.0.0/0'];
    });
    const plan = await createPlan(tenant.editor, broken);
    expect(plan.valid).toBe(false);
    expect(plan.validity.valid).toBe(false);
    expect(plan.document).toEqual(broken);
    expect(plan.validity.errors.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'components.0.database.maxConnections',
        'components.0.backups.retentionDays',
        'components.0.network.allowedCidrs.0',
        'components.0.network.allowedCidrs.1',
      ]),
    );
    const list = await call<TListPlansResponse>(tenant.viewer, 'GET', '/v1/plans');
    expect(list.body.plans.find((summary) => summary.id === plan.id)?.valid).toBe(false);

    // Fixed: valid again; backups switched off is only a warning.
    const fixed = await savePlan(
      tenant.editor,
      plan,
      documentNamed(plan.name, (doc) => {
        firstComponent(doc).backups.enabled = false;
      }),
    );
    expect(fixed.valid).toBe(true);
    expect(fixed.validity.errors).toEqual([]);
    expect(fixed.validity.warnings).toEqual([
      { path: 'components.0.backups.enabled', message: expect.stringMatching(/disabled/) as unknown },
    ]);
  });
});

describe('conflicts', () => {
  it('answers 409 with the latest plan to a save based on an older revision', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(uniqueName('stale')));
    const theirs = documentNamed(plan.name, (doc) => (firstComponent(doc).compute.memoryGiB = 16));
    const latest = await savePlan(tenant.admin, plan, theirs);

    const mine = documentNamed(plan.name, (doc) => (firstComponent(doc).storage.sizeGiB = 500));
    const answer = await call(tenant.editor, 'PUT', `/v1/plans/${plan.id}`, { baseRevision: 1, document: mine });
    const error = expectError(answer, 409, 'conflict', /revision 2/);
    expect(error.message).toContain(tenant.admin.email);
    const details = ZPlanConflictDetails.parse(error.details);
    expect(details.latest).toEqual(latest);
    expect(details.latest.document).toEqual(theirs);

    // Nothing was saved; a base that does not exist yet is stale too.
    expectError(
      await call(tenant.editor, 'PUT', `/v1/plans/${plan.id}`, { baseRevision: 3, document: mine }),
      409,
      'conflict',
    );
    const got = await call<TPlanResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}`);
    expect(got.body.plan).toEqual(latest);
  });

  it('lets exactly one of several concurrent saves from the same base win', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(uniqueName('race')));
    for (let round = 0; round < 3; round++) {
      const current = (await call<TPlanResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}`)).body.plan;
      const answers = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) =>
          call<TPlanResponse>(tenant.editor, 'PUT', `/v1/plans/${plan.id}`, {
            baseRevision: current.revision,
            document: documentNamed(plan.name, (doc) => (firstComponent(doc).storage.sizeGiB = 100 + round * 10 + n)),
          }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
      const winner = answers.find((answer) => answer.status === 200)?.body.plan;
      expect(winner?.revision).toBe(current.revision + 1);
      for (const loser of answers.filter((answer) => answer.status === 409)) {
        expect(ZPlanConflictDetails.parse((loser.body as unknown as ErrorBody).error.details).latest).toEqual(winner);
      }
    }
    const revisions = await call<TListPlanRevisionsResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions`);
    expect(revisions.body.revisions.map((revision) => revision.revision)).toEqual([4, 3, 2, 1]);
  });
});

describe('revisions', () => {
  /** A plan with three revisions: 1 created, 2 node moved, 3 max connections lowered. */
  async function planWithHistory(tenant: ReturnType<typeof newTenant>) {
    const name = uniqueName('history');
    const v1 = documentNamed(name);
    const v2 = documentNamed(name, (doc) => (firstComponent(doc).position = { x: 600, y: 420 }));
    const v3 = documentNamed(name, (doc) => {
      firstComponent(doc).position = { x: 600, y: 420 };
      firstComponent(doc).database.maxConnections = 50;
    });
    const created = await createPlan(tenant.editor, v1);
    const second = await savePlan(tenant.admin, created, v2);
    const third = await savePlan(tenant.editor, second, v3);
    return { plan: third, documents: { 1: v1, 2: v2, 3: v3 } };
  }

  it('lists revisions newest first and shows each one', async () => {
    const tenant = newTenant();
    const { plan, documents } = await planWithHistory(tenant);
    const list = await call<TListPlanRevisionsResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions`);
    expect(list.status).toBe(200);
    const { revisions } = ZListPlanRevisionsResponse.parse(list.body);
    expect(revisions.map(({ revision, createdBy, restoredFrom }) => ({ revision, createdBy, restoredFrom }))).toEqual([
      { revision: 3, createdBy: tenant.editor.email, restoredFrom: null },
      { revision: 2, createdBy: tenant.admin.email, restoredFrom: null },
      { revision: 1, createdBy: tenant.editor.email, restoredFrom: null },
    ]);
    expect(revisions[0]?.createdAt).toBe(plan.updatedAt);

    for (const n of [1, 2, 3] as const) {
      const shown = await call<TPlanRevisionResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions/${n}`);
      expect(shown.status).toBe(200);
      const body = ZPlanRevisionResponse.parse(shown.body);
      expect(body.revision).toEqual(revisions[3 - n]);
      expect(body.document).toEqual(documents[n]);
    }
    expectError(
      await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions/4`),
      404,
      'not_found',
      /no revision 4/,
    );
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions/0`), 400, 'validation_failed');
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions/abc`), 400, 'validation_failed');
  });

  it('diffs two revisions structurally', async () => {
    const tenant = newTenant();
    const { plan } = await planWithHistory(tenant);
    const diff = async (from: number, to: number) => {
      const answer = await call<TPlanDiffResponse>(
        tenant.viewer,
        'GET',
        `/v1/plans/${plan.id}/diff?from=${from}&to=${to}`,
      );
      expect(answer.status, answer.text).toBe(200);
      return ZPlanDiffResponse.parse(answer.body);
    };
    expect(await diff(1, 2)).toEqual({
      from: 1,
      to: 2,
      changes: [
        { path: 'components.0.position', kind: 'changed', before: { x: 240, y: 160 }, after: { x: 600, y: 420 } },
      ],
    });
    expect((await diff(2, 3)).changes).toEqual([
      { path: 'components.0.database.maxConnections', kind: 'changed', before: 100, after: 50 },
    ]);
    expect((await diff(3, 1)).changes).toEqual([
      { path: 'components.0.position', kind: 'changed', before: { x: 600, y: 420 }, after: { x: 240, y: 160 } },
      { path: 'components.0.database.maxConnections', kind: 'changed', before: 50, after: 100 },
    ]);
    expect((await diff(2, 2)).changes).toEqual([]);

    expectError(
      await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/diff?from=1&to=9`),
      404,
      'not_found',
      /no revision 9/,
    );
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/diff?from=1`), 400, 'validation_failed');
  });

  it('diffs added components by id', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(uniqueName('grow')));
    const replica = { ...structuredClone(firstComponent(plan.document)), id: 'pg-2', name: 'orders-replica' };
    const grown = documentNamed(plan.name, (doc) => {
      doc.components = [replica, firstComponent(doc)];
    });
    await savePlan(tenant.editor, plan, grown);
    const answer = await call<TPlanDiffResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/diff?from=1&to=2`);
    expect(answer.body.changes).toEqual([{ path: 'components.0', kind: 'added', after: replica }]);
  });

  it('restores an old revision as a new revision', async () => {
    const tenant = newTenant();
    const { plan, documents } = await planWithHistory(tenant);
    const restored = await call<TPlanResponse>(tenant.editor, 'POST', `/v1/plans/${plan.id}/revisions/1/restore`, {
      baseRevision: 3,
    });
    expect(restored.status, restored.text).toBe(200);
    const restoredPlan = ZPlanResponse.parse(restored.body).plan;
    expect(restoredPlan).toMatchObject({ id: plan.id, revision: 4, updatedBy: tenant.editor.email });
    expect(restoredPlan.document).toEqual(documents[1]);

    const list = await call<TListPlanRevisionsResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions`);
    expect(list.body.revisions[0]).toMatchObject({ revision: 4, restoredFrom: 1 });
    const shown = await call<TPlanRevisionResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/revisions/4`);
    expect(shown.body.document).toEqual(documents[1]);
    expect(
      (await call<TPlanDiffResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/diff?from=1&to=4`)).body.changes,
    ).toEqual([]);

    // Same 409 rule as a save: the base must be the latest revision.
    const stale = await call(tenant.editor, 'POST', `/v1/plans/${plan.id}/revisions/2/restore`, { baseRevision: 3 });
    const error = expectError(stale, 409, 'conflict');
    expect(ZPlanConflictDetails.parse(error.details).latest).toEqual(restoredPlan);

    // Restoring what is already the latest document changes nothing.
    const same = await call<TPlanResponse>(tenant.editor, 'POST', `/v1/plans/${plan.id}/revisions/1/restore`, {
      baseRevision: 4,
    });
    expect(same.status).toBe(200);
    expect(same.body.plan).toEqual(restoredPlan);

    expectError(
      await call(tenant.editor, 'POST', `/v1/plans/${plan.id}/revisions/7/restore`, { baseRevision: 4 }),
      404,
      'not_found',
      /no revision 7/,
    );
    expectError(
      await call(tenant.editor, 'POST', `/v1/plans/${plan.id}/revisions/1/restore`, {}),
      400,
      'validation_failed',
    );
  });
});

describe('tenant isolation', () => {
  it("answers 404 on every route for another workspace's plan and leaves it alone", async () => {
    const home = newTenant();
    const other = newTenant();
    const plan = await createPlan(home.editor, documentNamed(uniqueName('private')));
    const intruder = other.owner;
    const routes: [string, string, unknown][] = [
      ['GET', `/v1/plans/${plan.id}`, undefined],
      ['PUT', `/v1/plans/${plan.id}`, { baseRevision: 1, document: documentNamed(uniqueName('taken')) }],
      ['DELETE', `/v1/plans/${plan.id}`, undefined],
      ['GET', `/v1/plans/${plan.id}/revisions`, undefined],
      ['GET', `/v1/plans/${plan.id}/revisions/1`, undefined],
      ['GET', `/v1/plans/${plan.id}/diff?from=1&to=1`, undefined],
      ['POST', `/v1/plans/${plan.id}/revisions/1/restore`, { baseRevision: 1 }],
      ['GET', `/v1/plans/${plan.id}/export`, undefined],
    ];
    for (const [method, path, body] of routes) {
      expectError(await call(intruder, method, path, body), 404, 'not_found', /No plan with this id/);
    }
    expect((await call<TListPlansResponse>(intruder, 'GET', '/v1/plans')).body.plans).toEqual([]);

    const got = await call<TPlanResponse>(home.viewer, 'GET', `/v1/plans/${plan.id}`);
    expect(got.body.plan).toEqual(plan);
    // An id that exists nowhere answers the same.
    expectError(await call(home.viewer, 'GET', `/v1/plans/${randomUUID()}`), 404, 'not_found');
  });
});

describe('import and export', () => {
  async function importDocument(who: Member, document: unknown) {
    return call<TPlanResponse>(who, 'POST', '/v1/plans/import', { document });
  }

  function importIssues(answer: Answer<unknown>): TFieldIssue[] {
    const error = expectError(answer, 400, 'validation_failed');
    expect(error.message).toBe('This file is not a valid cs-json v1 plan');
    return (error.details as { issues: TFieldIssue[] }).issues;
  }

  it('imports a valid cs-json document as a new plan', async () => {
    const tenant = newTenant();
    const document = documentNamed(uniqueName('imported'));
    const answer = await importDocument(tenant.editor, document);
    expect(answer.status, answer.text).toBe(201);
    const plan = ZPlanResponse.parse(answer.body).plan;
    expect(plan).toMatchObject({ name: document.name, revision: 1, valid: true });
    expect(plan.document).toEqual(document);
    expectError(await importDocument(tenant.editor, document), 409, 'conflict', /already exists/);
  });

  it('refuses malformed files with every problem and its path', async () => {
    const tenant = newTenant();
    expect(importIssues(await importDocument(tenant.editor, 'not a plan'))).toEqual([
      { path: 'document', message: expect.any(String) as unknown },
    ]);
    expect(importIssues(await importDocument(tenant.editor, null))).toEqual([
      { path: 'document', message: expect.any(String) as unknown },
    ]);
    // No file at all is a malformed request rather than a malformed file.
    const empty = expectError(await call(tenant.editor, 'POST', '/v1/plans/import', {}), 400, 'validation_failed');
    expect(empty.details).toEqual({ issues: [{ path: 'document', message: expect.any(String) as unknown }] });

    const broken = structuredClone(EXAMPLE_CS_JSON) as unknown as Record<string, unknown> & {
      components: Record<string, Record<string, unknown>>[];
    };
    broken.version = 2;
    const component = broken.components[0];
    if (!component?.compute || !component.storage || !component.database || !component.network) {
      throw new Error('example shape changed');
    }
    component.compute.vcpu = 0;
    component.storage.type = 'tape';
    component.database.majorVersion = 9;
    component.network.allowedCidrs = '10.0.0.0/8';
    delete component.os;
    const issues = importIssues(await importDocument(tenant.editor, broken));
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        'document.version',
        'document.components.0.compute.vcpu',
        'document.components.0.storage.type',
        'document.components.0.os',
        'document.components.0.database.majorVersion',
        'document.components.0.network.allowedCidrs',
      ].sort(),
    );
    expect(issues).toContainEqual({ path: 'document.version', message: expect.stringMatching(/1/) as unknown });
    expect(issues).toContainEqual({
      path: 'document.components.0.storage.type',
      message: expect.stringMatching(/ssd, hdd, nvme/) as unknown,
    });

    const extra = { ...structuredClone(EXAMPLE_CS_JSON), name: uniqueName('extra'), owner: 'someone' };
    expect(importIssues(await importDocument(tenant.editor, extra))).toEqual([
      { path: 'document.owner', message: expect.stringContaining('owner') as unknown },
    ]);
    expect((await call<TListPlansResponse>(tenant.viewer, 'GET', '/v1/plans')).body.plans).toEqual([]);
  });

  it('imports a file with semantic errors and marks it invalid', async () => {
    const tenant = newTenant();
    const document = documentNamed(uniqueName('semantic'), (doc) => (firstComponent(doc).storage.sizeGiB = 5));
    const answer = await importDocument(tenant.editor, document);
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.plan.valid).toBe(false);
    expect(answer.body.plan.validity.errors.map((issue) => issue.path)).toContain('components.0.storage.sizeGiB');
  });

  it('exports a cs-json file that imports back to the same document', async () => {
    const home = newTenant();
    const name = uniqueName('exported');
    const plan = await createPlan(
      home.editor,
      documentNamed(name, (doc) => (firstComponent(doc).network.allowedCidrs = ['10.0.0.0/16', '192.168.0.0/24'])),
    );
    const exported = await call<unknown>(home.viewer, 'GET', `/v1/plans/${plan.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="${name}.cs.json"`);
    expect(exported.body).toEqual(plan.document);
    // Keys in schema order, not jsonb's.
    expect(Object.keys(exported.body as object)).toEqual(['version', 'name', 'components']);

    const elsewhere = newTenant();
    const imported = await importDocument(elsewhere.editor, JSON.parse(exported.text));
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body.plan.document).toEqual(plan.document);
    expect(imported.body.plan.name).toBe(name);

    // Back into the same workspace once the original is gone.
    expect((await call(home.editor, 'DELETE', `/v1/plans/${plan.id}`)).status).toBe(204);
    const back = await importDocument(home.editor, JSON.parse(exported.text));
    expect(back.status, back.text).toBe(201);
    expect(back.body.plan.document).toEqual(plan.document);
  });

  it('names the download safely whatever the plan is called', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor, documentNamed(`Größe "${randomUUID().slice(0, 4)}"`));
    const exported = await call<unknown>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/export`);
    const disposition = exported.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="Gr__e _[0-9a-f]{4}_\.cs\.json"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(`${plan.name}.cs.json`);
  });
});

import { randomUUID } from 'node:crypto';
import {
  type TDeployment,
  type TDeploymentCredentialsResponse,
  type TDeploymentOperation,
  type TDeploymentResponse,
  type TListDeploymentEventsResponse,
  type TListDeploymentsResponse,
  ZDeploymentBusyDetails,
  ZDeploymentCredentialsResponse,
  ZDeploymentResponse,
  ZListDeploymentEventsResponse,
  ZListDeploymentsResponse,
} from '@elasticdash/contracts/deployer/deployment';
import { DEPLOY_JOB_NAMES, DeployerQueues, type TDeploymentOperationJob } from '@elasticdash/contracts/deployer/jobs';
import { EXAMPLE_CS_JSON, type TCsJsonDocument, type TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { type TPlan, ZPlanResponse } from '@elasticdash/contracts/plans/plan';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { RealtimeRedis, ZRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import { InternalTokenSigner, ZPrivateJwk } from '@elasticdash/service-kit/internal-token';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZListConnectionsResponse } from '@elasticdash/contracts/data/connection';
import { type TOpenInDataResponse, ZOpenInDataResponse } from '@elasticdash/contracts/deployer/data-connection';
import { ADMIN_DATABASE_URL, createTestDatabase } from '../../../tests/support/database.js';
import { exampleEnv } from '../../../tests/support/env-file.js';
import { devEnv } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';
import { type CustomerDatabase, createCustomerDatabase } from '../../svc-connections/test/connections-harness.js';

/**
 * svc-deployer against real Postgres and Redis, with a real svc-plans next to it (same
 * database): both run as built processes and are driven over HTTP with internal tokens signed
 * as the gateway signs them (the deploy route's token is for svc-deployer and svc-plans). No
 * worker runs: jobs are inspected in the queue, and the worker's progress is written with SQL.
 */

/** Jobs of this file live under their own BullMQ prefix, so no other worker takes them. */
const BULLMQ_PREFIX = `ed-test-deployer-${randomUUID().slice(0, 8)}`;
const REDIS_URL = devEnv().REDIS_URL ?? 'redis://127.0.0.1:6379/0';

interface Member {
  userId: string;
  email: string;
  tenantId: string;
  role: TRole;
}
interface Answer<T> {
  status: number;
  body: T;
  text: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

function member(tenantId: string, role: TRole): Member {
  const userId = randomUUID();
  return { userId, email: `${role}-${userId.slice(0, 8)}@example.test`, tenantId, role };
}
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

let plans: RunningService;
let deployer: RunningService;
let database: { url: string; drop(): Promise<void> };
let sql: pg.Pool;
let redis: Redis;
let queue: Queue<TDeploymentOperationJob>;
let signer: InternalTokenSigner;
const tenantsSeen = new Set<string>();

function deployerEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const example = exampleEnv();
  return {
    ...devEnv(),
    DATABASE_URL: database.url,
    SVC_PLANS_URL: plans.url,
    BULLMQ_PREFIX,
    SECRETS_MASTER_KEY: example.SECRETS_MASTER_KEY ?? '',
    SECRETS_MASTER_KEY_ID: example.SECRETS_MASTER_KEY_ID ?? '',
    // Everything is logged, so the test can show that no password reaches a log line.
    LOG_LEVEL: 'trace',
    ...overrides,
  };
}

beforeAll(async () => {
  database = await createTestDatabase('svc_deployer');
  plans = await startService({
    app: 'svc-plans',
    env: { ...devEnv(), DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
    port: await freePort(),
    portVar: 'SVC_PLANS_PORT',
    waitForReady: true,
  });
  deployer = await startService({
    app: 'svc-deployer',
    env: deployerEnv(),
    port: await freePort(),
    portVar: 'SVC_DEPLOYER_PORT',
    waitForReady: true,
  });
  sql = new pg.Pool({ connectionString: database.url, max: 3 });
  redis = new Redis(REDIS_URL);
  queue = new Queue<TDeploymentOperationJob>(DeployerQueues.operations, {
    connection: { url: REDIS_URL } as never,
    prefix: BULLMQ_PREFIX,
  });
  signer = await InternalTokenSigner.create(
    ZPrivateJwk.parse(JSON.parse(exampleEnv().INTERNAL_TOKEN_PRIVATE_KEY ?? '')),
  );
});

afterAll(async () => {
  if (process.env.SHOW_SERVICE_LOGS) console.log(deployer?.logs());
  const codes = [await deployer?.stop(), await plans?.stop()];
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  if (redis && tenantsSeen.size > 0) await redis.del(...[...tenantsSeen].map((id) => RealtimeRedis.streamKey(id)));
  redis?.disconnect();
  await sql?.end();
  await database?.drop();
  expect(codes).toEqual([0, 0]);
});

function token(who: Member, audience: string | string[], requestId?: string): Promise<string> {
  tenantsSeen.add(who.tenantId);
  const context: TInternalContext = {
    requestId: requestId ?? `test-${randomUUID()}`,
    userId: who.userId,
    email: who.email,
    userName: who.role,
    sessionId: randomUUID(),
    tenantId: who.tenantId,
    role: who.role,
  };
  return signer.sign(audience, context);
}

async function request<T>(
  baseUrl: string,
  who: Member,
  method: string,
  path: string,
  body?: unknown,
  options: { audience?: string | string[]; requestId?: string } = {},
): Promise<Answer<T>> {
  const requestId = options.requestId ?? `test-${randomUUID()}`;
  const headers: Record<string, string> = {
    'x-internal-context': await token(who, options.audience ?? ['svc-deployer', 'svc-plans'], requestId),
    'x-request-id': requestId,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}

const call = <T = Record<string, unknown>>(
  who: Member,
  method: string,
  path: string,
  body?: unknown,
  options?: { audience?: string | string[]; requestId?: string },
) => request<T>(deployer.url, who, method, path, body, options);

function expectError(answer: Answer<unknown>, status: number, code: string, message?: RegExp): ErrorBody['error'] {
  expect(answer.status, answer.text).toBe(status);
  const { error } = answer.body as ErrorBody;
  expect(error.code).toBe(code);
  expect(error.requestId).toEqual(expect.any(String));
  if (message) expect(error.message).toMatch(message);
  return error;
}

function documentNamed(name: string, edit?: (component: TPostgresComponent) => void): TCsJsonDocument {
  const document = structuredClone(EXAMPLE_CS_JSON);
  document.name = name;
  const component = document.components[0];
  if (!component) throw new Error('the example has a component');
  edit?.(component);
  return document;
}

async function createPlan(who: Member, edit?: (component: TPostgresComponent) => void): Promise<TPlan> {
  const document = documentNamed(`plan-${randomUUID().slice(0, 8)}`, edit);
  const answer = await request(plans.url, who, 'POST', '/v1/plans', { document }, { audience: 'svc-plans' });
  expect(answer.status, answer.text).toBe(201);
  return ZPlanResponse.parse(answer.body).plan;
}

async function savePlan(who: Member, plan: TPlan, edit: (component: TPostgresComponent) => void): Promise<TPlan> {
  const latest = ZPlanResponse.parse(
    (await request(plans.url, who, 'GET', `/v1/plans/${plan.id}`, undefined, { audience: 'svc-plans' })).body,
  ).plan;
  const answer = await request(
    plans.url,
    who,
    'PUT',
    `/v1/plans/${plan.id}`,
    { baseRevision: latest.revision, document: documentNamed(plan.name, edit) },
    { audience: 'svc-plans' },
  );
  expect(answer.status, answer.text).toBe(200);
  return ZPlanResponse.parse(answer.body).plan;
}

async function deploy(who: Member, planId: string, body: Record<string, unknown> = {}): Promise<TDeployment> {
  const answer = await call<TDeploymentResponse>(who, 'POST', `/v1/plans/${planId}/deploy`, body);
  expect(answer.status, answer.text).toBe(202);
  return ZDeploymentResponse.parse(answer.body).deployment;
}

function activeOf(deployment: TDeployment): TDeploymentOperation {
  if (!deployment.activeOperation) throw new Error('expected an active operation');
  return deployment.activeOperation;
}

const ENDPOINT = { host: '127.0.0.1', port: 55432, database: 'orders', user: 'orders_admin' };

/** What the worker does when an operation succeeds (plain SQL, as the worker writes it). */
async function finishOperation(operationId: string, outcome: 'running' | 'destroyed' | 'failed' = 'running') {
  await sql.query(`update deployer.operations set status = $2, finished_at = now(), error = $3 where id = $1`, [
    operationId,
    outcome === 'failed' ? 'failed' : 'succeeded',
    outcome === 'failed' ? 'boom' : null,
  ]);
  if (outcome === 'running') {
    await sql.query(
      `update deployer.deployments d
          set state = 'running', reason = null, deployed_revision = o.plan_revision,
              deployed_document = o.document, endpoint = $2::jsonb, updated_at = now()
         from deployer.operations o
        where o.id = $1 and d.id = o.deployment_id`,
      [operationId, JSON.stringify(ENDPOINT)],
    );
  } else if (outcome === 'destroyed') {
    // The worker releases everything, the admin password included.
    await sql.query(
      `with released as (
         update deployer.deployments d
            set state = 'destroyed', reason = null, endpoint = null, resources = '{}'::jsonb, health = null,
                admin_secret_ref = null, updated_at = now()
           from deployer.operations o
          where o.id = $1 and d.id = o.deployment_id
          returning (select admin_secret_ref from deployer.deployments where id = d.id) as ref)
       delete from deployer.secrets where id in (select ref::uuid from released)`,
      [operationId],
    );
  } else {
    await sql.query(
      `update deployer.deployments d set state = 'failed', reason = 'instance capacity', updated_at = now()
         from deployer.operations o where o.id = $1 and d.id = o.deployment_id`,
      [operationId],
    );
  }
}

async function operationRows(deploymentId: string) {
  const { rows } = await sql.query<{ id: string; kind: string; status: string; plan_revision: number | null }>(
    `select id, kind, status, plan_revision from deployer.operations where deployment_id = $1 order by created_at`,
    [deploymentId],
  );
  return rows;
}

describe('deploy', () => {
  it('creates the deployment and a queued operation, stores a sealed admin password and enqueues the job', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const requestId = `req-${randomUUID()}`;
    const answer = await call<TDeploymentResponse>(
      tenant.admin,
      'POST',
      `/v1/plans/${plan.id}/deploy`,
      {},
      {
        requestId,
      },
    );
    expect(answer.status, answer.text).toBe(202);
    const deployment = ZDeploymentResponse.parse(answer.body).deployment;
    expect(deployment).toMatchObject({
      planId: plan.id,
      planName: plan.name,
      target: 'local',
      state: 'pending',
      reason: null,
      deployedRevision: null,
      endpoint: null,
      health: null,
    });
    const operation = activeOf(deployment);
    expect(operation).toMatchObject({
      kind: 'deploy',
      status: 'queued',
      planRevision: 1,
      requestedBy: tenant.admin.email,
    });

    // The operation holds the snapshot of the document it deploys.
    const { rows } = await sql.query<{ document: TCsJsonDocument; request_id: string; admin_secret_ref: string }>(
      `select o.document, o.request_id, d.admin_secret_ref
         from deployer.operations o join deployer.deployments d on d.id = o.deployment_id where o.id = $1`,
      [operation.id],
    );
    expect(rows[0]?.document).toEqual(plan.document);
    expect(rows[0]?.request_id).toBe(requestId);
    const secretRef = rows[0]?.admin_secret_ref;
    expect(secretRef).toMatch(/^[0-9a-f-]{36}$/);
    const secret = await sql.query<{ tenant_id: string; master_key_id: string }>(
      `select tenant_id, master_key_id from deployer.secrets where id = $1`,
      [secretRef],
    );
    expect(secret.rows).toEqual([{ tenant_id: tenant.id, master_key_id: exampleEnv().SECRETS_MASTER_KEY_ID }]);

    // The job: id = operation id, the contract's data, retried with backoff.
    const job = await queue.getJob(operation.id);
    expect(job?.name).toBe(DEPLOY_JOB_NAMES.deploy);
    expect(job?.data).toEqual({
      tenantId: tenant.id,
      deploymentId: deployment.id,
      operationId: operation.id,
      requestId,
    });
    expect(job?.opts.attempts).toBe(3);
    expect(job?.opts.backoff).toMatchObject({ type: 'exponential' });

    // A transition event, and `deployment.status` published for the browser.
    const events = await call<TListDeploymentEventsResponse>(
      tenant.viewer,
      'GET',
      `/v1/plans/${plan.id}/deployment/events`,
    );
    expect(events.status, events.text).toBe(200);
    expect(ZListDeploymentEventsResponse.parse(events.body).events).toEqual([
      expect.objectContaining({ kind: 'transition', state: 'pending', operationId: operation.id }),
    ]);
    const stream = await redis.xrange(RealtimeRedis.streamKey(tenant.id), '-', '+');
    const published = stream.map(([, fields]) => ZRealtimeEnvelope.parse(JSON.parse(fields[1] ?? '{}') as unknown));
    expect(published.map((envelope) => envelope.event)).toContainEqual({
      type: 'deployment.status',
      deploymentId: deployment.id,
      planId: plan.id,
      state: 'pending',
      reason: null,
      health: null,
    });
    expect(published[0]?.requestId).toBe(requestId);

    // Readers see it, with the operation in progress.
    const got = await call<TDeploymentResponse>(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment`);
    expect(got.status, got.text).toBe(200);
    expect(ZDeploymentResponse.parse(got.body).deployment).toEqual(deployment);
    const list = await call<TListDeploymentsResponse>(tenant.viewer, 'GET', '/v1/deployments');
    expect(ZListDeploymentsResponse.parse(list.body).deployments).toEqual([deployment]);
  });

  it('lists deployments newest first', async () => {
    const tenant = newTenant();
    const first = await deploy(tenant.admin, (await createPlan(tenant.admin)).id);
    const second = await deploy(tenant.admin, (await createPlan(tenant.admin)).id);
    const list = await call<TListDeploymentsResponse>(tenant.viewer, 'GET', '/v1/deployments');
    expect(ZListDeploymentsResponse.parse(list.body).deployments.map((d) => d.id)).toEqual([second.id, first.id]);
  });

  it('answers 404 not_found for a plan that was never deployed', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    expectError(
      await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment`),
      404,
      'not_found',
      /This plan has not been deployed/,
    );
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment/events`), 404, 'not_found');
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${randomUUID()}/deploy`, {}),
      404,
      'not_found',
      /Plan not found/,
    );
  });

  it('runs one operation at a time: of two concurrent deploys exactly one is accepted, the other names it', async () => {
    const tenant = newTenant();
    for (let round = 0; round < 3; round += 1) {
      const plan = await createPlan(tenant.admin);
      const answers = await Promise.all([
        call<TDeploymentResponse>(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}),
        call<TDeploymentResponse>(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
      const accepted = answers.find((answer) => answer.status === 202);
      const refused = answers.find((answer) => answer.status === 409);
      if (!accepted || !refused) throw new Error('unreachable');
      const operation = activeOf(ZDeploymentResponse.parse(accepted.body).deployment);
      const error = expectError(refused, 409, 'deployment_busy', /already queued/);
      expect(ZDeploymentBusyDetails.parse(error.details).operation).toEqual(operation);
      const deployment = ZDeploymentResponse.parse(accepted.body).deployment;
      expect(await operationRows(deployment.id)).toHaveLength(1);
    }

    // And a later request while it is still queued or running: 409 too.
    const plan = await createPlan(tenant.admin);
    const first = activeOf(await deploy(tenant.admin, plan.id));
    await sql.query(`update deployer.operations set status = 'running', started_at = now() where id = $1`, [first.id]);
    const busy = expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}),
      409,
      'deployment_busy',
      /already running/,
    );
    expect(ZDeploymentBusyDetails.parse(busy.details).operation).toMatchObject({ id: first.id, status: 'running' });
  });

  it('refuses an invalid plan with 422 listing the paths of its errors', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin, (component) => {
      component.backups.retentionDays = 60;
      component.network.allowedCidrs = ['10.0.0.1/8'];
    });
    expect(plan.validity.valid).toBe(false);
    const error = expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}),
      422,
      'validation_failed',
      /fix them before deploying/,
    );
    const paths = (error.details as { issues: TFieldIssue[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['components.0.backups.retentionDays', 'components.0.network.allowedCidrs.0']),
    );
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment`), 404, 'not_found');
  });

  it('deploys a chosen revision, judged by the same rules', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    await savePlan(tenant.admin, plan, (component) => (component.backups.retentionDays = 60));
    // The latest (2) is invalid; revision 1 is not.
    expectError(await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}), 422, 'validation_failed');
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, { revision: 9 }),
      404,
      'not_found',
      /no revision 9/,
    );
    const deployment = await deploy(tenant.admin, plan.id, { revision: 1 });
    expect(activeOf(deployment).planRevision).toBe(1);
  });

  it('refuses the aws target until it is configured, and bad bodies', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, { target: 'aws' }),
      400,
      'bad_request',
      /the aws target is disabled on this installation \(DEPLOY_TARGETS\)/,
    );
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, { target: 'gcp' }),
      400,
      'validation_failed',
    );
    expectError(await call(tenant.admin, 'POST', `/v1/plans/not-a-uuid/deploy`, {}), 400, 'validation_failed');
  });
});

describe('re-deploy', () => {
  it('re-applies an unchanged plan, applies in-place changes, and refuses destructive ones unless confirmed', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const first = await deploy(tenant.admin, plan.id);
    await finishOperation(activeOf(first).id);

    // Nothing changed: still a re-deploy (cheap; it re-applies the desired configuration).
    const again = await deploy(tenant.admin, plan.id);
    expect(again.state).toBe('updating');
    expect(activeOf(again)).toMatchObject({ kind: 'redeploy', planRevision: 1 });
    expect((await queue.getJob(activeOf(again).id))?.name).toBe(DEPLOY_JOB_NAMES.deploy);
    await finishOperation(activeOf(again).id);

    // In place: more connections.
    await savePlan(tenant.admin, plan, (component) => (component.database.maxConnections = 200));
    const tuned = await deploy(tenant.admin, plan.id);
    expect(activeOf(tuned)).toMatchObject({ kind: 'redeploy', planRevision: 2 });
    const events = ZListDeploymentEventsResponse.parse(
      (await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment/events`)).body,
    ).events;
    expect(events.map((event) => event.id)).toEqual([...events.map((event) => event.id)].sort((a, b) => a - b));
    expect(events.filter((event) => event.operationId === activeOf(tuned).id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'transition', state: 'updating' }),
        expect.objectContaining({
          kind: 'log',
          step: 'plan-change',
          message: expect.stringMatching(/max_connections|maxConnections/) as unknown,
        }),
      ]),
    );
    await finishOperation(activeOf(tuned).id, 'failed');

    // Destructive (OS family and major version) on a failed deployment: refused, nothing queued.
    await savePlan(tenant.admin, plan, (component) => {
      component.database.maxConnections = 200;
      component.os = { family: 'debian', version: '12' };
      component.database.majorVersion = 17;
    });
    const refused = expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}),
      409,
      'destructive_change',
      /confirmDestructive/,
    );
    const changes = (refused.details as { changes: { path: string; reason: string }[] }).changes;
    expect(changes.map((change) => change.path)).toEqual(
      expect.arrayContaining(['os.family', 'database.majorVersion']),
    );
    expect(changes.every((change) => change.reason.length > 0)).toBe(true);
    const current = ZDeploymentResponse.parse(
      (await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment`)).body,
    );
    expect(current.deployment).toMatchObject({ state: 'failed', activeOperation: null });

    const confirmed = await deploy(tenant.admin, plan.id, { confirmDestructive: true });
    expect(confirmed.state).toBe('updating');
    expect(activeOf(confirmed)).toMatchObject({ kind: 'redeploy', planRevision: 3 });
  });
});

describe('destroy', () => {
  it('needs the plan name, runs plan.destroy, and a destroyed plan can be deployed again', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: plan.name }),
      404,
      'not_found',
      /not been deployed/,
    );
    const first = await deploy(tenant.admin, plan.id);

    const wrong = expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: 'nope' }),
      400,
      'validation_failed',
    );
    expect((wrong.details as { issues: TFieldIssue[] }).issues.map((issue) => issue.path)).toEqual(['confirmPlanName']);
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, {}),
      400,
      'validation_failed',
    );
    // Busy while the deploy is queued.
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: plan.name }),
      409,
      'deployment_busy',
    );
    await finishOperation(activeOf(first).id);
    expectError(
      await call(tenant.viewer, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: plan.name }),
      403,
      'forbidden',
    );

    const answer = await call<TDeploymentResponse>(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, {
      confirmPlanName: plan.name,
    });
    expect(answer.status, answer.text).toBe(202);
    const destroying = ZDeploymentResponse.parse(answer.body).deployment;
    expect(destroying.state).toBe('destroying');
    expect(activeOf(destroying)).toMatchObject({ kind: 'destroy', status: 'queued', planRevision: 1 });
    expect((await queue.getJob(activeOf(destroying).id))?.name).toBe(DEPLOY_JOB_NAMES.destroy);
    await finishOperation(activeOf(destroying).id, 'destroyed');

    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: plan.name }),
      409,
      'conflict',
      /already destroyed/,
    );
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/credentials`),
      409,
      'conflict',
      /destroyed/,
    );

    const { rows: released } = await sql.query(`select admin_secret_ref from deployer.deployments where id = $1`, [
      destroying.id,
    ]);
    expect(released).toEqual([{ admin_secret_ref: null }]);
    const redeployed = await deploy(tenant.admin, plan.id);
    expect(redeployed.id).toBe(destroying.id);
    expect(redeployed.state).toBe('pending');
    expect(activeOf(redeployed).kind).toBe('deploy');
    // A new admin password for the new server.
    const { rows: after } = await sql.query<{ n: number }>(
      `select count(*)::int as n from deployer.deployments d join deployer.secrets s on s.id = d.admin_secret_ref::uuid
        where d.id = $1 and s.tenant_id = $2`,
      [destroying.id, tenant.id],
    );
    expect(after).toEqual([{ n: 1 }]);
    expect((await operationRows(destroying.id)).map((row) => row.kind)).toEqual(['deploy', 'destroy', 'deploy']);
  });
});

describe('credentials', () => {
  it('reveals the admin password once there is an endpoint, records the reveal, and never logs it', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const deployment = await deploy(tenant.admin, plan.id);
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/credentials`),
      409,
      'conflict',
      /no endpoint yet/,
    );
    await finishOperation(activeOf(deployment).id);
    expectError(await call(tenant.viewer, 'POST', `/v1/plans/${plan.id}/deployment/credentials`), 403, 'forbidden');

    const requestId = `reveal-${randomUUID()}`;
    const answer = await call<TDeploymentCredentialsResponse>(
      tenant.admin,
      'POST',
      `/v1/plans/${plan.id}/deployment/credentials`,
      undefined,
      { requestId },
    );
    expect(answer.status, answer.text).toBe(200);
    const credentials = ZDeploymentCredentialsResponse.parse(answer.body);
    expect(credentials.endpoint).toEqual(ENDPOINT);
    expect(credentials.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(credentials.connectionString).toBe(
      `postgresql://orders_admin:${credentials.password}@127.0.0.1:55432/orders`,
    );
    const again = ZDeploymentCredentialsResponse.parse(
      (await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/credentials`)).body,
    );
    expect(again.password).toBe(credentials.password);

    const { rows } = await sql.query<{ user_id: string; user_email: string; request_id: string }>(
      `select user_id, user_email, request_id from deployer.credential_reveals where deployment_id = $1 order by id`,
      [deployment.id],
    );
    expect(rows).toEqual([
      { user_id: tenant.admin.userId, user_email: tenant.admin.email, request_id: requestId },
      { user_id: tenant.admin.userId, user_email: tenant.admin.email, request_id: expect.any(String) as unknown },
    ]);

    // Stored sealed, never in clear; absent from every log line of both services.
    const secrets = await sql.query<{ ciphertext: Buffer }>(`select ciphertext from deployer.secrets`);
    expect(secrets.rows.some((row) => row.ciphertext.toString('latin1').includes(credentials.password))).toBe(false);
    const logs = deployer.logs();
    expect(logs).toContain(requestId);
    expect(logs).not.toContain(credentials.password);
    expect(logs).not.toContain(encodeURIComponent(credentials.password));
    expect(plans.logs()).not.toContain(credentials.password);
  });
});

describe('access', () => {
  it('keeps tenants apart: another workspace sees a 404 for everything of this plan', async () => {
    const tenant = newTenant();
    const other = newTenant();
    const plan = await createPlan(tenant.admin);
    const deployment = await deploy(tenant.admin, plan.id);
    await finishOperation(activeOf(deployment).id);

    expectError(await call(other.owner, 'POST', `/v1/plans/${plan.id}/deploy`, {}), 404, 'not_found');
    expectError(await call(other.owner, 'GET', `/v1/plans/${plan.id}/deployment`), 404, 'not_found');
    expectError(await call(other.owner, 'GET', `/v1/plans/${plan.id}/deployment/events`), 404, 'not_found');
    expectError(await call(other.owner, 'POST', `/v1/plans/${plan.id}/deployment/credentials`), 404, 'not_found');
    expectError(
      await call(other.owner, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: plan.name }),
      404,
      'not_found',
    );
    const list = await call<TListDeploymentsResponse>(other.owner, 'GET', '/v1/deployments');
    expect(ZListDeploymentsResponse.parse(list.body).deployments).toEqual([]);
    const { rows } = await sql.query(`select 1 from deployer.credential_reveals where deployment_id = $1`, [
      deployment.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('lets viewers and editors read and refuses them deploys, destroys and credentials (admin and up)', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.editor);
    for (const who of [tenant.viewer, tenant.editor]) {
      expectError(await call(who, 'POST', `/v1/plans/${plan.id}/deploy`, {}), 403, 'forbidden', /admin/);
      expectError(
        await call(who, 'POST', `/v1/plans/${plan.id}/deployment/destroy`, { confirmPlanName: plan.name }),
        403,
        'forbidden',
        /admin/,
      );
      expectError(await call(who, 'POST', `/v1/plans/${plan.id}/deployment/credentials`), 403, 'forbidden', /admin/);
    }
    expect((await call(tenant.editor, 'GET', '/v1/deployments')).status).toBe(200);
    expect((await call(tenant.viewer, 'GET', '/v1/deployments')).status).toBe(200);
  });

  it('answers 401 without a token and for a token of another service', async () => {
    const tenant = newTenant();
    const plain = await fetch(`${deployer.url}/v1/deployments`);
    expect(plain.status).toBe(401);
    expectError(
      await call(tenant.admin, 'GET', '/v1/deployments', undefined, { audience: 'svc-plans' }),
      401,
      'unauthenticated',
    );
  });

  it('fails a deploy clearly when the token was not signed for svc-plans, without passing on its answer', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const error = expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {}, { audience: 'svc-deployer' }),
      502,
      'bad_gateway',
      /plans service refused/,
    );
    expect(error.message).not.toMatch(/internal context token/i);
    expectError(await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment`), 404, 'not_found');
  });

  it('is ready when Postgres and Redis are', async () => {
    const answer = await fetch(`${deployer.url}/health/ready`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { checks: { name: string }[] | Record<string, unknown> };
    expect(JSON.stringify(body)).toMatch(/postgres/);
    expect(JSON.stringify(body)).toMatch(/redis/);
  });
});

describe('when a dependency is down', () => {
  let noRedis: RunningService;
  let noPlans: RunningService;

  beforeAll(async () => {
    const deadPort = await freePort();
    [noRedis, noPlans] = await Promise.all([
      startService({
        app: 'svc-deployer',
        env: deployerEnv({ REDIS_URL: `redis://127.0.0.1:${deadPort}/0`, LOG_LEVEL: 'warn' }),
        port: await freePort(),
        portVar: 'SVC_DEPLOYER_PORT',
        migrate: false,
      }),
      startService({
        app: 'svc-deployer',
        env: deployerEnv({ SVC_PLANS_URL: `http://127.0.0.1:${deadPort}`, LOG_LEVEL: 'warn' }),
        port: await freePort(),
        portVar: 'SVC_DEPLOYER_PORT',
        migrate: false,
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([noRedis?.stop(), noPlans?.stop()]);
  });

  it('answers 503 when svc-plans is unreachable', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const answer = await request(noPlans.url, tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {});
    expectError(answer, 503, 'service_unavailable', /plans service is unavailable/);
  });

  it('leaves no phantom operation when the job cannot be queued', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const answer = await request(noRedis.url, tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {});
    expectError(answer, 503, 'service_unavailable', /queue is unavailable/);
    const deployment = ZDeploymentResponse.parse(
      (await call(tenant.viewer, 'GET', `/v1/plans/${plan.id}/deployment`)).body,
    ).deployment;
    expect(deployment).toMatchObject({
      state: 'failed',
      activeOperation: null,
      reason: expect.stringMatching(/could not be queued/) as unknown,
    });
    expect((await operationRows(deployment.id)).map((row) => row.status)).toEqual(['failed']);
    // The next request (through a healthy instance) is not blocked.
    const retried = await deploy(tenant.admin, plan.id);
    expect(activeOf(retried).kind).toBe('deploy');
  });
});

describe('Open in Data', () => {
  const audience = ['svc-deployer', 'svc-connections'];
  let connections: RunningService;
  let withData: RunningService;
  const customers: CustomerDatabase[] = [];

  beforeAll(async () => {
    const example = exampleEnv();
    connections = await startService({
      app: 'svc-connections',
      env: {
        ...devEnv(),
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        SECRETS_MASTER_KEY: example.SECRETS_MASTER_KEY ?? '',
        SECRETS_MASTER_KEY_ID: example.SECRETS_MASTER_KEY_ID ?? '',
      },
      port: await freePort(),
      portVar: 'SVC_CONNECTIONS_PORT',
      waitForReady: true,
    });
    withData = await startService({
      app: 'svc-deployer',
      env: deployerEnv({ SVC_CONNECTIONS_URL: connections.url, LOG_LEVEL: 'warn' }),
      port: await freePort(),
      portVar: 'SVC_DEPLOYER_PORT',
      migrate: false,
      waitForReady: true,
    });
  });

  afterAll(async () => {
    await Promise.all([withData?.stop(), connections?.stop()]);
    await Promise.all(customers.map((customer) => customer.drop()));
  });

  /** A real database for the deployment's endpoint, whose owner has the deployment's admin password. */
  async function serverFor(label: string, password: string): Promise<CustomerDatabase> {
    const customer = await createCustomerDatabase(label);
    customers.push(customer);
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`alter role "${customer.role}" password '${password.replace(/'/g, "''")}'`);
    } finally {
      await admin.end();
    }
    return customer;
  }

  async function moveEndpoint(deploymentId: string, server: CustomerDatabase) {
    const { host, port, database: db, user } = server.settings;
    await sql.query(`update deployer.deployments set endpoint = $2::jsonb where id = $1`, [
      deploymentId,
      JSON.stringify({ host, port, database: db, user }),
    ]);
  }

  const openInData = async (who: Member, planId: string) => {
    const answer = await request<TOpenInDataResponse>(
      withData.url,
      who,
      'POST',
      `/v1/plans/${planId}/deployment/open-in-data`,
      undefined,
      { audience },
    );
    expect(answer.status, answer.text).toBe(200);
    return ZOpenInDataResponse.parse(answer.body);
  };
  const listConnections = async (who: Member) =>
    ZListConnectionsResponse.parse(
      (await request(connections.url, who, 'GET', '/connections', undefined, { audience: 'svc-connections' })).body,
    ).connections;

  it('registers the database once, follows the server when it moves, and registers again if the connection was deleted', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    const deployment = await deploy(tenant.admin, plan.id);
    await finishOperation(activeOf(deployment).id);
    const { password } = ZDeploymentCredentialsResponse.parse(
      (await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deployment/credentials`)).body,
    );
    const first = await serverFor('oid_first', password);
    await moveEndpoint(deployment.id, first);

    const opened = await openInData(tenant.admin, plan.id);
    expect(opened.created).toBe(true);
    expect(opened.connection).toMatchObject({ name: plan.name, database: first.database, user: first.role });
    const again = await openInData(tenant.admin, plan.id);
    expect(again).toEqual({ connection: opened.connection, created: false });

    // The server is replaced (a confirmed destructive re-deploy on AWS gets a new address): the same
    // connection now points at the new one, and no second connection appears.
    const second = await serverFor('oid_second', password);
    await moveEndpoint(deployment.id, second);
    const followed = await openInData(tenant.admin, plan.id);
    expect(followed.created).toBe(false);
    expect(followed.connection).toMatchObject({
      id: opened.connection.id,
      name: plan.name,
      database: second.database,
      user: second.role,
    });
    expect((await listConnections(tenant.admin)).map((c) => [c.id, c.database])).toEqual([
      [opened.connection.id, second.database],
    ]);

    // Deleted in Data: the next press registers it again (under the plan's name, which is free again).
    const deleted = await request(
      connections.url,
      tenant.admin,
      'DELETE',
      `/connections/${opened.connection.id}`,
      undefined,
      { audience: 'svc-connections' },
    );
    expect(deleted.status, deleted.text).toBe(204);
    const recreated = await openInData(tenant.admin, plan.id);
    expect(recreated.created).toBe(true);
    expect(recreated.connection.id).not.toBe(opened.connection.id);
    expect((await openInData(tenant.admin, plan.id)).connection.id).toBe(recreated.connection.id);
    const { rows } = await sql.query<{ data_connection_id: string }>(
      `select data_connection_id from deployer.deployments where id = $1`,
      [deployment.id],
    );
    expect(rows).toEqual([{ data_connection_id: recreated.connection.id }]);
  });
});

import { randomUUID } from 'node:crypto';
import { type TDeploymentResponse, ZDeploymentResponse } from '@elasticdash/contracts/deployer/deployment';
import { DeployerQueues, type TDeploymentOperationJob } from '@elasticdash/contracts/deployer/jobs';
import {
  type TAwsTargetResponse,
  type TCheckAwsTargetResponse,
  type TListDeployTargetsResponse,
  ZAwsTargetResponse,
  ZCheckAwsTargetResponse,
  ZListDeployTargetsResponse,
} from '@elasticdash/contracts/deployer/targets';
import { EXAMPLE_CS_JSON } from '@elasticdash/contracts/plans/cs-json';
import { type TPlan, ZPlanResponse } from '@elasticdash/contracts/plans/plan';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { InternalTokenSigner, ZPrivateJwk } from '@elasticdash/service-kit/internal-token';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { exampleEnv } from '../../../tests/support/env-file.js';
import { devEnv } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';

/**
 * The deploy-targets HTTP surface of svc-deployer (built process, real Postgres and Redis): admins
 * store AWS credentials, the secret half is sealed and never answered, deploys to aws need a
 * stored target, and the target cannot be removed while an aws deployment lives. The SDK calls
 * of "check credentials" are covered with a mocked SDK in aws-credential-checker.spec.ts; here
 * AWS is unreachable, so the check must answer quickly with a reason and store it.
 */

const BULLMQ_PREFIX = `ed-test-targets-${randomUUID().slice(0, 8)}`;
const REDIS_URL = devEnv().REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const EXTERNAL_ID = `ext-${randomUUID()}`;
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzYxWvU7890';
const ACCESS_KEY_ID = 'AKIAIOSFODNN7QWXYZ12';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ElasticDashDeployer';

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
  error: { code: string; message: string; details?: { issues?: TFieldIssue[] }; requestId: string };
}

function newTenant(): Record<'admin' | 'editor' | 'viewer', Member> & { id: string } {
  const id = randomUUID();
  const member = (role: TRole): Member => {
    const userId = randomUUID();
    return { userId, email: `${role}-${userId.slice(0, 8)}@example.test`, tenantId: id, role };
  };
  return { id, admin: member('admin'), editor: member('editor'), viewer: member('viewer') };
}

let plans: RunningService;
let deployer: RunningService;
let database: { url: string; drop(): Promise<void> };
let sql: pg.Pool;
let queue: Queue<TDeploymentOperationJob>;
let signer: InternalTokenSigner;

beforeAll(async () => {
  database = await createTestDatabase('svc_deployer_targets');
  plans = await startService({
    app: 'svc-plans',
    env: { ...devEnv(), DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
    port: await freePort(),
    portVar: 'SVC_PLANS_PORT',
    waitForReady: true,
  });
  const example = exampleEnv();
  deployer = await startService({
    app: 'svc-deployer',
    env: {
      ...devEnv(),
      DATABASE_URL: database.url,
      SVC_PLANS_URL: plans.url,
      BULLMQ_PREFIX,
      SECRETS_MASTER_KEY: example.SECRETS_MASTER_KEY ?? '',
      SECRETS_MASTER_KEY_ID: example.SECRETS_MASTER_KEY_ID ?? '',
      DEPLOY_TARGETS: 'local,aws',
      // Everything is logged, so the test can show that no secret reaches a log line.
      LOG_LEVEL: 'trace',
      // No platform credentials: AssumeRole must fail fast instead of probing the metadata service.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    },
    port: await freePort(),
    portVar: 'SVC_DEPLOYER_PORT',
    waitForReady: true,
  });
  sql = new pg.Pool({ connectionString: database.url, max: 3 });
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
  await sql?.end();
  await database?.drop();
  expect(codes).toEqual([0, 0]);
});

async function request<T>(
  baseUrl: string,
  who: Member,
  method: string,
  path: string,
  body?: unknown,
  audience: string | string[] = ['svc-deployer', 'svc-plans'],
): Promise<Answer<T>> {
  const context: TInternalContext = {
    requestId: `test-${randomUUID()}`,
    userId: who.userId,
    email: who.email,
    userName: who.role,
    sessionId: randomUUID(),
    tenantId: who.tenantId,
    role: who.role,
  };
  const headers: Record<string, string> = { 'x-internal-context': await signer.sign(audience, context) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}
const call = <T = unknown>(who: Member, method: string, path: string, body?: unknown) =>
  request<T>(deployer.url, who, method, path, body);

function expectError(answer: Answer<unknown>, status: number, code: string, message?: RegExp): ErrorBody['error'] {
  expect(answer.status, answer.text).toBe(status);
  const { error } = answer.body as ErrorBody;
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

async function createPlan(who: Member): Promise<TPlan> {
  const document = structuredClone(EXAMPLE_CS_JSON);
  document.name = `plan-${randomUUID().slice(0, 8)}`;
  const answer = await request(plans.url, who, 'POST', '/v1/plans', { document }, 'svc-plans');
  expect(answer.status, answer.text).toBe(201);
  return ZPlanResponse.parse(answer.body).plan;
}

/** Every column of the tenant's target and secrets as text, plus the raw ciphertexts: what a dump would show. */
async function storedText(tenantId: string): Promise<string> {
  const { rows } = await sql.query<{ dump: string | null }>(
    `select coalesce((select json_agg(t)::text from deployer.aws_targets t where tenant_id = $1), '') ||
            coalesce((select json_agg(s)::text from deployer.secrets s where tenant_id = $1), '') as dump`,
    [tenantId],
  );
  const raw = await sql.query<{ ciphertext: Buffer }>('select ciphertext from deployer.secrets where tenant_id = $1', [
    tenantId,
  ]);
  return (rows[0]?.dump ?? '') + raw.rows.map((r) => r.ciphertext.toString('latin1')).join('');
}

const roleBody = { region: 'eu-west-1', credentials: { kind: 'role', roleArn: ROLE_ARN, externalId: EXTERNAL_ID } };
const keyBody = {
  region: 'us-east-1',
  credentials: { kind: 'access-key', accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
};

describe('deploy targets', () => {
  it('lists local only until an admin sets AWS; members below admin are refused', async () => {
    const tenant = newTenant();
    const answer = await call<TListDeployTargetsResponse>(tenant.admin, 'GET', '/v1/deploy-targets');
    expect(answer.status, answer.text).toBe(200);
    expect(ZListDeployTargetsResponse.parse(answer.body)).toEqual({
      local: { kind: 'local', enabled: true },
      aws: null,
    });
    expectError(await call(tenant.editor, 'GET', '/v1/deploy-targets'), 403, 'forbidden');
    expectError(await call(tenant.viewer, 'PUT', '/v1/deploy-targets/aws', roleBody), 403, 'forbidden');
    expectError(await call(tenant.editor, 'POST', '/v1/deploy-targets/aws/check'), 403, 'forbidden');
    expectError(await call(tenant.editor, 'DELETE', '/v1/deploy-targets/aws'), 403, 'forbidden');
    expectError(await call(tenant.admin, 'POST', '/v1/deploy-targets/aws/check'), 404, 'not_found');
  });

  it('answers field-path errors for a bad region, role ARN and access key', async () => {
    const tenant = newTenant();
    const bad = expectError(
      await call(tenant.admin, 'PUT', '/v1/deploy-targets/aws', {
        region: 'eu-middle-9',
        credentials: { kind: 'role', roleArn: 'arn:aws:iam::1234:user/bob', externalId: 'x' },
      }),
      400,
      'validation_failed',
    );
    const paths = (bad.details?.issues ?? []).map((i) => i.path).sort();
    expect(paths).toEqual(['credentials.externalId', 'credentials.roleArn', 'region']);
    const key = expectError(
      await call(tenant.admin, 'PUT', '/v1/deploy-targets/aws', {
        region: 'us-east-1',
        credentials: { kind: 'access-key', accessKeyId: 'not-a-key', secretAccessKey: '' },
      }),
      400,
      'validation_failed',
    );
    expect([...new Set((key.details?.issues ?? []).map((i) => i.path))].sort()).toEqual([
      'credentials.accessKeyId',
      'credentials.secretAccessKey',
    ]);
    const kind = expectError(
      await call(tenant.admin, 'PUT', '/v1/deploy-targets/aws', { region: 'us-east-1', credentials: { kind: 'gcp' } }),
      400,
      'validation_failed',
    );
    expect(kind.details?.issues?.[0]?.path).toMatch(/^credentials/);
    expect((await storedText(tenant.id)).length).toBe(0);
  });

  it('stores a role with its external id sealed: never answered, never in clear in the database', async () => {
    const tenant = newTenant();
    const put = await call<TAwsTargetResponse>(tenant.admin, 'PUT', '/v1/deploy-targets/aws', roleBody);
    expect(put.status, put.text).toBe(200);
    expect(ZAwsTargetResponse.parse(put.body).aws).toMatchObject({
      kind: 'aws',
      region: 'eu-west-1',
      credentialKind: 'role',
      roleArn: ROLE_ARN,
      accessKeyIdMasked: null,
      lastCheck: null,
      enabled: true,
      updatedBy: tenant.admin.email,
    });
    expect(put.text).not.toContain(EXTERNAL_ID);
    const list = await call<TListDeployTargetsResponse>(tenant.admin, 'GET', '/v1/deploy-targets');
    expect(ZListDeployTargetsResponse.parse(list.body).aws?.roleArn).toBe(ROLE_ARN);
    expect(list.text).not.toContain(EXTERNAL_ID);
    const stored = await storedText(tenant.id);
    expect(stored).toContain(ROLE_ARN);
    expect(stored).not.toContain(EXTERNAL_ID);
  });

  it('masks the access key id, replaces the sealed secret on change, and keeps both halves out of answers and logs', async () => {
    const tenant = newTenant();
    expect((await call(tenant.admin, 'PUT', '/v1/deploy-targets/aws', roleBody)).status).toBe(200);
    const first = await sql.query<{ secret_ref: string }>(
      'select secret_ref from deployer.aws_targets where tenant_id = $1',
      [tenant.id],
    );
    const put = await call<TAwsTargetResponse>(tenant.admin, 'PUT', '/v1/deploy-targets/aws', keyBody);
    expect(put.status, put.text).toBe(200);
    const aws = ZAwsTargetResponse.parse(put.body).aws;
    expect(aws).toMatchObject({ credentialKind: 'access-key', roleArn: null, accessKeyIdMasked: 'AKIA…YZ12' });
    expect(put.text).not.toContain(ACCESS_KEY_ID);
    expect(put.text).not.toContain(SECRET_ACCESS_KEY);
    // One sealed secret per tenant: the role's external id went with the old credentials.
    const secrets = await sql.query<{ id: string }>('select id from deployer.secrets where tenant_id = $1', [
      tenant.id,
    ]);
    expect(secrets.rows).toHaveLength(1);
    expect(secrets.rows[0]?.id).not.toBe(first.rows[0]?.secret_ref);
    expect(await storedText(tenant.id)).not.toContain(SECRET_ACCESS_KEY);

    // AWS is unreachable here: the check answers with a reason, stores it, and leaks nothing.
    const check = await call<TCheckAwsTargetResponse>(tenant.admin, 'POST', '/v1/deploy-targets/aws/check');
    expect(check.status, check.text).toBe(200);
    const result = ZCheckAwsTargetResponse.parse(check.body).check;
    expect(result.ok).toBe(false);
    expect(result.message.length).toBeGreaterThan(5);
    expect(check.text).not.toContain(SECRET_ACCESS_KEY);
    const list = ZListDeployTargetsResponse.parse(
      (await call<TListDeployTargetsResponse>(tenant.admin, 'GET', '/v1/deploy-targets')).body,
    );
    expect(list.aws?.lastCheck).toEqual(result);

    // New credentials: the old check no longer applies.
    await call(tenant.admin, 'PUT', '/v1/deploy-targets/aws', keyBody);
    const after = ZListDeployTargetsResponse.parse(
      (await call<TListDeployTargetsResponse>(tenant.admin, 'GET', '/v1/deploy-targets')).body,
    );
    expect(after.aws?.lastCheck).toBeNull();

    const logs = deployer.logs();
    expect(logs).not.toContain(SECRET_ACCESS_KEY);
    expect(logs).not.toContain(EXTERNAL_ID);
  });

  it('deploys to aws only with a stored target, and refuses removal while an aws deployment lives', async () => {
    const tenant = newTenant();
    const plan = await createPlan(tenant.admin);
    expectError(
      await call(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, { target: 'aws' }),
      400,
      'bad_request',
      /no AWS target is configured for this workspace: add one under Settings → Deploy targets/,
    );
    expect((await call(tenant.admin, 'PUT', '/v1/deploy-targets/aws', roleBody)).status).toBe(200);
    const deploy = await call<TDeploymentResponse>(tenant.admin, 'POST', `/v1/plans/${plan.id}/deploy`, {
      target: 'aws',
    });
    expect(deploy.status, deploy.text).toBe(202);
    const deployment = ZDeploymentResponse.parse(deploy.body).deployment;
    expect(deployment.target).toBe('aws');
    const job = await queue.getJob(deployment.activeOperation?.id ?? '');
    expect(job?.data).toMatchObject({ tenantId: tenant.id, deploymentId: deployment.id });

    expectError(
      await call(tenant.admin, 'DELETE', '/v1/deploy-targets/aws'),
      409,
      'conflict',
      new RegExp(`still used by 1 deployment: ${plan.name} \\(pending\\)`),
    );
    // What the worker writes once destroyed.
    await sql.query(`update deployer.deployments set state = 'destroyed' where id = $1`, [deployment.id]);
    const removed = await call(tenant.admin, 'DELETE', '/v1/deploy-targets/aws');
    expect(removed.status, removed.text).toBe(204);
    const left = await sql.query(
      `select 1 from deployer.aws_targets where tenant_id = $1
       union all select 1 from deployer.secrets s where tenant_id = $1
         and not exists (select 1 from deployer.deployments d where d.admin_secret_ref = s.id::text)`,
      [tenant.id],
    );
    expect(left.rows).toHaveLength(0);
    expectError(await call(tenant.admin, 'DELETE', '/v1/deploy-targets/aws'), 404, 'not_found');
  });
});

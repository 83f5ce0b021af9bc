import { randomBytes, randomUUID } from 'node:crypto';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEPLOY_JOB_NAMES, type TDeploymentOperationJob } from '@elasticdash/contracts/deployer/jobs';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { TRealtimeEvent } from '@elasticdash/contracts/realtime/event';
import { decodeMasterKey } from '@elasticdash/service-kit/secrets/keyring';
import { mockClient } from 'aws-sdk-client-mock';
import type { Job } from 'bullmq';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { exampleEnv } from '../../../tests/support/env-file.js';
import { AwsCredentialsCache } from '../src/deploy/aws/credentials.js';
import { AwsTarget } from '../src/deploy/aws/aws-target.js';
import { DeployProcessor } from '../src/deploy/deploy.processor.js';
import { DeployRepository } from '../src/deploy/deploy.repository.js';
import { LocalTarget } from '../src/deploy/local-target.js';
import type { MonitorScheduler } from '../src/deploy/monitor-scheduler.js';
import { insertSealedSecret, migrateDeployer } from './deploy-harness.js';

/**
 * The deploy processor on an aws deployment, in process, against the real `deployer` schema
 * (svc-deployer's migrations) with the AWS SDK mocked: the dispatch on `target = 'aws'`, the step
 * log in operations.steps_done / deployment_events, the resources and endpoint recorded, a verdict
 * failing the operation with its reason, and destroy forgetting the admin password.
 */

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const INSTANCE = 'i-0fedcba9876543210';

let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let processor: DeployProcessor;
const published: TRealtimeEvent[] = [];
const monitors = new Set<string>();
const example = exampleEnv();
const keyId = example.SECRETS_MASTER_KEY_ID ?? 'dev-local-1';
const keyring = { currentId: keyId, keys: new Map([[keyId, decodeMasterKey(example.SECRETS_MASTER_KEY ?? '')!]]) };

async function insertSecret(tenantId: string, value: string): Promise<string> {
  const secretId = randomUUID();
  await insertSealedSecret(pool, keyring, { tenantId, secretId, value });
  return secretId;
}

function plan(): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON);
  doc.components[0]!.network = { port: 5432, allowedCidrs: ['203.0.113.0/24'], public: true };
  return doc;
}

/** svc-deployer's side: an aws target with sealed keys, the deployment, its admin password. */
async function awsDeployment(): Promise<{ tenantId: string; deploymentId: string; adminRef: string }> {
  const tenantId = randomUUID();
  const targetRef = await insertSecret(
    tenantId,
    JSON.stringify({ kind: 'access-key', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
  );
  await pool.query(
    `insert into deployer.aws_targets (tenant_id, region, credential_kind, access_key_id, secret_ref, updated_by)
     values ($1, 'eu-west-1', 'access-key', 'AKIAIOSFODNN7EXAMPLE', $2, 'admin@example.test')`,
    [tenantId, targetRef],
  );
  const adminRef = await insertSecret(tenantId, randomBytes(18).toString('base64url'));
  const { rows } = await pool.query<{ id: string }>(
    `insert into deployer.deployments (tenant_id, plan_id, plan_name, component_id, target, admin_secret_ref)
     values ($1, $2, 'orders', 'pg-1', 'aws', $3) returning id`,
    [tenantId, randomUUID(), adminRef],
  );
  return { tenantId, deploymentId: rows[0]!.id, adminRef };
}

async function runOperation(
  ref: { tenantId: string; deploymentId: string },
  kind: 'deploy' | 'destroy',
): Promise<{ operationId: string; result: unknown }> {
  const operationId = randomUUID();
  await pool.query(
    `insert into deployer.operations (id, tenant_id, deployment_id, kind, plan_revision, document, requested_by)
     values ($1, $2, $3, $4, 1, $5::jsonb, 'test')`,
    [operationId, ref.tenantId, ref.deploymentId, kind, JSON.stringify(plan())],
  );
  const data: TDeploymentOperationJob = {
    tenantId: ref.tenantId,
    deploymentId: ref.deploymentId,
    operationId,
    requestId: null,
  };
  const job = {
    id: operationId,
    name: kind === 'destroy' ? DEPLOY_JOB_NAMES.destroy : DEPLOY_JOB_NAMES.deploy,
    data,
    opts: { attempts: 1 },
    attemptsMade: 0,
  } as unknown as Job<TDeploymentOperationJob>;
  const result = await processor.process(job).catch((error: unknown) => error);
  return { operationId, result };
}

beforeAll(async () => {
  database = await createTestDatabase('worker_aws_deploy');
  await migrateDeployer(database.url);
  pool = new pg.Pool({ connectionString: database.url, max: 6 });
  // pool.end() resolves while its last sockets still close; the drop's terminate then reaches
  // one as an idle-client error, which must not become an uncaught exception.
  pool.on('error', () => undefined);
  const repository = new DeployRepository(pool);
  const scheduler = {
    upsert: async (_tenantId: string, id: string) => void monitors.add(id),
    remove: async (id: string) => monitors.delete(id),
  } as unknown as MonitorScheduler;
  processor = new DeployProcessor(
    repository,
    new LocalTarget({ root: '/nonexistent', portRange: { first: 1, last: 1 }, listenAddresses: [], binDir: '' }),
    { publish: async (_tenantId, event) => (published.push(event), '0-0') },
    keyring,
    scheduler,
    pino({ level: 'silent' }),
    { backupRegion: 'eu-west-1' },
    null,
    new AwsTarget(repository, keyring, {
      credentials: new AwsCredentialsCache(),
      probe: async () => ({ ok: true }),
      sleep: async () => undefined,
      verifyTimeoutMs: 1_000,
      provisioner: { stateTimeoutMs: 5_000 },
    }),
  );
});

afterAll(async () => {
  ec2.restore();
  s3.restore();
  sts.restore();
  iam.restore();
  await pool?.end();
  await database?.drop();
});

const noSuchEntity = () => Object.assign(new Error('not found'), { name: 'NoSuchEntityException', $metadata: {} });

beforeEach(() => {
  ec2.reset();
  s3.reset();
  sts.reset();
  iam.reset();
  // A fresh account: the agent's role and instance profile are created.
  iam.on(GetRoleCommand).rejects(noSuchEntity());
  iam.on(CreateRoleCommand).resolves({});
  iam.on(PutRolePolicyCommand).resolves({});
  iam.on(GetInstanceProfileCommand).rejects(noSuchEntity());
  iam.on(CreateInstanceProfileCommand).resolves({});
  iam.on(AddRoleToInstanceProfileCommand).resolves({});
  // The agent on the instance reports the desired config version 1 applied.
  s3.on(GetObjectCommand).resolves({
    Body: {
      transformToString: async () =>
        JSON.stringify({
          result: 'applied',
          desiredVersion: 1,
          appliedVersion: 1,
          restarted: false,
          reloaded: false,
          pending: [],
          error: null,
        }),
    } as never,
  });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
  s3.on(HeadBucketCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: {} }));
  s3.on(CreateBucketCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default' }] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0int' });
  ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeInstancesCommand, { InstanceIds: [INSTANCE] }).resolves({
    Reservations: [
      {
        Instances: [
          {
            InstanceId: INSTANCE,
            State: { Name: 'running' },
            PublicIpAddress: '203.0.113.77',
            BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-0int' } }],
          },
        ],
      },
    ],
  });
  ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: INSTANCE, State: { Name: 'pending' } }] });
});

describe('plan.deploy / plan.destroy on the aws target (mocked EC2, real deployer schema)', () => {
  it('deploys: every step recorded, resources and endpoint stored, running; destroy terminates and forgets the password', async () => {
    const ref = await awsDeployment();
    const { operationId, result } = await runOperation(ref, 'deploy');
    expect(result).toEqual({ status: 'succeeded', state: 'running' });

    const op = await pool.query<{ status: string; steps_done: string[] }>(
      'select status, steps_done from deployer.operations where id = $1',
      [operationId],
    );
    expect(op.rows[0]).toEqual({
      status: 'succeeded',
      steps_done: [
        'state-bucket',
        'security-group',
        'agent-profile',
        'configure',
        'launch',
        'wait-running',
        'verify',
        'agent-applied',
        'register',
      ],
    });
    const row = await pool.query<{
      state: string;
      endpoint: unknown;
      resources: Record<string, unknown>;
      config_version: number;
    }>('select state, endpoint, resources, config_version from deployer.deployments where id = $1', [ref.deploymentId]);
    expect(row.rows[0]).toMatchObject({
      state: 'running',
      config_version: 1,
      endpoint: { host: '203.0.113.77', port: 5432, database: 'orders', user: 'orders_admin' },
      resources: {
        instanceId: INSTANCE,
        securityGroupId: 'sg-0int',
        dataVolumeId: 'vol-0int',
        stateBucket: 'elasticdash-state-123456789012-eu-west-1',
        agentProfile: `elasticdash-agent-${ref.deploymentId.replace(/-/g, '')}`,
      },
    });
    const transitions = await pool.query<{ state: string }>(
      `select state from deployer.deployment_events where deployment_id = $1 and kind = 'transition' order by id`,
      [ref.deploymentId],
    );
    expect(transitions.rows.map((r) => r.state)).toEqual(['provisioning', 'configuring', 'running']);
    expect(published.some((e) => e.type === 'deployment.step' && e.step === 'launch' && e.status === 'done')).toBe(
      true,
    );
    expect(monitors.has(ref.deploymentId)).toBe(true);

    // Fresh answers for the destroy (a mock's "once" counts the calls made during the deploy).
    ec2.reset();
    ec2
      .on(DescribeInstancesCommand, { InstanceIds: [INSTANCE] })
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, State: { Name: 'running' } }] }] })
      .resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, State: { Name: 'terminated' } }] }] });
    ec2.on(TerminateInstancesCommand).resolves({});
    ec2.on(DeleteSecurityGroupCommand).resolves({});
    iam.reset();
    const agent = `elasticdash-agent-${ref.deploymentId.replace(/-/g, '')}`;
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: agent,
        InstanceProfileId: 'AIPAINT',
        Arn: `arn:aws:iam::123456789012:instance-profile/${agent}`,
        Path: '/',
        Roles: [{ RoleName: agent, RoleId: 'AROAINT', Arn: 'arn', Path: '/', CreateDate: new Date() }],
        CreateDate: new Date(),
      },
    });
    iam.on(GetRoleCommand).resolves({});
    iam.on(RemoveRoleFromInstanceProfileCommand).resolves({});
    iam.on(DeleteInstanceProfileCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    iam.on(DeleteRoleCommand).resolves({});
    const destroyed = await runOperation(ref, 'destroy');
    expect(destroyed.result).toEqual({ status: 'succeeded', state: 'destroyed' });
    expect(ec2.commandCalls(TerminateInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: [INSTANCE] });
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: 'sg-0int' });
    expect(iam.commandCalls(DeleteRoleCommand)[0]!.args[0].input).toEqual({ RoleName: agent });
    const after = await pool.query<{ state: string; admin_secret_ref: string | null; resources: unknown }>(
      'select state, admin_secret_ref, resources from deployer.deployments where id = $1',
      [ref.deploymentId],
    );
    expect(after.rows[0]).toEqual({ state: 'destroyed', admin_secret_ref: null, resources: {} });
    const secret = await pool.query('select 1 from deployer.secrets where id = $1', [ref.adminRef]);
    expect(secret.rows).toHaveLength(0);
    expect(monitors.has(ref.deploymentId)).toBe(false);
  });

  it('a capacity verdict fails the operation at once with the reason the user reads', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejects(Object.assign(new Error('no capacity'), { name: 'InsufficientInstanceCapacity', $metadata: {} }));
    const ref = await awsDeployment();
    const { operationId } = await runOperation(ref, 'deploy');
    const reason = 'AWS has no capacity for m6i.large in eu-west-1: try another instance size or region';
    const op = await pool.query<{ status: string; error: string; steps_done: string[] }>(
      'select status, error, steps_done from deployer.operations where id = $1',
      [operationId],
    );
    expect(op.rows[0]).toEqual({
      status: 'failed',
      error: reason,
      steps_done: ['state-bucket', 'security-group', 'agent-profile', 'configure'],
    });
    const row = await pool.query<{ state: string; reason: string }>(
      'select state, reason from deployer.deployments where id = $1',
      [ref.deploymentId],
    );
    expect(row.rows[0]).toEqual({ state: 'failed', reason });
  });

  it('without an aws target the deploy fails with what to configure', async () => {
    const ref = await awsDeployment();
    await pool.query('delete from deployer.aws_targets where tenant_id = $1', [ref.tenantId]);
    await runOperation(ref, 'deploy');
    const row = await pool.query<{ state: string; reason: string }>(
      'select state, reason from deployer.deployments where id = $1',
      [ref.deploymentId],
    );
    expect(row.rows[0]).toEqual({
      state: 'failed',
      reason: 'no AWS target is configured for this workspace: add one under Settings → Deploy targets',
    });
  });
});

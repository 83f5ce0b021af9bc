import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Instance,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
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
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { TDeploymentEndpoint } from '@elasticdash/contracts/deployer/deployment';
import type { TAwsTargetSecret } from '@elasticdash/contracts/deployer/targets';
import { EXAMPLE_CS_JSON, type TCsJsonDocument, type TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { clientTokenFor } from '@elasticdash/pg-knowledge/deploy/aws-json';
import { sealSecret } from '@elasticdash/service-kit/secrets/envelope';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { mockClient } from 'aws-sdk-client-mock';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepError } from '../deploy.processor.js';
import type { DeployRepository, DeploymentRow, OperationRow } from '../deploy.repository.js';
import { type AwsResources, type AwsRun, AwsTarget, replacementClientToken } from './aws-target.js';
import { AwsCredentialsCache } from './credentials.js';
import type { TcpProbe } from './ec2-provisioner.js';
import { agentProfileName, EC2_TRUST_POLICY } from './iam-provisioner.js';

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);

const TENANT = randomUUID();
const DEPLOYMENT = randomUUID();
const PLAN = randomUUID();
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const BUCKET = `elasticdash-state-${ACCOUNT}-${REGION}`;
const AGENT = agentProfileName(DEPLOYMENT);

/** GetInstanceProfile's answer for the agent's profile, holding `roles`. */
function agentInstanceProfile(roles: { RoleName: string; RoleId: string; Arn: string }[]) {
  return {
    InstanceProfile: {
      InstanceProfileName: AGENT,
      InstanceProfileId: 'AIPAEXAMPLE',
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${AGENT}`,
      Path: '/',
      Roles: roles.map((role) => ({ ...role, Path: '/', CreateDate: new Date() })),
      CreateDate: new Date(),
    },
  };
}

/** EC2's answer while a freshly created instance profile has not propagated yet. */
const freshProfileError = () =>
  awsError(
    'InvalidParameterValue',
    `Value (${AGENT}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
  );
const keyring: TMasterKeyring = { currentId: 'test', keys: new Map([['test', randomBytes(32)]]) };

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, $fault: 'client' });
}

function document(edit?: (c: TPostgresComponent) => void): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON);
  const c = doc.components[0]!;
  c.network = { port: 5432, allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'], public: true };
  edit?.(c);
  return doc;
}

function repository(deployed: TCsJsonDocument | null = null): DeployRepository {
  const secretRef = randomUUID();
  const secret: TAwsTargetSecret = { kind: 'access-key', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const sealed = sealSecret(JSON.stringify(secret), { tenantId: TENANT, secretId: secretRef }, keyring);
  return {
    findAwsTarget: async () => ({
      tenantId: TENANT,
      region: REGION,
      credentialKind: 'access-key',
      roleArn: null,
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretRef,
    }),
    loadSecret: async (id: string) => (id === secretRef ? sealed : null),
    deployedDocument: async () => deployed,
  } as unknown as DeployRepository;
}

interface Harness {
  run: AwsRun;
  events: string[];
  deployment: () => DeploymentRow;
  registered: () => TDeploymentEndpoint | null;
}

/** The processor's step semantics in memory: skip what `stepsDone` has, commit, then record. */
function harness(options: {
  kind: OperationRow['kind'];
  doc: TCsJsonDocument;
  stepsDone?: string[];
  resources?: AwsResources;
  configVersion?: number;
}): Harness {
  const events: string[] = [];
  let endpoint: TDeploymentEndpoint | null = null;
  let deployment: DeploymentRow = {
    id: DEPLOYMENT,
    tenantId: TENANT,
    planId: PLAN,
    planName: 'orders',
    componentId: 'pg-1',
    target: 'aws',
    state: options.kind === 'deploy' ? 'pending' : 'running',
    reason: null,
    configVersion: options.configVersion ?? 0,
    endpoint: null,
    resources: (options.resources ?? {}) as DeploymentRow['resources'],
    adminSecretRef: randomUUID(),
    health: null,
  };
  const op: OperationRow = {
    id: randomUUID(),
    tenantId: TENANT,
    deploymentId: DEPLOYMENT,
    kind: options.kind,
    status: 'running',
    planRevision: 2,
    document: options.doc,
    stepsDone: [...(options.stepsDone ?? [])],
    runs: 0,
    requestId: null,
  };
  const db = {} as never;
  const run: AwsRun = {
    get deployment() {
      return deployment;
    },
    get op() {
      return op;
    },
    log: pino({ level: 'silent' }),
    async step(name, body) {
      if (op.stepsDone.includes(name)) {
        events.push(`${name}: earlier run`);
        return;
      }
      const out = await body();
      await out.commit?.(db);
      op.stepsDone.push(name);
      events.push(`${name}: ${out.skipped ? 'skipped' : 'done'}: ${out.message}`);
    },
    transition: async (state) => {
      deployment = { ...deployment, state };
      events.push(`→ ${state}`);
    },
    logEvent: async (message) => void events.push(`log: ${message}`),
    adminPassword: async () => 'a-long-random-admin-password',
    refresh: async () => undefined,
    mergeResources: async (_db, patch) => {
      deployment = { ...deployment, resources: { ...deployment.resources, ...patch } as DeploymentRow['resources'] };
    },
    setConfigVersion: async (_db, version) => {
      deployment = { ...deployment, configVersion: version };
    },
    register: async (e) => {
      endpoint = e;
      deployment = { ...deployment, state: 'running', endpoint: e };
      events.push(`register: ${e.host}:${e.port}`);
    },
    finishDestroy: async () => {
      deployment = { ...deployment, state: 'destroyed', resources: {} };
      events.push('→ destroyed');
    },
  };
  return { run, events, deployment: () => deployment, registered: () => endpoint };
}

const noSleep = async () => undefined;
function target(deployed: TCsJsonDocument | null = null, probe: TcpProbe = async () => ({ ok: true })) {
  return new AwsTarget(repository(deployed), keyring, {
    sleep: noSleep,
    probe,
    verifyTimeoutMs: 1_000,
    agentApplyTimeoutMs: 1_000,
    credentials: new AwsCredentialsCache(),
    provisioner: {
      retry: { attempts: 4, baseMs: 1, capMs: 1, sleep: noSleep, random: () => 0.5 },
      // Bounded: a wrong answer fails the test instead of spinning.
      stateTimeoutMs: 2_000,
    },
  });
}

/** A first deploy that must end red: the StepError it ends with (the reason the user reads). */
async function failingDeploy(
  deployed: TCsJsonDocument | null = null,
  probe?: TcpProbe,
): Promise<{ h: Harness; error: StepError }> {
  const h = harness({ kind: 'deploy', doc: document() });
  const error = await target(deployed, probe)
    .deploy(h.run)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return { h, error: error as StepError };
}

function running(overrides: Partial<Instance> = {}): Instance {
  return {
    InstanceId: 'i-0123456789abcdef0',
    InstanceType: 'm6i.large',
    State: { Name: 'running', Code: 16 },
    PublicDnsName: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com',
    PublicIpAddress: '203.0.113.10',
    PrivateIpAddress: '172.31.0.10',
    Placement: { AvailabilityZone: 'eu-west-1a' },
    BlockDeviceMappings: [
      { DeviceName: '/dev/sda1', Ebs: { VolumeId: 'vol-root' } },
      { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-data' } },
    ],
    ...overrides,
  };
}

/** A first deploy's AWS answers: nothing exists yet. */
function freshAccount() {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  s3.on(HeadBucketCommand).rejects(awsError('NotFound'));
  s3.on(CreateBucketCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default' }] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0abc' });
  ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeInstancesCommand, { InstanceIds: ['i-0123456789abcdef0'] }).resolves({
    Reservations: [{ Instances: [running()] }],
  });
  ec2.on(RunInstancesCommand).resolves({ Instances: [running({ State: { Name: 'pending', Code: 0 } })] });
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', `The role with name ${AGENT} cannot be found.`));
  iam.on(CreateRoleCommand).resolves({});
  iam
    .on(GetInstanceProfileCommand)
    .rejects(awsError('NoSuchEntityException', `Instance Profile ${AGENT} cannot be found.`));
  iam.on(CreateInstanceProfileCommand).resolves(agentInstanceProfile([]));
}

/** An account where the agent's role and instance profile exist (deployed before). */
function existingAgentProfile() {
  iam.on(GetRoleCommand).resolves({});
  iam.on(GetInstanceProfileCommand).resolves(
    agentInstanceProfile([
      {
        RoleName: AGENT,
        RoleId: 'AROAEXAMPLE',
        Arn: `arn:aws:iam::${ACCOUNT}:role/${AGENT}`,
      },
    ]),
  );
}

const commandNames = (client: typeof ec2 | typeof iam) =>
  client.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
const ec2Names = () => commandNames(ec2);

/** The agent's status object as the instance writes it to S3 (only what the deployer reads matters). */
function agentStatus(report: {
  result?: 'applied' | 'failed';
  desiredVersion: number;
  appliedVersion: number | null;
  error?: string;
}) {
  const body = JSON.stringify({
    agent: 'elasticdash-agent',
    result: report.result ?? 'applied',
    desiredVersion: report.desiredVersion,
    appliedVersion: report.appliedVersion,
    restarted: true,
    reloaded: false,
    pending: [],
    error: report.error ?? null,
  });
  return { Body: { transformToString: async () => body } as never };
}

/** By default the agent has applied the last desired config written (or everything, when none was). */
function agentAppliesWhatWasPut() {
  s3.on(GetObjectCommand).callsFake(() => {
    const put = s3.commandCalls(PutObjectCommand).at(-1)?.args[0].input.Body;
    const version = put ? (JSON.parse(String(put)) as { version: number }).version : 99;
    return agentStatus({ desiredVersion: version, appliedVersion: version });
  });
}
const iamNames = () => commandNames(iam);

beforeEach(() => {
  ec2.reset();
  s3.reset();
  sts.reset();
  iam.reset();
  existingAgentProfile();
  iam.on(PutRolePolicyCommand).resolves({});
  iam.on(AddRoleToInstanceProfileCommand).resolves({});
  agentAppliesWhatWasPut();
});
afterEach(() => {
  ec2.reset();
  s3.reset();
  sts.reset();
  iam.reset();
});

describe('AwsTarget deploy', () => {
  it('first deploy: bucket, security group (port only, allowed CIDRs), desired config, RunInstances, wait, verify, register', async () => {
    freshAccount();
    const h = harness({ kind: 'deploy', doc: document() });
    const probes: string[] = [];
    const state = await target(null, async (host, port) => {
      probes.push(`${host}:${port}`);
      return { ok: true };
    }).deploy(h.run);

    expect(state).toBe('running');
    expect(ec2Names()).toEqual([
      'DescribeVpcsCommand',
      'DescribeSecurityGroupsCommand',
      'CreateSecurityGroupCommand',
      'AuthorizeSecurityGroupIngressCommand',
      'DescribeInstancesCommand',
      'RunInstancesCommand',
      'DescribeInstancesCommand',
    ]);
    expect(s3.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      CreateBucketConfiguration: { LocationConstraint: REGION },
    });
    const group = ec2.commandCalls(CreateSecurityGroupCommand)[0]!.args[0].input;
    expect(group).toMatchObject({ GroupName: `elasticdash-${DEPLOYMENT}-pg-1`, VpcId: 'vpc-default' });
    expect(group.TagSpecifications?.[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'elasticdash:tenant', Value: TENANT },
        { Key: 'elasticdash:plan', Value: PLAN },
        { Key: 'elasticdash:deployment', Value: DEPLOYMENT },
      ]),
    );
    // Ingress: only the database port, only from the plan's CIDRs (no SSH, nothing else).
    const ingress = ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]!.args[0].input;
    expect(ingress.GroupId).toBe('sg-0abc');
    expect(ingress.IpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'PostgreSQL orders-db' }],
      },
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32', Description: 'PostgreSQL orders-db' }],
      },
    ]);

    // The desired config is in S3 before the instance boots (the agent fetches it at first run).
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({
      Bucket: BUCKET,
      Key: `deployments/${DEPLOYMENT}/pg-1/desired.json`,
      ContentType: 'application/json',
      ServerSideEncryption: 'AES256',
    });
    expect(JSON.parse(String(put.Body))).toMatchObject({ version: 1, postgres: { port: 5432 } });
    expect(h.deployment().configVersion).toBe(1);

    // The agent's own role and instance profile, before the launch: EC2 may assume it, and its one
    // inline policy allows only this deployment's desired config and status object.
    expect(iamNames()).toEqual([
      'GetRoleCommand',
      'CreateRoleCommand',
      'PutRolePolicyCommand',
      'GetInstanceProfileCommand',
      'CreateInstanceProfileCommand',
      'AddRoleToInstanceProfileCommand',
    ]);
    const role = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(role.RoleName).toBe(AGENT);
    expect(AGENT).toMatch(/^elasticdash-agent-[0-9a-f]{32}$/);
    expect(JSON.parse(role.AssumeRolePolicyDocument ?? '')).toEqual(EC2_TRUST_POLICY);
    expect(role.Tags).toEqual(expect.arrayContaining([{ Key: 'elasticdash:deployment', Value: DEPLOYMENT }]));
    const policy = JSON.parse(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input.PolicyDocument ?? '');
    expect(policy.Statement).toEqual([
      {
        Sid: 'DesiredConfig',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${BUCKET}/deployments/${DEPLOYMENT}/pg-1/desired.json`],
      },
      {
        Sid: 'AgentStatus',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [`arn:aws:s3:::${BUCKET}/deployments/${DEPLOYMENT}/pg-1/desired.json.status.json`],
      },
      ...policy.Statement.slice(2),
    ]);
    expect(iam.commandCalls(AddRoleToInstanceProfileCommand)[0]!.args[0].input).toEqual({
      InstanceProfileName: AGENT,
      RoleName: AGENT,
    });

    const launch = ec2.commandCalls(RunInstancesCommand)[0]!.args[0].input;
    expect(launch).toMatchObject({
      ClientToken: expect.stringMatching(/^ed-[0-9a-f]{48}$/),
      ImageId: 'resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [
        { DeviceIndex: 0, AssociatePublicIpAddress: true, Groups: ['sg-0abc'], DeleteOnTermination: true },
      ],
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
      IamInstanceProfile: { Name: AGENT },
    });
    expect(launch.BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/sda1',
        Ebs: { VolumeSize: 20, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: true },
      },
      {
        DeviceName: '/dev/sdf',
        Ebs: { VolumeSize: 100, VolumeType: 'gp3', DeleteOnTermination: false, Encrypted: true },
      },
    ]);
    expect(launch.TagSpecifications?.map((t) => t.ResourceType)).toEqual(['instance', 'volume']);
    const userData = gunzipSync(Buffer.from(launch.UserData ?? '', 'base64')).toString('utf8');
    expect(userData.startsWith('#!')).toBe(true);
    expect(userData).toContain('SCRAM-SHA-256$');
    expect(userData).not.toContain('a-long-random-admin-password');

    expect(h.deployment().resources).toMatchObject({
      stateBucket: BUCKET,
      securityGroupId: 'sg-0abc',
      vpcId: 'vpc-default',
      instanceId: 'i-0123456789abcdef0',
      dataVolumeId: 'vol-data',
      host: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com',
      availabilityZone: 'eu-west-1a',
      agentProfile: AGENT,
    });
    expect(probes).toEqual(['ec2-203-0-113-10.eu-west-1.compute.amazonaws.com:5432']);
    expect(h.registered()).toEqual({
      host: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com',
      port: 5432,
      database: 'orders',
      user: 'orders_admin',
    });
    expect(h.events.filter((e) => e.startsWith('→'))).toEqual(['→ provisioning', '→ configuring']);
    expect(h.events).toContain('agent-applied: done: the agent applied desired config v1, restarted PostgreSQL');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: `deployments/${DEPLOYMENT}/pg-1/desired.json.status.json`,
    });
  });

  it('stays orange until the agent reports the new desired config: no report, an older one, then this one', async () => {
    freshAccount();
    s3.on(GetObjectCommand)
      .rejectsOnce(awsError('NoSuchKey', 'The specified key does not exist.'))
      .resolvesOnce(agentStatus({ desiredVersion: 0, appliedVersion: null }))
      .resolves(agentStatus({ desiredVersion: 1, appliedVersion: 1 }));
    const h = harness({ kind: 'deploy', doc: document() });
    expect(await target().deploy(h.run)).toBe('running');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(3);
    const applied = h.events.findIndex((e) => e.startsWith('agent-applied: done'));
    expect(applied).toBeGreaterThan(h.events.findIndex((e) => e.startsWith('verify: done')));
    expect(applied).toBeLessThan(h.events.findIndex((e) => e.startsWith('register:')));
  });

  it("ends red with the agent's own error when it could not apply this version", async () => {
    freshAccount();
    s3.on(GetObjectCommand).resolves(
      agentStatus({
        result: 'failed',
        desiredVersion: 1,
        appliedVersion: null,
        error: 'invalid value for parameter "shared_buffers": "99TB"',
      }),
    );
    const { h, error } = await failingDeploy();
    expect((error as Error).message).toBe(
      'the agent on the instance could not apply desired config v1: invalid value for parameter "shared_buffers": "99TB"',
    );
    expect(h.registered()).toBeNull();
  });

  it('ends red naming the timer and the status file when the agent never reports', async () => {
    freshAccount();
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 'The specified key does not exist.'));
    const { error } = await failingDeploy();
    expect((error as Error).message).toBe(
      'the agent did not apply desired config v1 within 0 min (it has not reported yet): check elasticdash-agent.timer and /var/lib/elasticdash/status.json on the instance',
    );
  });

  it('resumes after a crash between RunInstances and the wait: the instance is found by token and tag, never launched twice', async () => {
    freshAccount();
    // The earlier run launched the instance but died before recording it.
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [running({ State: { Name: 'pending', Code: 0 } })] }],
    });
    ec2.on(DescribeInstancesCommand, { InstanceIds: ['i-0123456789abcdef0'] }).resolves({
      Reservations: [{ Instances: [running()] }],
    });
    const h = harness({
      kind: 'deploy',
      doc: document(),
      stepsDone: ['state-bucket', 'security-group', 'configure'],
      resources: { stateBucket: BUCKET, securityGroupId: 'sg-0abc', vpcId: 'vpc-default' },
      configVersion: 1,
    });
    await target().deploy(h.run);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
    const lookup = ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input;
    expect(lookup.Filters).toEqual(
      expect.arrayContaining([
        { Name: 'client-token', Values: [expect.stringMatching(/^ed-/)] },
        { Name: 'tag:elasticdash:deployment', Values: [DEPLOYMENT] },
      ]),
    );
    expect(h.events).toContain('launch: skipped: instance i-0123456789abcdef0 exists (pending)');
    expect(h.deployment().resources).toMatchObject({ instanceId: 'i-0123456789abcdef0' });
    // configure is not redone: the recorded version stays.
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(h.deployment().configVersion).toBe(1);
  });

  it('retries throttling with backoff, then succeeds', async () => {
    freshAccount();
    ec2
      .on(RunInstancesCommand)
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.'))
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.'))
      .resolves({ Instances: [running({ State: { Name: 'pending', Code: 0 } })] });
    const h = harness({ kind: 'deploy', doc: document() });
    expect(await target().deploy(h.run)).toBe('running');
    const calls = ec2.commandCalls(RunInstancesCommand);
    expect(calls).toHaveLength(3);
    // Same token on every attempt: AWS returns the one instance.
    expect(new Set(calls.map((c) => c.args[0].input.ClientToken)).size).toBe(1);
  });

  it('gives up on throttling after the cap, as a retryable failure (not a verdict)', async () => {
    freshAccount();
    ec2.on(RunInstancesCommand).rejects(awsError('RequestLimitExceeded'));
    const h = harness({ kind: 'deploy', doc: document() });
    const error = await target()
      .deploy(h.run)
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(StepError);
    expect((error as Error).name).toBe('RequestLimitExceeded');
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(4);
  });

  it('tolerates InvalidInstanceID.NotFound right after RunInstances (eventual consistency)', async () => {
    freshAccount();
    ec2
      .on(DescribeInstancesCommand, { InstanceIds: ['i-0123456789abcdef0'] })
      .rejectsOnce(awsError('InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist"))
      .resolvesOnce({ Reservations: [{ Instances: [running({ State: { Name: 'pending', Code: 0 } })] }] })
      .resolves({ Reservations: [{ Instances: [running()] }] });
    const h = harness({ kind: 'deploy', doc: document() });
    expect(await target().deploy(h.run)).toBe('running');
    expect(ec2.commandCalls(DescribeInstancesCommand, { InstanceIds: ['i-0123456789abcdef0'] })).toHaveLength(3);
  });

  it('retries RunInstances while EC2 does not know the fresh instance profile yet (IAM propagation)', async () => {
    freshAccount();
    ec2
      .on(RunInstancesCommand)
      .rejectsOnce(freshProfileError())
      .rejectsOnce(freshProfileError())
      .resolves({ Instances: [running({ State: { Name: 'pending', Code: 0 } })] });
    const h = harness({ kind: 'deploy', doc: document() });
    expect(await target().deploy(h.run)).toBe('running');
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(3);
  });

  it('another InvalidParameterValue of RunInstances is a verdict at once, not retried', async () => {
    freshAccount();
    ec2
      .on(RunInstancesCommand)
      .rejects(awsError('InvalidParameterValue', 'Value (m6i.large) for parameter instanceType is invalid.'));
    const { error } = await failingDeploy();
    expect((error as Error).message).toContain('AWS rejected a parameter of ec2:RunInstances');
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  it('agent profile: a create that lost a race (EntityAlreadyExists) counts as found; a foreign role is refused', async () => {
    freshAccount();
    iam
      .on(CreateRoleCommand)
      .rejects(awsError('EntityAlreadyExistsException', `Role with name ${AGENT} already exists.`));
    iam
      .on(CreateInstanceProfileCommand)
      .rejects(awsError('EntityAlreadyExistsException', `Instance Profile ${AGENT} already exists.`));
    iam
      .on(GetInstanceProfileCommand)
      .rejectsOnce(awsError('NoSuchEntityException', `Instance Profile ${AGENT} cannot be found.`))
      .resolves(agentInstanceProfile([]));
    const h = harness({ kind: 'deploy', doc: document() });
    expect(await target().deploy(h.run)).toBe('running');
    expect(iam.commandCalls(AddRoleToInstanceProfileCommand)).toHaveLength(1);
    expect(h.events).toContain(
      `agent-profile: done: found the role and instance profile ${AGENT}; policy: DesiredConfig, AgentStatus, BackupObjects, BackupList`,
    );

    // Someone attached another role to the profile: the step says so instead of launching.
    ec2.reset();
    iam.reset();
    freshAccount();
    iam.on(GetRoleCommand).resolves({});
    iam.on(PutRolePolicyCommand).resolves({});
    iam.on(GetInstanceProfileCommand).resolves(
      agentInstanceProfile([
        {
          RoleName: 'intruder',
          RoleId: 'AROAX',
          Arn: 'arn:aws:iam::1:role/intruder',
        },
      ]),
    );
    iam
      .on(AddRoleToInstanceProfileCommand)
      .rejects(awsError('LimitExceededException', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1'));
    const { error } = await failingDeploy();
    expect((error as Error).message).toBe(
      `the instance profile ${AGENT} holds another role (intruder): remove it in the IAM console`,
    );
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  it('ends with a StepError naming the missing capacity and what to do', async () => {
    freshAccount();
    ec2
      .on(RunInstancesCommand)
      .rejects(awsError('InsufficientInstanceCapacity', 'We currently do not have sufficient m6i.large capacity'));
    const { error } = await failingDeploy();
    expect((error as Error).message).toBe(
      'AWS has no capacity for m6i.large in eu-west-1: try another instance size or region',
    );
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  it('ends with a StepError when the credentials may not create the security group', async () => {
    freshAccount();
    ec2.on(CreateSecurityGroupCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized'));
    const { error } = await failingDeploy();
    expect((error as Error).message).toMatch(
      /^the AWS credentials may not call ec2:CreateSecurityGroup: grant the deployer policy/,
    );
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  it('fails the verify step with a reason when the port never opens', async () => {
    freshAccount();
    const { error } = await failingDeploy(null, async () => ({ ok: false, error: 'ECONNREFUSED' }));
    expect((error as Error).message).toMatch(
      /^PostgreSQL did not accept connections on ec2-203-0-113-10\.eu-west-1\.compute\.amazonaws\.com:5432 within .* \(ECONNREFUSED\): check that the plan's allowed CIDRs/,
    );
  });
});

describe('AwsTarget re-deploy', () => {
  const deployedResources: AwsResources = {
    stateBucket: BUCKET,
    securityGroupId: 'sg-0abc',
    vpcId: 'vpc-default',
    instanceId: 'i-0123456789abcdef0',
    dataVolumeId: 'vol-data',
    host: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com',
  };
  const existingGroup = {
    SecurityGroups: [
      {
        GroupId: 'sg-0abc',
        VpcId: 'vpc-default',
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '203.0.113.0/24' }] },
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] },
        ],
      },
    ],
  };

  it('a parameter change only writes a new desired config version (the agent reloads or restarts)', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    ec2.on(DescribeSecurityGroupsCommand).resolves(existingGroup);
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [running()] }] });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-data', Size: 100, Iops: 3000 }] });
    const before = document();
    const after = document((c) => (c.database.parameters = { work_mem: '64MB' }));
    const h = harness({ kind: 'redeploy', doc: after, resources: deployedResources, configVersion: 3 });
    expect(await target(before).deploy(h.run)).toBe('running');
    const names = ec2Names();
    expect(names).not.toContain('RunInstancesCommand');
    expect(names).not.toContain('StopInstancesCommand');
    expect(names).not.toContain('ModifyVolumeCommand');
    expect(names).not.toContain('AuthorizeSecurityGroupIngressCommand');
    const put = s3.commandCalls(PutObjectCommand);
    expect(put).toHaveLength(1);
    expect(JSON.parse(String(put[0]!.args[0].input.Body))).toMatchObject({
      version: 4,
      parameters: { work_mem: '64MB' },
    });
    expect(h.deployment().configVersion).toBe(4);
    expect(h.events.some((e) => e.startsWith('log: change plan: ') && e.includes('work_mem'))).toBe(true);
  });

  it('an instance type change: stop, wait stopped, modify, start, wait running on the same instance', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    ec2.on(DescribeSecurityGroupsCommand).resolves(existingGroup);
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [running()] }] }) // resize: look
      .resolvesOnce({ Reservations: [{ Instances: [running()] }] }) // provisioner.resize: describe
      .resolvesOnce({ Reservations: [{ Instances: [running({ State: { Name: 'stopping', Code: 64 } })] }] })
      .resolvesOnce({ Reservations: [{ Instances: [running({ State: { Name: 'stopped', Code: 80 } })] }] })
      .resolvesOnce({
        Reservations: [{ Instances: [running({ InstanceType: 'm6i.xlarge', State: { Name: 'stopped', Code: 80 } })] }],
      })
      .resolves({ Reservations: [{ Instances: [running({ InstanceType: 'm6i.xlarge' })] }] });
    ec2.on(StopInstancesCommand).resolves({});
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StartInstancesCommand).resolves({});
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-data', Size: 100, Iops: 3000 }] });
    const before = document();
    const after = document((c) => {
      c.compute = {
        vcpu: 4,
        memoryGiB: 16,
        architecture: 'x86_64',
        providerHint: { aws: { instanceType: 'm6i.xlarge' } },
      };
    });
    const h = harness({ kind: 'redeploy', doc: after, resources: deployedResources, configVersion: 1 });
    expect(await target(before).deploy(h.run)).toBe('running');
    const names = ec2Names().filter((n) => n !== 'DescribeInstancesCommand' && n !== 'DescribeSecurityGroupsCommand');
    expect(names).toEqual([
      'StopInstancesCommand',
      'ModifyInstanceAttributeCommand',
      'StartInstancesCommand',
      'DescribeVolumesCommand',
    ]);
    expect(ec2.commandCalls(StopInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0123456789abcdef0'] });
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)[0]!.args[0].input).toEqual({
      InstanceId: 'i-0123456789abcdef0',
      InstanceType: { Value: 'm6i.xlarge' },
    });
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
    expect(h.deployment().resources).toMatchObject({ instanceId: 'i-0123456789abcdef0', instanceType: 'm6i.xlarge' });
  });

  it('a larger disk: ModifyVolume on the same data volume; new CIDRs: ingress synced', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    ec2.on(DescribeSecurityGroupsCommand).resolves(existingGroup);
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [running()] }] });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-data', Size: 100, Iops: 3000 }] });
    ec2.on(ModifyVolumeCommand).resolves({});
    const before = document();
    const after = document((c) => {
      c.storage.sizeGiB = 200;
      c.network.allowedCidrs = ['203.0.113.0/24', '198.51.100.0/24'];
    });
    const h = harness({ kind: 'redeploy', doc: after, resources: deployedResources, configVersion: 1 });
    await target(before).deploy(h.run);
    expect(ec2.commandCalls(ModifyVolumeCommand)[0]!.args[0].input).toEqual({ VolumeId: 'vol-data', Size: 200 });
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]!.args[0].input.IpPermissions).toEqual([
      expect.objectContaining({ FromPort: 5432, IpRanges: [expect.objectContaining({ CidrIp: '198.51.100.0/24' })] }),
    ]);
    expect(ec2Names()).toContain('RevokeSecurityGroupIngressCommand');
    expect(ec2Names()).not.toContain('StopInstancesCommand');
  });

  describe('a confirmed destructive change replaces the server', () => {
    const OLD = 'i-0123456789abcdef0';
    const NEW = 'i-0fedcba9876543210';
    const NEW_HOST = 'ec2-198-51-100-20.eu-west-1.compute.amazonaws.com';
    const LIVE = ['pending', 'running', 'stopping', 'stopped'];
    const before = document();
    // Ubuntu 24.04 → Debian 12: a new image, so a new server (svc-deployer let it through confirmed).
    const after = document((c) => (c.os = { family: 'debian', version: '12' }));
    const replacement = (overrides: Partial<Instance> = {}): Instance =>
      running({
        InstanceId: NEW,
        PublicDnsName: NEW_HOST,
        PublicIpAddress: '198.51.100.20',
        PrivateIpAddress: '172.31.0.20',
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-new-root' } },
          { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-new' } },
        ],
        ...overrides,
      });
    const pending = { State: { Name: 'pending' as const, Code: 0 } };
    const terminated = { State: { Name: 'terminated' as const, Code: 48 }, BlockDeviceMappings: [] };
    const filter = (input: DescribeInstancesCommandInput, name: string) =>
      input.Filters?.find((f) => f.Name === name)?.Values;
    /** The token this operation must launch with, computed here independently of the worker. */
    const expectedToken = (operationId: string) =>
      `edr-${createHash('sha256').update(`${DEPLOYMENT}:pg-1:replace:${operationId}`).digest('hex').slice(0, 48)}`;

    /** A running deployment on the old server; by default the lookups by tag and token find nothing. */
    function deployedAccount() {
      sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
      s3.on(HeadBucketCommand).resolves({});
      s3.on(PutObjectCommand).resolves({});
      ec2.on(DescribeSecurityGroupsCommand).resolves(existingGroup);
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [OLD] })
        .resolvesOnce({ Reservations: [{ Instances: [running()] }] })
        .resolvesOnce({ Reservations: [{ Instances: [running({ State: { Name: 'shutting-down', Code: 32 } })] }] })
        .resolves({ Reservations: [{ Instances: [running(terminated)] }] });
      ec2.on(TerminateInstancesCommand).resolves({});
      ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-data', Size: 100, State: 'in-use' }] });
      ec2
        .on(DeleteVolumeCommand)
        .rejectsOnce(awsError('VolumeInUse', 'Volume vol-data is currently attached to i-0123456789abcdef0'))
        .resolves({});
      ec2.on(RunInstancesCommand).resolves({ Instances: [replacement(pending)] });
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [NEW] })
        .resolves({ Reservations: [{ Instances: [replacement()] }] });
    }

    it('terminates the old server, deletes its kept data volume, then launches a new one under a new token with the new image', async () => {
      deployedAccount();
      const h = harness({ kind: 'redeploy', doc: after, resources: deployedResources, configVersion: 3 });
      expect(await target(before).deploy(h.run)).toBe('running');

      expect(ec2Names()).toEqual([
        // replace-terminate: look, terminate, wait terminated, the data volume (kept by termination) deleted
        'DescribeInstancesCommand',
        'TerminateInstancesCommand',
        'DescribeInstancesCommand',
        'DescribeInstancesCommand',
        'DescribeVolumesCommand',
        'DeleteVolumeCommand', // VolumeInUse while it detaches: retried
        'DeleteVolumeCommand',
        // then the first deploy's steps: security group (kept, ingress unchanged), launch, wait-running
        'DescribeSecurityGroupsCommand',
        'DescribeInstancesCommand',
        'RunInstancesCommand',
        'DescribeInstancesCommand',
      ]);
      expect(ec2.commandCalls(TerminateInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: [OLD] });
      expect(ec2.commandCalls(DeleteVolumeCommand).map((c) => c.args[0].input)).toEqual([
        { VolumeId: 'vol-data' },
        { VolumeId: 'vol-data' },
      ]);

      const token = expectedToken(h.run.op.id);
      expect(token.length).toBeLessThanOrEqual(64);
      expect(token).not.toBe(clientTokenFor(DEPLOYMENT, 'pg-1'));
      expect(replacementClientToken(DEPLOYMENT, 'pg-1', h.run.op.id)).toBe(token);
      // The launch looks for this operation's instance only: new token, this deployment, not terminated.
      const lookup = ec2.commandCalls(DescribeInstancesCommand).find((c) => c.args[0].input.Filters)!.args[0].input;
      expect(filter(lookup, 'client-token')).toEqual([token]);
      expect(filter(lookup, 'tag:elasticdash:deployment')).toEqual([DEPLOYMENT]);
      expect(filter(lookup, 'instance-state-name')).toEqual(LIVE);
      const launch = ec2.commandCalls(RunInstancesCommand)[0]!.args[0].input;
      expect(launch).toMatchObject({
        ClientToken: token,
        ImageId: expect.stringMatching(/^resolve:ssm:\/aws\/service\/debian\/release\/12\//),
        InstanceType: 'm6i.large',
      });
      expect(launch.BlockDeviceMappings?.map((m) => m.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf']);
      expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);

      // The new server's ids and address; the security group, bucket, account and region are kept.
      expect(h.deployment().resources).toMatchObject({
        stateBucket: BUCKET,
        securityGroupId: 'sg-0abc',
        vpcId: 'vpc-default',
        region: REGION,
        accountId: ACCOUNT,
        instanceId: NEW,
        instanceType: 'm6i.large',
        dataVolumeId: 'vol-new',
        host: NEW_HOST,
      });
      expect(h.registered()?.host).toBe(NEW_HOST);
      expect(h.deployment().configVersion).toBe(4);
      expect(h.run.op.stepsDone).toEqual([
        'replace-terminate',
        'state-bucket',
        'security-group',
        'agent-profile',
        'configure',
        'launch',
        'wait-running',
        'verify',
        'agent-applied',
      ]);
      const log = h.events.find((e) => e.startsWith('log: replacing the server'));
      expect(log).toMatch(
        /confirmed destructive change \(os\.family: .*\): the data on the old server is discarded, as confirmed$/,
      );
      expect(h.events).toContain(`replace-terminate: done: terminated ${OLD}; deleted the data volume vol-data`);
      expect(h.events.filter((e) => e.startsWith('→'))).toEqual(['→ updating']);
    });

    it('a retry of the same operation never launches a second instance (killed between RunInstances and its record)', async () => {
      deployedAccount();
      const h = harness({ kind: 'redeploy', doc: after, resources: deployedResources, configVersion: 3 });
      const token = expectedToken(h.run.op.id);
      let launched = false;
      ec2.on(RunInstancesCommand).callsFake(() => {
        // AWS created the instance; the answer never reached the worker.
        launched = true;
        throw awsError('InternalError', 'We encountered an internal error. Please try again.');
      });
      ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
        const asked = filter(input, 'client-token')?.[0];
        const mine = launched && asked === token && filter(input, 'instance-state-name')?.includes('pending');
        return { Reservations: mine ? [{ Instances: [replacement(pending)] }] : [] };
      });
      // (callsFake replaces the per-id answers: set them again.)
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [OLD] })
        .resolvesOnce({ Reservations: [{ Instances: [running()] }] })
        .resolves({ Reservations: [{ Instances: [running(terminated)] }] });
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [NEW] })
        .resolves({ Reservations: [{ Instances: [replacement()] }] });

      const first = await target(before)
        .deploy(h.run)
        .catch((e: unknown) => e);
      expect((first as Error).name).toBe('InternalError');
      expect(h.run.op.stepsDone).toEqual([
        'replace-terminate',
        'state-bucket',
        'security-group',
        'agent-profile',
        'configure',
      ]);
      expect(ec2.commandCalls(RunInstancesCommand)[0]!.args[0].input.ClientToken).toBe(token);
      // Between the runs the old server's keys are cleared: the next run launches as a first deploy would.
      expect(h.deployment().resources).toMatchObject({ instanceId: null, dataVolumeId: null, host: null });

      // BullMQ re-delivers the job: the same operation resumes at `launch`, in a new worker.
      expect(await target(before).deploy(h.run)).toBe('running');
      expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
      expect(h.events).toContain('replace-terminate: earlier run');
      expect(h.events).toContain(`launch: skipped: instance ${NEW} exists (pending)`);
      expect(h.deployment().resources).toMatchObject({ instanceId: NEW, dataVolumeId: 'vol-new', host: NEW_HOST });
      expect(h.registered()?.host).toBe(NEW_HOST);
    });

    it('a retry inside replace-terminate is harmless: nothing terminated or deleted twice', async () => {
      deployedAccount();
      // The old server is terminated; DeleteVolume's answer is lost (the volume was deleted anyway).
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [OLD] })
        .resolvesOnce({ Reservations: [{ Instances: [running()] }] })
        .resolves({ Reservations: [{ Instances: [running(terminated)] }] });
      ec2
        .on(DescribeVolumesCommand)
        .resolvesOnce({ Volumes: [{ VolumeId: 'vol-data', Size: 100, State: 'available' }] })
        .rejects(awsError('InvalidVolume.NotFound', "The volume 'vol-data' does not exist."));
      ec2.on(DeleteVolumeCommand).rejects(awsError('InternalError', 'We encountered an internal error.'));
      const h = harness({ kind: 'redeploy', doc: after, resources: deployedResources, configVersion: 3 });

      const first = await target(before)
        .deploy(h.run)
        .catch((e: unknown) => e);
      expect((first as Error).name).toBe('InternalError');
      expect(h.run.op.stepsDone).toEqual([]);
      // Not committed: the old ids are still recorded, so the retry looks at the same server and volume.
      expect(h.deployment().resources).toMatchObject({ instanceId: OLD, dataVolumeId: 'vol-data' });

      expect(await target(before).deploy(h.run)).toBe('running');
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
      expect(ec2.commandCalls(DeleteVolumeCommand)).toHaveLength(1);
      expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
      expect(h.events).toContain(
        `replace-terminate: skipped: ${OLD} was already terminated; the data volume vol-data was already deleted`,
      );
      expect(h.deployment().resources).toMatchObject({ instanceId: NEW, dataVolumeId: 'vol-new' });
    });

    it('works when no old server is recorded: looked up by tag, nothing to terminate, launched as a first deploy', async () => {
      deployedAccount();
      const h = harness({
        kind: 'redeploy',
        doc: after,
        resources: { stateBucket: BUCKET, securityGroupId: 'sg-0abc', vpcId: 'vpc-default' },
        configVersion: 1,
      });
      expect(await target(before).deploy(h.run)).toBe('running');
      const names = ec2Names();
      expect(names).not.toContain('TerminateInstancesCommand');
      expect(names).not.toContain('DescribeVolumesCommand');
      expect(names).not.toContain('DeleteVolumeCommand');
      const byTag = ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input;
      expect(filter(byTag, 'client-token')).toBeUndefined();
      expect(filter(byTag, 'tag:elasticdash:deployment')).toEqual([DEPLOYMENT]);
      expect(filter(byTag, 'tag:elasticdash:component')).toEqual(['pg-1']);
      expect(filter(byTag, 'instance-state-name')).toEqual(LIVE);
      expect(h.events).toContain('replace-terminate: skipped: no old instance found');
      expect(ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ClientToken)).toEqual([
        expectedToken(h.run.op.id),
      ]);
      expect(h.deployment().resources).toMatchObject({ instanceId: NEW, securityGroupId: 'sg-0abc' });
    });

    it('after a replacement that removed the old server and failed, re-deploying the old plan launches a new server', async () => {
      deployedAccount();
      // The deployed document is still `before` (the replacement never registered); the old plan again.
      const h = harness({
        kind: 'redeploy',
        doc: before,
        resources: { stateBucket: BUCKET, securityGroupId: 'sg-0abc', vpcId: 'vpc-default', instanceId: null },
        configVersion: 4,
      });
      expect(await target(before).deploy(h.run)).toBe('running');
      expect(h.events).toContain(
        'log: no server is recorded (an earlier replacement removed the old one and did not finish): launching a new one',
      );
      expect(h.run.op.stepsDone).not.toContain('resize');
      expect(ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ClientToken)).toEqual([
        expectedToken(h.run.op.id),
      ]);
      expect(h.deployment().resources).toMatchObject({ instanceId: NEW, securityGroupId: 'sg-0abc' });
      expect(h.registered()?.host).toBe(NEW_HOST);
    });

    it('an old server that was never recorded is found by its tags and terminated with its data volume', async () => {
      deployedAccount();
      ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => ({
        Reservations: filter(input, 'client-token') ? [] : [{ Instances: [running()] }],
      }));
      // (callsFake replaces the per-id answers: set them again.)
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [NEW] })
        .resolves({ Reservations: [{ Instances: [replacement()] }] });
      ec2
        .on(DescribeInstancesCommand, { InstanceIds: [OLD] })
        .resolves({ Reservations: [{ Instances: [running(terminated)] }] });
      const h = harness({
        kind: 'redeploy',
        doc: after,
        resources: { stateBucket: BUCKET, securityGroupId: 'sg-0abc', vpcId: 'vpc-default' },
        configVersion: 1,
      });
      expect(await target(before).deploy(h.run)).toBe('running');
      expect(ec2.commandCalls(TerminateInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: [OLD] });
      expect(ec2.commandCalls(DeleteVolumeCommand).at(-1)!.args[0].input).toEqual({ VolumeId: 'vol-data' });
      expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
      expect(h.events).toContain(`replace-terminate: done: terminated ${OLD}; deleted the data volume vol-data`);
    });

    it('a non-destructive re-deploy is not a replacement: same instance, aws-json token untouched', async () => {
      sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
      s3.on(HeadBucketCommand).resolves({});
      s3.on(PutObjectCommand).resolves({});
      ec2.on(DescribeSecurityGroupsCommand).resolves(existingGroup);
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [running()] }] });
      ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-data', Size: 100, Iops: 3000 }] });
      const h = harness({ kind: 'redeploy', doc: before, resources: deployedResources, configVersion: 1 });
      expect(await target(before).deploy(h.run)).toBe('running');
      expect(h.run.op.stepsDone).not.toContain('replace-terminate');
      expect(h.run.op.stepsDone).toContain('resize');
      expect(ec2Names()).not.toContain('TerminateInstancesCommand');
      expect(ec2Names()).not.toContain('RunInstancesCommand');
    });
  });
});

describe('AwsTarget destroy', () => {
  it('terminates, waits, keeps the data volume, deletes the security group retrying DependencyViolation', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [running()] }] })
      .resolvesOnce({ Reservations: [{ Instances: [running({ State: { Name: 'shutting-down', Code: 32 } })] }] })
      .resolves({ Reservations: [{ Instances: [running({ State: { Name: 'terminated', Code: 48 } })] }] });
    ec2.on(TerminateInstancesCommand).resolves({});
    ec2
      .on(DeleteSecurityGroupCommand)
      .rejectsOnce(awsError('DependencyViolation', 'resource sg-0abc has a dependent object'))
      .rejectsOnce(awsError('DependencyViolation', 'resource sg-0abc has a dependent object'))
      .resolves({});
    iam.on(RemoveRoleFromInstanceProfileCommand).resolves({});
    iam.on(DeleteInstanceProfileCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    iam.on(DeleteRoleCommand).resolves({});
    const h = harness({
      kind: 'destroy',
      doc: document(),
      resources: {
        securityGroupId: 'sg-0abc',
        instanceId: 'i-0123456789abcdef0',
        dataVolumeId: 'vol-data',
        agentProfile: AGENT,
      },
    });
    expect(await target().destroy(h.run)).toBe('destroyed');
    // The agent's role goes after the instance: profile emptied and deleted, then policy and role.
    expect(iamNames()).toEqual([
      'GetInstanceProfileCommand',
      'RemoveRoleFromInstanceProfileCommand',
      'DeleteInstanceProfileCommand',
      'GetRoleCommand',
      'DeleteRolePolicyCommand',
      'DeleteRoleCommand',
    ]);
    expect(h.events).toContain(`agent-profile-delete: done: deleted the role and instance profile ${AGENT}`);
    expect(ec2Names()).toEqual([
      'DescribeInstancesCommand',
      'TerminateInstancesCommand',
      'DescribeInstancesCommand',
      'DescribeInstancesCommand',
      'DeleteSecurityGroupCommand',
      'DeleteSecurityGroupCommand',
      'DeleteSecurityGroupCommand',
    ]);
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: 'sg-0abc' });
    expect(h.events).toContain(
      'terminate: done: terminated i-0123456789abcdef0; the data volume vol-data is kept (delete it in the EC2 console when it is no longer needed)',
    );
    expect(h.events.at(-1)).toBe('→ destroyed');
  });

  it('a destroy that resumes after terminate only deletes what is left', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('InvalidGroup.NotFound'));
    const h = harness({
      kind: 'destroy',
      doc: document(),
      stepsDone: ['terminate'],
      resources: { securityGroupId: 'sg-0abc', instanceId: 'i-0123456789abcdef0' },
    });
    expect(await target().destroy(h.run)).toBe('destroyed');
    expect(ec2Names()).toEqual(['DeleteSecurityGroupCommand']);
    expect(h.events).toContain('security-group-delete: skipped: sg-0abc was already gone');
    expect(h.events).toContain('agent-profile-delete: skipped: no agent role recorded');
  });

  it('a destroy whose agent role is already gone skips it', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntityException', 'gone'));
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 'gone'));
    const h = harness({
      kind: 'destroy',
      doc: document(),
      stepsDone: ['terminate', 'security-group-delete'],
      resources: { securityGroupId: 'sg-0abc', instanceId: 'i-0123456789abcdef0', agentProfile: AGENT },
    });
    expect(await target().destroy(h.run)).toBe('destroyed');
    expect(iamNames()).toEqual(['GetInstanceProfileCommand', 'GetRoleCommand']);
    expect(h.events).toContain(`agent-profile-delete: skipped: ${AGENT} was already gone`);
  });
});

describe('AwsCredentialsCache', () => {
  it('assumes the role with the external id and a session name, and reuses it until near expiry', async () => {
    let now = Date.now();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
        SecretAccessKey: 'assumed',
        SessionToken: 'token',
        Expiration: new Date(now + 60 * 60_000),
      },
    });
    const cache = new AwsCredentialsCache(() => now);
    const config = {
      tenantId: TENANT,
      region: REGION,
      credentialKind: 'role' as const,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
      accessKeyId: null,
      secretRef: 'ref-1',
      secret: { kind: 'role' as const, externalId: 'external-123' },
    };
    const first = await cache.resolve(config, 'elasticdash-abcdef12');
    expect(first).toMatchObject({
      accountId: ACCOUNT,
      keys: { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', sessionToken: 'token' },
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
      ExternalId: 'external-123',
      RoleSessionName: 'elasticdash-abcdef12',
    });
    now += 30 * 60_000;
    await cache.resolve(config, 'elasticdash-abcdef12');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    now += 26 * 60_000; // within five minutes of expiry: refreshed
    await cache.resolve(config, 'elasticdash-abcdef12');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });
});

describe('AwsTarget health (monitor)', () => {
  const deployed = (): DeploymentRow => ({
    ...harness({ kind: 'deploy', doc: document() }).deployment(),
    state: 'running',
    endpoint: { host: '203.0.113.10', port: 5432, database: 'orders', user: 'orders_admin' },
    resources: { instanceId: 'i-0123456789abcdef0' } as DeploymentRow['resources'],
  });

  it('is red with the reason when the instance is stopped', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            running({
              State: { Name: 'stopped', Code: 80 },
              StateTransitionReason: 'User initiated (2026-11-22 07:00:00 GMT)',
            }),
          ],
        },
      ],
    });
    const health = await target().health(deployed());
    expect(health).toMatchObject({
      ok: false,
      reason: 'the instance i-0123456789abcdef0 is stopped (User initiated (2026-11-22 07:00:00 GMT))',
      settings: { instance_state: 'stopped' },
    });
  });

  it('is red when the port is closed, green when it answers', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [running()] }] });
    const closed = await target(null, async () => ({ ok: false, error: 'ETIMEDOUT' })).health(deployed());
    expect(closed.reason).toBe('port 5432 on 203.0.113.10 is closed or the security group is missing (ETIMEDOUT)');
    const open = await target().health(deployed());
    expect(open).toMatchObject({ ok: true, reason: null, settings: { instance_state: 'running' } });
  });
});

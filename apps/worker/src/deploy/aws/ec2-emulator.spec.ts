/*
 * The test-host EC2 emulator (infra/testhost/ec2-emulator.mjs) driven by the real SDK and the
 * worker's unchanged Ec2Provisioner: every answer goes through the SDK's ec2Query / awsQuery
 * deserializers, so element names, error codes and the driver's retry paths are exercised for real.
 * Its IAM (the agent's role + instance profile) goes through the real IAMClient the same way.
 * The launcher is a fake (no root needed): it records what a test host would have been booted with.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
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
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EXAMPLE_CS_JSON, type TCsJsonDocument, type TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { type TAwsJson, toAwsJson } from '@elasticdash/pg-knowledge/deploy/aws-json';
import { scramSha256Verifier } from '@elasticdash/pg-knowledge/deploy/scram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Ec2Emulator,
  type Ec2EmulatorOptions,
  type Ec2EmulatorUpOptions,
  startEc2Emulator,
} from '../../../../../infra/testhost/ec2-emulator.mjs';
import { StepError } from '../deploy.processor.js';
import { awsErrorName } from './aws-errors.js';
import { dataVolumeId, Ec2Provisioner, endpointHost, type ProvisionerOptions } from './ec2-provisioner.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const BUCKET = `elasticdash-state-${ACCOUNT}-${REGION}`;
const DEPLOYMENT = 'dep-emulator';
const FAILING_TYPE = 'm6i.xlarge';
const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' };
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** aws-target.spec.ts's plan, on the one image the test host boots (Debian 12). */
function document(edit?: (c: TPostgresComponent) => void): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON);
  const c = doc.components[0]!;
  c.network = { port: 5432, allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'], public: true };
  c.os = { family: 'debian', version: '12' };
  c.database.majorVersion = 15;
  edit?.(c);
  return doc;
}

/** Without `instanceProfileName`, RunInstances gets no IamInstanceProfile (the IAM tests create one first). */
function awsJsonOf(doc: TCsJsonDocument, deploymentId = DEPLOYMENT, instanceProfileName?: string): TAwsJson {
  const r = toAwsJson(doc, 'pg-1', {
    deploymentId,
    tenantId: 'tenant-emulator',
    planId: 'plan-emulator',
    region: REGION,
    adminPasswordVerifier: scramSha256Verifier('a-long-random-admin-password'),
    stateBucket: BUCKET,
    ...(instanceProfileName ? { instanceProfileName } : {}),
  });
  if (!r.ok) throw new Error(`toAwsJson: ${JSON.stringify(r.errors)}`);
  return r.awsJson;
}

interface Rig {
  emulator: Ec2Emulator;
  ec2: EC2Client;
  /** IAM is global: its client is in us-east-1 whatever the EC2 region. */
  iam: IAMClient;
  ups: Ec2EmulatorUpOptions[];
  downs: string[];
  lines: string[];
  provisioner: (options?: Partial<ProvisionerOptions>) => Ec2Provisioner;
}

const rigs: Rig[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await rig.emulator.close();
    rig.ec2.destroy();
    rig.iam.destroy();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * An emulator with a fake launcher: up() answers after 50 ms with the index's guest address (or
 * fails like up.sh for FAILING_TYPE), down() takes `downMs`.
 */
async function rig(options: Partial<Ec2EmulatorOptions> = {}, downMs = 50): Promise<Rig> {
  const ups: Ec2EmulatorUpOptions[] = [];
  const downs: string[] = [];
  const lines: string[] = [];
  // An empty run directory of its own: hosts really unpacked on this machine do not matter here.
  const runDir = mkdtempSync(path.join(tmpdir(), 'ec2-emulator-run-'));
  dirs.push(runDir);
  let emulator: Ec2Emulator | null = null;
  emulator = await startEc2Emulator({
    accountId: ACCOUNT,
    runDir,
    log: (line) => lines.push(line),
    launcher: {
      async up(o) {
        ups.push(o);
        await pause(50);
        const type = emulator?.instances().find((i) => i.instanceId === o.name)?.instanceType;
        if (type === FAILING_TYPE) {
          throw new Error('up.sh exit 2: testhost: mkfs.ext4 -d could not build the root disk');
        }
        return { pid: 1, address: `10.213.${o.index}.2` };
      },
      async down(name) {
        await pause(downMs);
        downs.push(name);
      },
    },
    ...options,
  });
  const ec2 = new EC2Client({ region: REGION, endpoint: emulator.url, credentials: CREDENTIALS });
  // maxAttempts 1: the SDK's standard retry classes LimitExceededException as throttling and would
  // send AddRoleToInstanceProfile three times (≈1-3 s of backoff) before the test sees the error.
  const iam = new IAMClient({ region: 'us-east-1', endpoint: emulator.url, credentials: CREDENTIALS, maxAttempts: 1 });
  // EC2 methods never touch S3: a client that is never called.
  const s3 = new S3Client({ region: REGION, endpoint: 'http://127.0.0.1:9', credentials: CREDENTIALS });
  const made: Rig = {
    emulator,
    ec2,
    iam,
    ups,
    downs,
    lines,
    provisioner: (o = {}) =>
      new Ec2Provisioner(ec2, s3, {
        region: REGION,
        sleep: () => pause(20),
        stateTimeoutMs: 5_000,
        notFoundGraceMs: 1_000,
        ...o,
      }),
  };
  rigs.push(made);
  return made;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { cause?: unknown }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

const AGENT = 'elasticdash-agent-0123456789abcdef0123456789abcdef';
const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const AGENT_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DesiredConfig',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [`arn:aws:s3:::${BUCKET}/deployments/${DEPLOYMENT}/pg-1/desired.json`],
    },
    {
      Sid: 'Backups',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::acme-orders-db-backups', 'arn:aws:s3:::acme-orders-db-backups/*'],
    },
  ],
};

/** The agent's role (EC2 trust) and an instance profile holding it, as the driver creates them: the profile's Arn. */
async function agentProfile(iam: IAMClient, name = AGENT): Promise<string> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY) }));
  const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return InstanceProfile!.Arn!;
}

/** (cidr, from, to) of every ingress rule, as DescribeSecurityGroups answers them. */
async function ingressOf(ec2: EC2Client, groupId: string): Promise<string[]> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  return (out.SecurityGroups?.[0]?.IpPermissions ?? [])
    .flatMap((p) => [
      ...(p.IpRanges ?? []).map((r) => `${r.CidrIp} ${p.IpProtocol} ${p.FromPort}-${p.ToPort}`),
      ...(p.Ipv6Ranges ?? []).map((r) => `${r.CidrIpv6} ${p.IpProtocol} ${p.FromPort}-${p.ToPort}`),
    ])
    .sort();
}

describe('the test-host EC2 emulator under the real SDK and Ec2Provisioner', () => {
  it('has a default VPC; the security group is created once, found again, and holds exactly the plan ingress', async () => {
    const { ec2, provisioner } = await rig();
    const p = provisioner();
    const aws = awsJsonOf(document());

    const vpcId = await p.defaultVpcId();
    expect(vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);

    const created = await p.ensureSecurityGroup(aws);
    expect(created).toMatchObject({ vpcId, created: true, permissions: [] });
    expect(created.groupId).toMatch(/^sg-[0-9a-f]{17}$/);
    const byId = await p.ensureSecurityGroup(aws, created.groupId);
    expect(byId).toMatchObject({ groupId: created.groupId, vpcId, created: false });
    // By name + VPC + deployment tag (what a re-run without the recorded id does).
    const byFilters = await p.ensureSecurityGroup(aws, 'sg-0000000000000000f');
    expect(byFilters).toMatchObject({ groupId: created.groupId, vpcId, created: false });

    // A rule the plan does not have (an earlier plan's CIDR), then the sync.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: created.groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }],
      }),
    );
    const current = (await p.ensureSecurityGroup(aws, created.groupId)).permissions;
    const sync = await p.syncIngress(created.groupId, aws, current);
    expect(sync.added.sort()).toEqual(['2001:db8::/32:5432', '203.0.113.0/24:5432']);
    expect(sync.revoked).toEqual(['198.51.100.0/24:5432']);
    expect(await ingressOf(ec2, created.groupId)).toEqual([
      '2001:db8::/32 tcp 5432-5432',
      '203.0.113.0/24 tcp 5432-5432',
    ]);
    const again = await p.syncIngress(
      created.groupId,
      aws,
      (await p.ensureSecurityGroup(aws, created.groupId)).permissions,
    );
    expect(again).toEqual({ added: [], revoked: [] });

    const duplicate = await rejection(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: created.groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '203.0.113.0/24' }] },
          ],
        }),
      ),
    );
    expect(awsErrorName(duplicate)).toBe('InvalidPermission.Duplicate');
    const sameName = await rejection(
      ec2.send(new CreateSecurityGroupCommand({ GroupName: aws.securityGroup.name, Description: 'x', VpcId: vpcId })),
    );
    expect(awsErrorName(sameName)).toBe('InvalidGroup.Duplicate');
    const unknown = await rejection(
      ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0000000000000000f'] })),
    );
    expect(awsErrorName(unknown)).toBe('InvalidGroup.NotFound');
  });

  it('RunInstances boots a test host from the exact user data: pending, then running at the guest address; the client token makes it idempotent', async () => {
    const { ec2, provisioner, ups, emulator } = await rig();
    const p = provisioner();
    const aws = awsJsonOf(document());
    const { groupId } = await p.ensureSecurityGroup(aws);

    const launched = await p.launch(aws, groupId);
    expect(launched.State?.Name).toBe('pending');
    const id = launched.InstanceId!;
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(launched.PrivateIpAddress).toBeUndefined();

    const running = await p.waitFor(id, 'running');
    expect(ups).toHaveLength(1);
    const up = ups[0]!;
    const guest = `10.213.${up.index}.2`;
    expect(running).toMatchObject({
      InstanceId: id,
      InstanceType: aws.instance.instanceType,
      ImageId: aws.instance.imageSelector.imageId,
      PrivateIpAddress: guest,
      PublicIpAddress: guest,
      PrivateDnsName: '',
      PublicDnsName: '',
      Placement: { AvailabilityZone: `${REGION}a` },
      SecurityGroups: [{ GroupId: groupId, GroupName: aws.securityGroup.name }],
      ClientToken: aws.clientToken,
    });
    expect(endpointHost(running!, aws.instance.associatePublicIpAddress)).toBe(guest);
    expect(running!.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'elasticdash:deployment', Value: DEPLOYMENT },
        { Key: 'Name', Value: 'orders/orders-db' },
      ]),
    );

    // What the host was booted with: RunInstances' exact bytes, the buckets in them, the volume.
    expect(up.name).toBe(id);
    expect(up.region).toBe(REGION);
    expect(up.userData.equals(Buffer.from(aws.userDataBase64, 'base64'))).toBe(true);
    expect(gunzipSync(up.userData).toString('utf8')).toBe(aws.userData);
    expect(up.buckets).toEqual([BUCKET, 'acme-orders-db-backups'].sort());
    expect(up.dataGiB).toBe(4); // the plan's 100 GiB, capped for a loop file

    const volumeId = dataVolumeId(running!, '/dev/sdf');
    expect(volumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    const volumes = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId!] }));
    expect(volumes.Volumes?.[0]).toMatchObject({
      Size: 100,
      VolumeType: 'gp3',
      State: 'in-use',
      Attachments: [{ InstanceId: id, Device: '/dev/sdf', DeleteOnTermination: false }],
    });

    // Same token, same parameters: the same instance, no second host.
    const again = await p.launch(aws, groupId);
    expect(again.InstanceId).toBe(id);
    expect(ups).toHaveLength(1);
    expect((await p.findInstance(aws))?.InstanceId).toBe(id);
    expect((await p.liveInstancesOf(aws)).map((i) => i.InstanceId)).toEqual([id]);
    // Same token, other parameters: refused (the provisioner then adopts the existing instance).
    const mismatch = await rejection(
      ec2.send(
        new RunInstancesCommand({
          ClientToken: aws.clientToken,
          ImageId: aws.instance.imageSelector.imageId,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
        }),
      ),
    );
    expect(awsErrorName(mismatch)).toBe('IdempotentParameterMismatch');
    expect(emulator.instances()).toHaveLength(1);

    // Tag values survive XML escaping both ways.
    const odd = `a<b>&"c'd`;
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'note', Value: odd }] }));
    const tagged = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:note', Values: [odd] }] }));
    expect(tagged.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe(id);
  });

  it('terminate tears the host down; the security group is refused while the instance lives, then deleted; the kept volume can go', async () => {
    const { ec2, provisioner, downs, lines } = await rig({}, 300);
    const p = provisioner();
    const aws = awsJsonOf(document());
    const { groupId } = await p.ensureSecurityGroup(aws);
    const id = (await p.launch(aws, groupId)).InstanceId!;
    const running = await p.waitFor(id, 'running');
    const rootId = dataVolumeId(running!, aws.instance.rootVolume.deviceName)!;
    const dataId = dataVolumeId(running!, '/dev/sdf')!;

    const inUse = await rejection(provisioner({ dependencyAttempts: 1 }).deleteSecurityGroup(groupId));
    expect(awsErrorName(inUse)).toBe('DependencyViolation');
    const attached = await rejection(ec2.send(new DeleteVolumeCommand({ VolumeId: dataId })));
    expect(awsErrorName(attached)).toBe('VolumeInUse');

    // Delete while shutting down: DependencyViolation until the host is down, retried, then deleted.
    const refusedBefore = lines.filter((l) => l.includes('DeleteSecurityGroup → 400 DependencyViolation')).length;
    const [, deleted] = await Promise.all([p.terminate(id), p.deleteSecurityGroup(groupId)]);
    expect(deleted).toBe('deleted');
    expect(lines.filter((l) => l.includes('DeleteSecurityGroup → 400 DependencyViolation')).length).toBeGreaterThan(
      refusedBefore,
    );
    expect(downs).toEqual([id]);
    expect((await p.describe(id))?.State?.Name).toBe('terminated');
    expect(await p.findInstance(aws)).toBeNull();
    expect(await p.deleteSecurityGroup(groupId)).toBe('absent');

    // Root (DeleteOnTermination) is gone; the data volume is kept, available, then deleted.
    const rootGone = await rejection(ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootId] })));
    expect(awsErrorName(rootGone)).toBe('InvalidVolume.NotFound');
    const kept = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [dataId] }));
    expect(kept.Volumes?.[0]).toMatchObject({ State: 'available', Attachments: [] });
    expect(await p.deleteVolume(dataId)).toBe('deleted');
    expect(await p.deleteVolume(dataId)).toBe('absent');
  });

  it('a host that does not boot ends terminated, and waitFor fails with the boot reason', async () => {
    const { provisioner, emulator, downs } = await rig();
    const p = provisioner();
    const aws = awsJsonOf(
      document((c) => {
        c.compute = {
          vcpu: 4,
          memoryGiB: 16,
          architecture: 'x86_64',
          providerHint: { aws: { instanceType: FAILING_TYPE } },
        };
      }),
    );
    expect(aws.instance.instanceType).toBe(FAILING_TYPE);
    const { groupId } = await p.ensureSecurityGroup(aws);
    const id = (await p.launch(aws, groupId)).InstanceId!;

    const error = await rejection(p.waitFor(id, 'running'));
    expect(error).toBeInstanceOf(StepError);
    expect(error.message).toContain(
      'was terminated while starting (the test host did not boot: up.sh exit 2: testhost: mkfs.ext4 -d could not build the root disk)',
    );
    const instance = await p.describe(id);
    expect(instance?.State?.Name).toBe('terminated');
    expect(instance?.StateReason?.Code).toBe('Server.InternalError');
    expect(emulator.instances()[0]).toMatchObject({ instanceId: id, state: 'terminated' });
    expect(downs).toEqual([]); // the launcher cleans up after a failed up() itself
    // The security group is free again at once.
    expect(await p.deleteSecurityGroup(groupId)).toBe('deleted');
  });

  it('stop/resize and volume growth are refused with the reason (proven with recorded SDK calls only)', async () => {
    const { ec2, provisioner } = await rig();
    const p = provisioner();
    const aws = awsJsonOf(document());
    const { groupId } = await p.ensureSecurityGroup(aws);
    const id = (await p.launch(aws, groupId)).InstanceId!;
    const running = await p.waitFor(id, 'running');

    const resize = await rejection(p.resize(id, 'm6i.2xlarge'));
    expect(resize.message).toContain('StopInstances: the test host cannot stop, start, resize or grow a volume');
    // A verdict (the deployment goes red with it), not an error BullMQ would retry.
    expect(resize).toBeInstanceOf(StepError);
    expect(awsErrorName((resize as StepError).cause)).toBe('UnsupportedOperation');

    const volumeId = dataVolumeId(running!, '/dev/sdf')!;
    const grow = await rejection(p.modifyVolume(volumeId, { ...aws.instance.dataVolume!, sizeGiB: 200 }));
    expect(grow.message).toContain('ModifyVolume: the test host cannot');
    expect((await p.describe(id))?.State?.Name).toBe('running');
    const volumes = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    expect(volumes.Volumes?.[0]?.Size).toBe(100);
  });

  it('only Debian 12 boots here: an Ubuntu image is refused with InvalidAMIID.NotFound', async () => {
    const { provisioner, ups, emulator } = await rig();
    const p = provisioner();
    const aws = awsJsonOf(
      document((c) => {
        c.os = { family: 'ubuntu', version: '24.04' };
        c.database.majorVersion = 16;
      }),
    );
    const { groupId } = await p.ensureSecurityGroup(aws);
    const error = await rejection(p.launch(aws, groupId));
    expect(error).toBeInstanceOf(StepError);
    expect(awsErrorName(error.cause)).toBe('InvalidAMIID.NotFound');
    expect(error.message).toContain('the test host only boots Debian 12 (bookworm)');
    expect(error.message).toContain(aws.instance.imageSelector.ssmParameter);
    expect(ups).toEqual([]);
    expect(emulator.instances()).toEqual([]);
  });

  it('allocates one free index per live host, skips those of other hosts on the machine, and answers InsufficientInstanceCapacity when none is left', async () => {
    const runDir = mkdtempSync(path.join(tmpdir(), 'ec2-emulator-run-'));
    dirs.push(runDir);
    mkdirSync(path.join(runDir, 'someone-else'));
    writeFileSync(path.join(runDir, 'someone-else', 'index'), '240\n');
    const { provisioner, ups } = await rig({ indexes: [240, 241], runDir });
    const p = provisioner();
    const first = awsJsonOf(document(), 'dep-first');
    const { groupId } = await p.ensureSecurityGroup(first);
    const running = await p.waitFor((await p.launch(first, groupId)).InstanceId!, 'running');
    expect(ups.map((u) => u.index)).toEqual([241]);
    expect(running?.PrivateIpAddress).toBe('10.213.241.2');

    const second = awsJsonOf(document(), 'dep-second');
    const full = await rejection(p.launch(second, (await p.ensureSecurityGroup(second)).groupId));
    expect(full).toBeInstanceOf(StepError);
    expect(awsErrorName(full.cause)).toBe('InsufficientInstanceCapacity');
    expect(full.message).toContain(`AWS has no capacity for ${second.instance.instanceType}`);

    // Terminated: its index is free again.
    await p.terminate(running!.InstanceId!);
    await p.waitFor((await p.launch(second, (await p.ensureSecurityGroup(second)).groupId)).InstanceId!, 'running');
    expect(ups.map((u) => u.index)).toEqual([241, 241]);
  });

  it('STS: GetCallerIdentity and AssumeRole through the same endpoint', async () => {
    const { emulator } = await rig();
    const sts = new STSClient({ region: REGION, endpoint: emulator.url, credentials: CREDENTIALS });
    try {
      const me = await sts.send(new GetCallerIdentityCommand({}));
      expect(me).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/testhost` });
      expect(me.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);

      const before = Date.now();
      const assumed = await sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::210987654321:role/elasticdash-deployer',
          RoleSessionName: 'elasticdash-check',
          ExternalId: 'ext-1',
          DurationSeconds: 3600,
        }),
      );
      const c = assumed.Credentials!;
      expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
      expect(c.SecretAccessKey).toBeTruthy();
      expect(c.SessionToken).toBeTruthy();
      expect(c.Expiration!.getTime() - before).toBeGreaterThan(3_590_000);
      expect(c.Expiration!.getTime() - before).toBeLessThan(3_610_000);
      expect(assumed.AssumedRoleUser?.Arn).toBe(
        'arn:aws:sts::210987654321:assumed-role/elasticdash-deployer/elasticdash-check',
      );

      // The temporary keys are the role's identity.
      const asRole = new STSClient({
        region: REGION,
        endpoint: emulator.url,
        credentials: {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        },
      });
      const who = await asRole.send(new GetCallerIdentityCommand({}));
      asRole.destroy();
      expect(who).toMatchObject({ Account: '210987654321', Arn: assumed.AssumedRoleUser?.Arn });

      const bad = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'x1' })));
      expect(awsErrorName(bad)).toBe('ValidationError');
    } finally {
      sts.destroy();
    }
  });

  it('anything else is InvalidAction; an unsigned request is AuthFailure', async () => {
    const { ec2, iam, emulator } = await rig();
    const error = await rejection(ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] })));
    expect(awsErrorName(error)).toBe('InvalidAction');
    expect(error.message).toContain('DescribeImages');
    const iamError = await rejection(iam.send(new ListRolesCommand({})));
    expect(awsErrorName(iamError)).toBe('InvalidAction');
    expect(iamError.message).toContain('ListRoles');

    const unsigned = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeVpcs&Version=2016-11-15',
    });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toContain('<Code>AuthFailure</Code>');
    const unsignedIam = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=GetRole&Version=2010-05-08&RoleName=${AGENT}`,
    });
    expect(unsignedIam.status).toBe(400);
    expect(await unsignedIam.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('IAM: role and instance profile are created once, hold the inline policy, and are deleted only in the right order', async () => {
    const { iam, emulator } = await rig();
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: AGENT,
        AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY),
        Description: 'ElasticDash agent',
        Tags: [{ Key: 'elasticdash:deployment', Value: DEPLOYMENT }],
      }),
    );
    const role = created.Role!;
    expect(role).toMatchObject({
      RoleName: AGENT,
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/${AGENT}`,
      Description: 'ElasticDash agent',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'elasticdash:deployment', Value: DEPLOYMENT }],
    });
    expect(role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(role.CreateDate).toBeInstanceOf(Date);
    // IAM answers policy documents URL-encoded.
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(TRUST_POLICY);
    const got = (await iam.send(new GetRoleCommand({ RoleName: AGENT }))).Role!;
    expect(got).toMatchObject({ RoleName: AGENT, RoleId: role.RoleId, Arn: role.Arn });
    expect(got.CreateDate?.getTime()).toBe(role.CreateDate?.getTime());
    const twice = await rejection(
      iam.send(new CreateRoleCommand({ RoleName: AGENT, AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY) })),
    );
    expect(awsErrorName(twice)).toBe('EntityAlreadyExists');
    expect(twice.name).toBe('EntityAlreadyExistsException');
    expect(twice.message).toBe(`Role with name ${AGENT} already exists.`);

    // The inline policy: written, read back (URL-encoded) as the same JSON, listed, replaced.
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: AGENT,
        PolicyName: 'elasticdash-agent',
        PolicyDocument: JSON.stringify(AGENT_POLICY),
      }),
    );
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: AGENT, PolicyName: 'elasticdash-agent' }));
    expect(policy).toMatchObject({ RoleName: AGENT, PolicyName: 'elasticdash-agent' });
    expect(policy.PolicyDocument).not.toContain('{');
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument!))).toEqual(AGENT_POLICY);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: AGENT }))).PolicyNames).toEqual([
      'elasticdash-agent',
    ]);
    const smaller = { ...AGENT_POLICY, Statement: AGENT_POLICY.Statement.slice(0, 1) };
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: AGENT,
        PolicyName: 'elasticdash-agent',
        PolicyDocument: JSON.stringify(smaller),
      }),
    );
    expect(emulator.iam().roles).toEqual([
      expect.objectContaining({
        roleName: AGENT,
        assumeRolePolicyDocument: TRUST_POLICY,
        policies: { 'elasticdash-agent': smaller },
      }),
    ]);
    for (const junk of ['not json', JSON.stringify({ Version: '2012-10-17' })]) {
      const malformed = await rejection(
        iam.send(new PutRolePolicyCommand({ RoleName: AGENT, PolicyName: 'junk', PolicyDocument: junk })),
      );
      expect(awsErrorName(malformed)).toBe('MalformedPolicyDocument');
    }
    const noResource = await rejection(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: AGENT,
          PolicyName: 'junk',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
        }),
      ),
    );
    expect(awsErrorName(noResource)).toBe('MalformedPolicyDocument');
    expect(noResource.message).toBe('Policy statement must contain resources.');
    const unknownRole = await rejection(
      iam.send(
        new PutRolePolicyCommand({ RoleName: 'nobody', PolicyName: 'p', PolicyDocument: JSON.stringify(AGENT_POLICY) }),
      ),
    );
    expect(awsErrorName(unknownRole)).toBe('NoSuchEntity');
    expect(Object.keys(emulator.iam().roles[0]!.policies)).toEqual(['elasticdash-agent']);

    // The instance profile: empty, then holding the role — one role at most.
    const profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: AGENT }))).InstanceProfile!;
    expect(profile).toMatchObject({
      InstanceProfileName: AGENT,
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${AGENT}`,
      Roles: [],
    });
    expect(profile.InstanceProfileId).toMatch(/^AIPA[A-Z0-9]{17}$/);
    const profileTwice = await rejection(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: AGENT })));
    expect(awsErrorName(profileTwice)).toBe('EntityAlreadyExists');
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: AGENT, RoleName: AGENT }));
    const holding = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: AGENT }))).InstanceProfile!;
    expect(holding.InstanceProfileId).toBe(profile.InstanceProfileId);
    expect(holding.Roles?.map((r) => [r.RoleName, r.Arn])).toEqual([[AGENT, role.Arn]]);
    const full = await rejection(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: AGENT, RoleName: AGENT })),
    );
    expect(awsErrorName(full)).toBe('LimitExceeded');
    expect(full.message).toBe('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
    const noProfile = await rejection(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'nothing', RoleName: AGENT })),
    );
    expect(awsErrorName(noProfile)).toBe('NoSuchEntity');

    // Deletion: refused while the profile holds the role, then while the policy is there.
    const inProfile = await rejection(iam.send(new DeleteRoleCommand({ RoleName: AGENT })));
    expect(awsErrorName(inProfile)).toBe('DeleteConflict');
    expect(inProfile.message).toBe('Cannot delete entity, must remove roles from instance profile first.');
    const profileInUse = await rejection(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: AGENT })));
    expect(awsErrorName(profileInUse)).toBe('DeleteConflict');
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: AGENT, RoleName: AGENT }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: AGENT }));
    const withPolicy = await rejection(iam.send(new DeleteRoleCommand({ RoleName: AGENT })));
    expect(awsErrorName(withPolicy)).toBe('DeleteConflict');
    expect(withPolicy.message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: AGENT, PolicyName: 'elasticdash-agent' }));
    await iam.send(new DeleteRoleCommand({ RoleName: AGENT }));

    // Gone: the SDK names the error NoSuchEntityException, its Code (what awsErrorName reads) is NoSuchEntity.
    const gone = await rejection(iam.send(new GetRoleCommand({ RoleName: AGENT })));
    expect(gone.name).toBe('NoSuchEntityException');
    expect(awsErrorName(gone)).toBe('NoSuchEntity');
    expect(gone.message).toBe(`The role with name ${AGENT} cannot be found.`);
    expect((gone as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(404);
    const profileGone = await rejection(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: AGENT })));
    expect(awsErrorName(profileGone)).toBe('NoSuchEntity');
    expect(emulator.iam()).toEqual({ roles: [], instanceProfiles: [] });
  });

  it('RunInstances takes only an instance profile EC2 can see: it exists, holds a role, and has propagated', async () => {
    const { ec2, iam, emulator, ups } = await rig({ iamPropagationMs: 500 });
    const image = awsJsonOf(document()).instance.imageSelector.imageId;
    const run = (profile: { Name?: string; Arn?: string }) =>
      ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          IamInstanceProfile: profile,
        }),
      );
    const refusal = `Value (${AGENT}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`;

    const missing = await rejection(run({ Name: AGENT }));
    expect(awsErrorName(missing)).toBe('InvalidParameterValue');
    expect(missing.message).toBe(refusal);

    // Fresh: refused although it exists (IAM is eventually consistent), like EC2 for a few seconds.
    await iam.send(new CreateRoleCommand({ RoleName: AGENT, AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY) }));
    const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: AGENT }));
    const fresh = await rejection(run({ Name: AGENT }));
    expect(awsErrorName(fresh)).toBe('InvalidParameterValue');
    expect(fresh.message).toBe(refusal);
    // Old enough but empty: still refused; then its role's addition must propagate too.
    await pause(550);
    expect((await rejection(run({ Name: AGENT }))).message).toBe(refusal);
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: AGENT, RoleName: AGENT }));
    expect((await rejection(run({ Name: AGENT }))).message).toBe(refusal);
    expect(emulator.instances()).toEqual([]);
    expect(ups).toEqual([]);

    await pause(550);
    const launched = (await run({ Name: AGENT })).Instances![0]!;
    expect(launched.IamInstanceProfile).toEqual({ Arn: InstanceProfile!.Arn, Id: InstanceProfile!.InstanceProfileId });
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.IamInstanceProfile).toEqual({
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${AGENT}`,
      Id: InstanceProfile!.InstanceProfileId,
    });
    expect(emulator.instances()[0]?.iamInstanceProfileArn).toBe(InstanceProfile!.Arn);

    // By Arn too; an Arn naming no profile is refused with the Arn's message.
    const byArn = (await run({ Arn: InstanceProfile!.Arn })).Instances![0]!;
    expect(byArn.IamInstanceProfile?.Arn).toBe(InstanceProfile!.Arn);
    const otherArn = `arn:aws:iam::${ACCOUNT}:instance-profile/someone-else`;
    const wrongArn = await rejection(run({ Arn: otherArn }));
    expect(awsErrorName(wrongArn)).toBe('InvalidParameterValue');
    expect(wrongArn.message).toBe(
      `Value (${otherArn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
    );
    expect(emulator.instances()).toHaveLength(2);
  });

  it('Ec2Provisioner launches with the agent profile: it waits out the propagation, the profile outlives the instance', async () => {
    const { iam, provisioner, emulator, lines } = await rig({ iamPropagationMs: 300 });
    const p = provisioner();
    const aws = awsJsonOf(document(), DEPLOYMENT, AGENT);
    expect(aws.instance.iamInstanceProfile).toBe(AGENT);
    const { groupId } = await p.ensureSecurityGroup(aws);
    const arn = await agentProfile(iam);

    const id = (await p.launch(aws, groupId)).InstanceId!;
    // The profile was seconds old: EC2 refused it at least once, the driver retried.
    expect(lines.filter((l) => l.includes('RunInstances → 400 InvalidParameterValue')).length).toBeGreaterThan(0);
    const running = await p.waitFor(id, 'running');
    expect(running?.IamInstanceProfile?.Arn).toBe(arn);

    await p.terminate(id);
    expect((await p.describe(id))?.State?.Name).toBe('terminated');
    expect(emulator.iam().instanceProfiles).toEqual([
      expect.objectContaining({ instanceProfileName: AGENT, arn, roles: [AGENT] }),
    ]);
    expect((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: AGENT }))).InstanceProfile?.Arn).toBe(
      arn,
    );
  });
});

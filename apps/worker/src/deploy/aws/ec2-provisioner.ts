import { createConnection } from 'node:net';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type Instance,
  type IpPermission,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type Tag,
  TerminateInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { TAwsJson, TAwsVolume } from '@elasticdash/pg-knowledge/deploy/aws-json';
import { z } from 'zod';
import { StepError } from '../deploy.processor.js';
import { awsErrorMessage, awsErrorName, verdictFor } from './aws-errors.js';
import { DEFAULT_RETRY, type RetryPolicy, realSleep, type Sleep, withThrottlingRetry } from './retry.js';

/** What the deployer reads of the agent's status object (TAgentStatus in pg-knowledge's agent.ts). */
const ZAgentReport = z.object({
  result: z.enum(['applied', 'failed']),
  desiredVersion: z.number().int().nullable(),
  appliedVersion: z.number().int().nullable(),
  restarted: z.boolean(),
  reloaded: z.boolean(),
  pending: z.array(z.string()),
  error: z.string().nullable(),
});
export type TAgentReport = z.infer<typeof ZAgentReport>;

export type TcpProbe = (
  host: string,
  port: number,
  timeoutMs: number,
) => Promise<{ ok: true } | { ok: false; error: string }>;

/** One TCP connect (no protocol): is something listening and reachable on host:port. */
export const tcpProbe: TcpProbe = (host, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (result: { ok: true } | { ok: false; error: string }) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, error: 'timeout' }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, error: error.code ?? error.message }));
  });

export interface ProvisionerOptions {
  region: string;
  retry?: RetryPolicy;
  sleep?: Sleep;
  /** Longest wait for an instance state (pending → running, stopping → stopped…). */
  stateTimeoutMs?: number;
  /** After RunInstances, DescribeInstances may not know the id yet (eventual consistency). */
  notFoundGraceMs?: number;
  /**
   * How long RunInstances is retried while EC2 does not know a freshly created instance profile yet
   * (IAM is eventually consistent: "Invalid IAM Instance Profile name" for a few seconds).
   */
  profilePropagationMs?: number;
  /**
   * Attempts of DeleteSecurityGroup while the terminated instance's network interface detaches, and
   * of DeleteVolume while the terminated instance's data volume detaches (VolumeInUse).
   */
  dependencyAttempts?: number;
  now?: () => number;
}

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
const tagList = (tags: Record<string, string>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function ebs(v: TAwsVolume) {
  return {
    DeviceName: v.deviceName,
    Ebs: {
      VolumeSize: v.sizeGiB,
      VolumeType: 'gp3' as const,
      ...(v.iops !== undefined ? { Iops: v.iops } : {}),
      ...(v.throughput !== undefined ? { Throughput: v.throughput } : {}),
      DeleteOnTermination: v.deleteOnTermination,
      Encrypted: true,
    },
  };
}

/**
 * aws-json → EC2/S3 calls. Every method looks before it creates (security group by name and tag
 * in the default VPC, instance by client token and tag), so a step re-run after a crash does not
 * duplicate anything. Throttling is retried with backoff; verdicts become a StepError carrying the
 * reason and what to do.
 */
export class Ec2Provisioner {
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(
    private readonly ec2: EC2Client,
    private readonly s3: S3Client,
    private readonly options: ProvisionerOptions,
  ) {
    this.sleep = options.sleep ?? realSleep;
    this.retry = options.retry ?? { ...DEFAULT_RETRY, sleep: this.sleep };
    this.now = options.now ?? Date.now;
  }

  /** One AWS call: throttling retried, verdicts turned into a StepError (reason: hint). */
  async call<T>(action: string, fn: () => Promise<T>, instanceType?: string): Promise<T> {
    try {
      return await withThrottlingRetry(fn, this.retry);
    } catch (error) {
      const verdict = verdictFor(error, { action, region: this.options.region, instanceType });
      if (verdict) throw new StepError(`${verdict.reason}: ${verdict.hint}`, { cause: error });
      throw error;
    }
  }

  // ---- desired config in S3 -----------------------------------------------------------------------

  /** The bucket the agent reads its desired config from (in the tenant's account); created once. */
  async ensureBucket(bucket: string): Promise<boolean> {
    try {
      await this.call('s3:HeadBucket', () => this.s3.send(new HeadBucketCommand({ Bucket: bucket })));
      return false;
    } catch (error) {
      const code = awsErrorName(error);
      if (code !== 'NotFound' && code !== 'NoSuchBucket') throw error;
    }
    try {
      await this.call('s3:CreateBucket', () =>
        this.s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            ...(this.options.region === 'us-east-1'
              ? {}
              : { CreateBucketConfiguration: { LocationConstraint: this.options.region as never } }),
          }),
        ),
      );
    } catch (error) {
      if (awsErrorName(error) !== 'BucketAlreadyOwnedByYou') throw error;
    }
    return true;
  }

  async putDesiredConfig(awsJson: TAwsJson): Promise<void> {
    const { bucket, key } = awsJson.desiredConfigS3;
    await this.call('s3:PutObject', () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: JSON.stringify(awsJson.desiredConfig),
          ContentType: 'application/json',
          ServerSideEncryption: 'AES256',
        }),
      ),
    );
  }

  /**
   * The agent's last report (`<desired key>.status.json`, written by the instance after every run);
   * null until its first run. Only the fields the deployer reads are checked.
   */
  async agentStatus(awsJson: TAwsJson): Promise<TAgentReport | null> {
    const { bucket, key } = awsJson.desiredConfigS3;
    try {
      const out = await this.call('s3:GetObject', () =>
        this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.status.json` })),
      );
      const text = await out.Body?.transformToString();
      if (!text) return null;
      const parsed = ZAgentReport.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch (error) {
      if (['NoSuchKey', 'NotFound'].includes(awsErrorName(error))) return null;
      if (error instanceof SyntaxError) return null; // a half-written object: read it again later
      throw error;
    }
  }

  // ---- security group -----------------------------------------------------------------------------

  async defaultVpcId(): Promise<string> {
    const out = await this.call('ec2:DescribeVpcs', () =>
      this.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
    );
    const id = out.Vpcs?.[0]?.VpcId;
    if (!id) {
      throw new StepError(
        `${this.options.region} has no default VPC: create one (aws ec2 create-default-vpc) or choose another region`,
      );
    }
    return id;
  }

  /** The group by id (from resources), else by name + tag in the default VPC, else a new one. */
  async ensureSecurityGroup(
    awsJson: TAwsJson,
    knownId?: string,
  ): Promise<{ groupId: string; vpcId: string; created: boolean; permissions: IpPermission[] }> {
    if (knownId) {
      try {
        const out = await this.call('ec2:DescribeSecurityGroups', () =>
          this.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [knownId] })),
        );
        const group = out.SecurityGroups?.[0];
        if (group?.GroupId && group.VpcId) {
          return { groupId: group.GroupId, vpcId: group.VpcId, created: false, permissions: group.IpPermissions ?? [] };
        }
      } catch (error) {
        if (awsErrorName(error) !== 'InvalidGroup.NotFound') throw error;
      }
    }
    const vpcId = await this.defaultVpcId();
    const found = await this.call('ec2:DescribeSecurityGroups', () =>
      this.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'group-name', Values: [awsJson.securityGroup.name] },
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'tag:elasticdash:deployment', Values: [awsJson.tags['elasticdash:deployment'] ?? ''] },
          ],
        }),
      ),
    );
    const existing = found.SecurityGroups?.[0];
    if (existing?.GroupId) {
      return { groupId: existing.GroupId, vpcId, created: false, permissions: existing.IpPermissions ?? [] };
    }
    const created = await this.call('ec2:CreateSecurityGroup', () =>
      this.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: awsJson.securityGroup.name,
          Description: awsJson.securityGroup.description,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList(awsJson.tags) }],
        }),
      ),
    );
    if (!created.GroupId) throw new Error('CreateSecurityGroup returned no group id');
    return { groupId: created.GroupId, vpcId, created: true, permissions: [] };
  }

  /** Ingress = exactly the plan's port from the plan's CIDRs: missing rules added, others revoked. */
  async syncIngress(
    groupId: string,
    awsJson: TAwsJson,
    current: IpPermission[],
  ): Promise<{ added: string[]; revoked: string[] }> {
    interface Rule {
      protocol: string;
      from: number | undefined;
      to: number | undefined;
      cidr: string;
      v6: boolean;
    }
    const have = new Map<string, Rule>();
    for (const p of current) {
      const rule = (cidr: string | undefined, v6: boolean) => {
        if (cidr) {
          have.set(`${p.IpProtocol}/${p.FromPort}/${p.ToPort}/${cidr}`, {
            protocol: p.IpProtocol ?? 'tcp',
            from: p.FromPort,
            to: p.ToPort,
            cidr,
            v6,
          });
        }
      };
      for (const r of p.IpRanges ?? []) rule(r.CidrIp, false);
      for (const r of p.Ipv6Ranges ?? []) rule(r.CidrIpv6, true);
    }
    const want = new Map(awsJson.securityGroup.ingress.map((r) => [`tcp/${r.port}/${r.port}/${r.cidr}`, r]));
    const missing = [...want.entries()].filter(([k]) => !have.has(k)).map(([, r]) => r);
    const extra = [...have.entries()].filter(([k]) => !want.has(k)).map(([, r]) => r);
    if (missing.length > 0) {
      try {
        await this.call('ec2:AuthorizeSecurityGroupIngress', () =>
          this.ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: groupId,
              IpPermissions: missing.map((r) => ({
                IpProtocol: 'tcp',
                FromPort: r.port,
                ToPort: r.port,
                ...(r.ipv6
                  ? { Ipv6Ranges: [{ CidrIpv6: r.cidr, Description: r.description }] }
                  : { IpRanges: [{ CidrIp: r.cidr, Description: r.description }] }),
              })),
            }),
          ),
        );
      } catch (error) {
        // A rule added by an earlier run of this step (the look above raced with it): fine.
        if (awsErrorName(error) !== 'InvalidPermission.Duplicate') throw error;
      }
    }
    if (extra.length > 0) {
      await this.call('ec2:RevokeSecurityGroupIngress', () =>
        this.ec2.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: extra.map((r) => ({
              IpProtocol: r.protocol,
              FromPort: r.from,
              ToPort: r.to,
              ...(r.v6 ? { Ipv6Ranges: [{ CidrIpv6: r.cidr }] } : { IpRanges: [{ CidrIp: r.cidr }] }),
            })),
          }),
        ),
      ).catch((error: unknown) => {
        if (awsErrorName(error) !== 'InvalidPermission.NotFound') throw error;
      });
    }
    return { added: missing.map((r) => `${r.cidr}:${r.port}`), revoked: extra.map((r) => `${r.cidr}:${r.from}`) };
  }

  async deleteSecurityGroup(groupId: string): Promise<'deleted' | 'absent'> {
    const attempts = this.options.dependencyAttempts ?? 20;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.call('ec2:DeleteSecurityGroup', () =>
          this.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
        );
        return 'deleted';
      } catch (error) {
        const code = awsErrorName(error);
        if (code === 'InvalidGroup.NotFound') return 'absent';
        // The terminated instance's network interface takes a while to detach.
        if (code !== 'DependencyViolation' || attempt >= attempts) throw error;
        await this.sleep(Math.min(15_000, 2_000 * attempt));
      }
    }
  }

  // ---- instance -----------------------------------------------------------------------------------

  /** The deployment's instance: by id when known, else by client token + deployment tag (not terminated). */
  async findInstance(awsJson: TAwsJson, knownId?: string): Promise<Instance | null> {
    if (knownId) {
      const instance = await this.describe(knownId);
      if (instance && LIVE_STATES.includes(instance.State?.Name ?? '')) return instance;
    }
    const out = await this.call('ec2:DescribeInstances', () =>
      this.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'client-token', Values: [awsJson.clientToken] },
            { Name: 'tag:elasticdash:deployment', Values: [awsJson.tags['elasticdash:deployment'] ?? ''] },
            { Name: 'instance-state-name', Values: LIVE_STATES },
          ],
        }),
      ),
    );
    return out.Reservations?.flatMap((r) => r.Instances ?? [])[0] ?? null;
  }

  /**
   * Live instances (pending, running, stopping, stopped) tagged with this deployment and component,
   * whatever their client token: a replacement's look for an old instance that was never recorded.
   */
  async liveInstancesOf(awsJson: TAwsJson): Promise<Instance[]> {
    const out = await this.call('ec2:DescribeInstances', () =>
      this.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:elasticdash:deployment', Values: [awsJson.tags['elasticdash:deployment'] ?? ''] },
            { Name: 'tag:elasticdash:component', Values: [awsJson.tags['elasticdash:component'] ?? ''] },
            { Name: 'instance-state-name', Values: LIVE_STATES },
          ],
        }),
      ),
    );
    return (out.Reservations?.flatMap((r) => r.Instances ?? []) ?? []).filter((i) => i.InstanceId);
  }

  /** RunInstances with the aws-json client token: a retry returns the same instance, never a second one. */
  async launch(awsJson: TAwsJson, groupId: string): Promise<Instance> {
    const i = awsJson.instance;
    const volumes = [i.rootVolume, ...(i.dataVolume ? [i.dataVolume] : [])];
    try {
      const out = await this.call(
        'ec2:RunInstances',
        () =>
          this.untilProfilePropagated(() =>
            this.ec2.send(
              new RunInstancesCommand({
                ClientToken: awsJson.clientToken,
                ImageId: i.imageSelector.imageId,
                InstanceType: i.instanceType as _InstanceType,
                MinCount: 1,
                MaxCount: 1,
                BlockDeviceMappings: volumes.map(ebs),
                NetworkInterfaces: [
                  {
                    DeviceIndex: 0,
                    AssociatePublicIpAddress: i.associatePublicIpAddress,
                    Groups: [groupId],
                    DeleteOnTermination: true,
                  },
                ],
                MetadataOptions: {
                  HttpTokens: i.metadataOptions.httpTokens,
                  HttpPutResponseHopLimit: i.metadataOptions.httpPutResponseHopLimit,
                  HttpEndpoint: 'enabled',
                },
                ...(i.iamInstanceProfile ? { IamInstanceProfile: { Name: i.iamInstanceProfile } } : {}),
                UserData: awsJson.userDataBase64,
                TagSpecifications: [
                  { ResourceType: 'instance', Tags: tagList(awsJson.tags) },
                  { ResourceType: 'volume', Tags: tagList(awsJson.tags) },
                ],
              }),
            ),
          ),
        i.instanceType,
      );
      const instance = out.Instances?.[0];
      if (!instance?.InstanceId) throw new Error('RunInstances returned no instance');
      return instance;
    } catch (error) {
      // Same token, other parameters (an earlier run launched it): that instance is ours.
      if (awsErrorName(error) !== 'IdempotentParameterMismatch') throw error;
      const existing = await this.findInstance(awsJson);
      if (!existing) throw error;
      return existing;
    }
  }

  /** Retries `fn` (backoff 1 s → 5 s) while EC2 answers that the instance profile does not exist yet. */
  private async untilProfilePropagated<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = this.now() + (this.options.profilePropagationMs ?? 90_000);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await fn();
      } catch (error) {
        const fresh =
          awsErrorName(error) === 'InvalidParameterValue' && /iam ?instance ?profile/i.test(awsErrorMessage(error));
        if (!fresh || this.now() >= deadline) throw error;
        await this.sleep(Math.min(5_000, 1_000 * 1.5 ** attempt));
      }
    }
  }

  async describe(instanceId: string): Promise<Instance | null> {
    try {
      const out = await this.call('ec2:DescribeInstances', () =>
        this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
      );
      return out.Reservations?.flatMap((r) => r.Instances ?? [])[0] ?? null;
    } catch (error) {
      if (awsErrorName(error) === 'InvalidInstanceID.NotFound') return null;
      throw error;
    }
  }

  /**
   * Polls until the instance reaches `want` (backoff 2 s → 15 s). Right after RunInstances the id may
   * be unknown for a while (eventual consistency): tolerated for `notFoundGraceMs`.
   */
  async waitFor(instanceId: string, want: 'running' | 'stopped' | 'terminated'): Promise<Instance | null> {
    const started = this.now();
    const timeout = this.options.stateTimeoutMs ?? 10 * 60_000;
    const grace = this.options.notFoundGraceMs ?? 60_000;
    for (let attempt = 0; ; attempt += 1) {
      const instance = await this.describe(instanceId);
      const state = instance?.State?.Name;
      if (!instance) {
        if (want === 'terminated') return null;
        if (this.now() - started > grace) {
          throw new StepError(`the instance ${instanceId} does not exist (any more): deploy again`);
        }
      } else if (state === want) {
        return instance;
      } else if (want !== 'terminated' && (state === 'terminated' || state === 'shutting-down')) {
        const why = instance.StateReason?.Message ?? instance.StateTransitionReason ?? 'no reason given';
        throw new StepError(
          `the instance ${instanceId} was terminated while starting (${why}): check the EC2 console, then deploy again`,
        );
      }
      if (this.now() - started > timeout) {
        throw new Error(
          `the instance ${instanceId} is still ${state ?? 'unknown'} after ${Math.round(timeout / 1000)} s`,
        );
      }
      await this.sleep(Math.min(15_000, 2_000 * 1.5 ** attempt));
    }
  }

  /** Instance type change: stop → wait stopped → ModifyInstanceAttribute → start → wait running (same volumes). */
  async resize(instanceId: string, instanceType: string): Promise<Instance | null> {
    const current = await this.describe(instanceId);
    if (!current) throw new StepError(`the instance ${instanceId} no longer exists: destroy and deploy again`);
    if (current.InstanceType !== instanceType) {
      if (current.State?.Name !== 'stopped') {
        await this.call('ec2:StopInstances', () =>
          this.ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] })),
        );
        await this.waitFor(instanceId, 'stopped');
      }
      await this.call(
        'ec2:ModifyInstanceAttribute',
        () =>
          this.ec2.send(
            new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceType: { Value: instanceType } }),
          ),
        instanceType,
      );
    }
    const now = current.InstanceType === instanceType ? current : await this.describe(instanceId);
    if (now?.State?.Name !== 'running') {
      await this.call(
        'ec2:StartInstances',
        () => this.ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })),
        instanceType,
      );
    }
    return this.waitFor(instanceId, 'running');
  }

  /** ModifyVolume to the plan's size / IOPS when they differ (EBS grows online; the agent grows the filesystem). */
  async modifyVolume(volumeId: string, volume: TAwsVolume): Promise<string | null> {
    const out = await this.call('ec2:DescribeVolumes', () =>
      this.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })),
    );
    const current = out.Volumes?.[0];
    if (!current) throw new StepError(`the data volume ${volumeId} no longer exists`);
    const wantIops = volume.iops ?? 3000;
    const sizeChange = (current.Size ?? 0) < volume.sizeGiB;
    const iopsChange = (current.Iops ?? 3000) !== wantIops;
    if (!sizeChange && !iopsChange) return null;
    await this.call('ec2:ModifyVolume', () =>
      this.ec2.send(
        new ModifyVolumeCommand({
          VolumeId: volumeId,
          ...(sizeChange ? { Size: volume.sizeGiB } : {}),
          ...(iopsChange ? { Iops: wantIops } : {}),
        }),
      ),
    );
    return `${volumeId}: ${current.Size} → ${volume.sizeGiB} GiB, ${current.Iops ?? 3000} → ${wantIops} IOPS`;
  }

  async terminate(instanceId: string): Promise<void> {
    try {
      await this.call('ec2:TerminateInstances', () =>
        this.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })),
      );
    } catch (error) {
      if (awsErrorName(error) !== 'InvalidInstanceID.NotFound') throw error;
    }
    await this.waitFor(instanceId, 'terminated');
  }

  /**
   * Deletes a volume that survived its instance's termination (aws-json's data volume has
   * DeleteOnTermination false). Looks first: already gone or being deleted is 'absent'; VolumeInUse
   * is retried while the volume detaches from the terminated instance.
   */
  async deleteVolume(volumeId: string): Promise<'deleted' | 'absent'> {
    try {
      const out = await this.call('ec2:DescribeVolumes', () =>
        this.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })),
      );
      const volume = out.Volumes?.[0];
      if (!volume || volume.State === 'deleting' || volume.State === 'deleted') return 'absent';
    } catch (error) {
      if (awsErrorName(error) === 'InvalidVolume.NotFound') return 'absent';
      throw error;
    }
    const attempts = this.options.dependencyAttempts ?? 20;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.call('ec2:DeleteVolume', () => this.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })));
        return 'deleted';
      } catch (error) {
        const code = awsErrorName(error);
        if (code === 'InvalidVolume.NotFound') return 'absent';
        if (code !== 'VolumeInUse' || attempt >= attempts) throw error;
        await this.sleep(Math.min(15_000, 2_000 * attempt));
      }
    }
  }
}

/** Where clients connect: public DNS/IP when the plan asks for a public address, else the private IP. */
export function endpointHost(instance: Instance, associatePublicIpAddress: boolean): string | null {
  if (associatePublicIpAddress) return instance.PublicDnsName || instance.PublicIpAddress || null;
  return instance.PrivateIpAddress ?? null;
}

/** Volume id of the data device (aws-json's dataVolume.deviceName). */
export function dataVolumeId(instance: Instance, deviceName: string): string | null {
  return instance.BlockDeviceMappings?.find((m) => m.DeviceName === deviceName)?.Ebs?.VolumeId ?? null;
}

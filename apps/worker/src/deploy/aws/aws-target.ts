import { createHash } from 'node:crypto';
import { EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import type {
  TDeploymentEndpoint,
  TDeploymentHealth,
  TDeploymentState,
} from '@elasticdash/contracts/deployer/deployment';
import { ZAwsTargetSecret } from '@elasticdash/contracts/deployer/targets';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  AWS_JSON_VERSION,
  DATA_DEVICE_NAME,
  toAwsJson,
  type TAwsJson,
} from '@elasticdash/pg-knowledge/deploy/aws-json';
import { planComponentChange, type TChange } from '@elasticdash/pg-knowledge/deploy/change-plan';
import { findPostgresComponent } from '@elasticdash/pg-knowledge/deploy/desired-config';
import { scramSha256Verifier } from '@elasticdash/pg-knowledge/deploy/scram';
import { STATE_DIR } from '@elasticdash/pg-knowledge/deploy/user-data';
import { openSecret } from '@elasticdash/service-kit/secrets/envelope';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import type pg from 'pg';
import type { Logger } from 'pino';
import { StepError } from '../deploy.processor.js';
import type { DeployRepository, DeploymentRow, OperationRow } from '../deploy.repository.js';
import { awsErrorName, verdictFor } from './aws-errors.js';
import { type AwsKeys, AwsCredentialsCache, type AwsTargetConfig } from './credentials.js';
import {
  dataVolumeId,
  Ec2Provisioner,
  endpointHost,
  type ProvisionerOptions,
  type TAgentReport,
  type TcpProbe,
  tcpProbe,
} from './ec2-provisioner.js';
import { agentProfileName, IamProvisioner } from './iam-provisioner.js';
import { realSleep, type Sleep } from './retry.js';

/**
 * `deployments.resources` of an aws deployment (ids recorded as the steps create them). The
 * instance's keys are null after `replace-terminate` (merged as JSON null: cleared, not kept).
 */
export interface AwsResources {
  region?: string;
  accountId?: string;
  stateBucket?: string;
  vpcId?: string;
  securityGroupId?: string;
  instanceId?: string | null;
  instanceType?: string | null;
  dataVolumeId?: string | null;
  availabilityZone?: string | null;
  host?: string | null;
  /** The agent's role and instance profile (same name), created by the `agent-profile` step. */
  agentProfile?: string;
}

/** What `replace-terminate` clears: the old server's keys (the security group, bucket, account, region stay). */
const REPLACED_SERVER: AwsResources = {
  instanceId: null,
  instanceType: null,
  dataVolumeId: null,
  availabilityZone: null,
  host: null,
};

export interface AwsStepOutcome {
  message: string;
  skipped?: boolean;
  commit?: (db: pg.PoolClient) => Promise<string | void>;
}

/** What the processor lends the AWS target for one operation: its steps, transitions and records. */
export interface AwsRun {
  readonly deployment: DeploymentRow;
  readonly op: OperationRow;
  readonly log: Logger;
  step(name: string, body: () => Promise<AwsStepOutcome>): Promise<void>;
  transition(state: TDeploymentState, message: string): Promise<void>;
  logEvent(message: string): Promise<void>;
  adminPassword(): Promise<string>;
  /** Re-reads the deployment row (resources written by earlier steps). */
  refresh(): Promise<void>;
  mergeResources(db: pg.PoolClient, patch: AwsResources): Promise<void>;
  setConfigVersion(db: pg.PoolClient, version: number): Promise<void>;
  /** The `register` step's commit: endpoint, health, operation succeeded, state running. */
  register(endpoint: TDeploymentEndpoint, health: TDeploymentHealth, redeploy: boolean): Promise<void>;
  /** Monitor removed, admin password forgotten, rows cleared, state destroyed (the local target's tail). */
  finishDestroy(): Promise<void>;
}

export interface AwsClients {
  ec2: EC2Client;
  s3: S3Client;
  iam: IAMClient;
}
export type AwsClientFactory = (region: string, keys: AwsKeys) => AwsClients;

/** Where the clients go instead of AWS: the test-host mode (see `testHostAwsOptions`). */
export interface AwsEndpointOverrides {
  /** EC2 and IAM endpoint (the local EC2 emulator). */
  emulator?: string;
  /** An S3 server with its own credentials (the platform's S3 server stands in for the tenant's S3). */
  s3?: { endpoint: string; region: string; credentials?: AwsKeys };
}

export function sdkClientFactory(overrides: AwsEndpointOverrides = {}): AwsClientFactory {
  const endpoint = overrides.emulator ? { endpoint: overrides.emulator } : {};
  return (region, keys) => ({
    ec2: new EC2Client({ region, credentials: keys, ...endpoint }),
    // IAM is global: the SDK maps any commercial region to iam.amazonaws.com.
    iam: new IAMClient({ region, credentials: keys, ...endpoint }),
    s3: overrides.s3
      ? new S3Client({
          region: overrides.s3.region,
          endpoint: overrides.s3.endpoint,
          forcePathStyle: true,
          ...(overrides.s3.credentials ? { credentials: overrides.s3.credentials } : {}),
        })
      : new S3Client({ region, credentials: keys }),
  });
}

export const sdkClients: AwsClientFactory = sdkClientFactory();

export interface AwsTargetOptions {
  /** How long `verify` waits for the database port (cloud-init installs PostgreSQL first). */
  verifyTimeoutMs: number;
  /**
   * How long `agent-applied` waits for the agent's status object to report the new desired config
   * (its timer runs every 60 s, give or take a minute).
   */
  agentApplyTimeoutMs: number;
  probe: TcpProbe;
  sleep: Sleep;
  clients: AwsClientFactory;
  credentials: AwsCredentialsCache;
  provisioner?: Partial<ProvisionerOptions>;
}

export const DEFAULT_AWS_OPTIONS: AwsTargetOptions = {
  verifyTimeoutMs: 15 * 60_000,
  agentApplyTimeoutMs: 5 * 60_000,
  probe: tcpProbe,
  sleep: realSleep,
  clients: sdkClients,
  credentials: new AwsCredentialsCache(),
};

/** Placeholder platform keys for the emulator's STS (it checks that a call is signed, not by whom). */
const EMULATOR_PLATFORM_KEYS: AwsKeys = { accessKeyId: 'TESTHOSTPLATFORM', secretAccessKey: 'testhost' };

/**
 * Test-host mode (DEPLOY_AWS_EMULATOR_URL, docs/cloud-fidelity.md): the same driver and the same
 * user data, but EC2 and STS are the local EC2 emulator, which boots a real Debian test host per
 * RunInstances, and S3 is this platform's own S3 server, which the test hosts reach under the real
 * S3 host names. Nothing else changes, so a deploy here walks exactly the steps it walks on AWS.
 */
export function testHostAwsOptions(settings: {
  emulatorUrl: string;
  s3Endpoint: string;
  s3Region: string;
  s3Credentials: AwsKeys | null;
}): Partial<AwsTargetOptions> {
  return {
    clients: sdkClientFactory({
      emulator: settings.emulatorUrl,
      s3: {
        endpoint: settings.s3Endpoint,
        region: settings.s3Region,
        ...(settings.s3Credentials ? { credentials: settings.s3Credentials } : {}),
      },
    }),
    credentials: new AwsCredentialsCache(Date.now, {
      endpoint: settings.emulatorUrl,
      platformKeys: EMULATOR_PLATFORM_KEYS,
    }),
  };
}

/**
 * The AWS target: deploy, re-deploy and destroy a plan's PostgreSQL component on EC2 in the
 * workspace's account, as resumable steps (each records the ids it created in
 * `deployments.resources`, and looks before it creates). The pure mapping is aws-json; this class
 * decides the order and what a re-deploy changes (change-plan): in place, or, for a confirmed
 * destructive change, a replacement (`replace-terminate`, then the first deploy's steps).
 */
export class AwsTarget {
  private readonly options: AwsTargetOptions;
  /** One client pair per tenant and region (the monitor asks every few seconds; sockets are reused). */
  private readonly clients = new Map<string, { accessKeyId: string; clients: AwsClients }>();

  constructor(
    private readonly repository: DeployRepository,
    private readonly keyring: TMasterKeyring,
    options: Partial<AwsTargetOptions> = {},
  ) {
    this.options = { ...DEFAULT_AWS_OPTIONS, ...options };
  }

  async deploy(run: AwsRun): Promise<TDeploymentState> {
    const redeploy = run.op.kind === 'redeploy';
    if (redeploy) await run.transition('updating', 're-deploy started on AWS');
    else if (run.deployment.state !== 'provisioning' && run.deployment.state !== 'configuring') {
      await run.transition('provisioning', 'deploy started on AWS');
    }
    const document = run.op.document;
    if (!document) throw new StepError('the operation has no plan document');
    const target = await this.target(run);
    const { provisioner, iam, accountId } = await this.connect(run, target);
    const resources = (): AwsResources => run.deployment.resources as AwsResources;
    const stateBucket = resources().stateBucket ?? stateBucketName(accountId, target.region);
    // configure done in an earlier run of this operation: its version is already recorded.
    const version = Math.max(
      1,
      run.op.stepsDone.includes('configure') ? run.deployment.configVersion : run.deployment.configVersion + 1,
    );
    const planned = this.awsJson(run, document, target.region, stateBucket, version, await run.adminPassword());
    const component = findPostgresComponent(document, run.deployment.componentId)!;
    const port = component.network.port;

    // A re-deploy with destructive changes reached the worker only confirmed (svc-deployer answers
    // 409 destructive_change otherwise): the server is replaced. The comparison is with the deployed
    // document, which only `register` changes, so every run of the operation decides the same.
    let destructive: TChange[] = [];
    if (redeploy) {
      const before = await this.repository.deployedDocument(run.deployment.id, run.deployment.tenantId);
      const previous = before ? findPostgresComponent(before, run.deployment.componentId) : undefined;
      if (previous) {
        const change = planComponentChange(previous, component, { confirmDestructive: true });
        destructive = change.destructive;
        if (change.reasons.length > 0) await run.logEvent(`change plan: ${change.reasons.join('; ')}`);
      }
    }
    // A replacement that removed the old server and then failed (no capacity…) leaves no instance
    // recorded: whatever is re-deployed next, even the old plan, needs a new server, launched the
    // same way (any unrecorded live instance of the deployment is an orphan of that attempt).
    const serverGone = redeploy && destructive.length === 0 && !resources().instanceId;
    const replace = destructive.length > 0 || serverGone;
    // The replacement's RunInstances needs its own idempotency token: under aws-json's (stable per
    // deployment) AWS would answer with the old, terminated instance. Per operation, so a retry of
    // this operation still finds (or gets back) the one instance it launched.
    const awsJson: TAwsJson = replace
      ? {
          ...planned,
          clientToken: replacementClientToken(run.deployment.id, run.deployment.componentId, run.op.id),
        }
      : planned;

    if (replace) {
      await run.step('replace-terminate', async () => {
        await run.logEvent(
          serverGone
            ? 'no server is recorded (an earlier replacement removed the old one and did not finish): launching a new one'
            : `replacing the server for a confirmed destructive change (${destructive.map((c) => c.reason).join('; ')}): ` +
                'the data on the old server is discarded, as confirmed',
        );
        const done: string[] = [];
        const gone: string[] = [];
        const recorded = resources().instanceId;
        const old = recorded
          ? [(await provisioner.describe(recorded)) ?? { InstanceId: recorded }]
          : await provisioner.liveInstancesOf(awsJson);
        const volumes = new Set<string>();
        const recordedVolume = resources().dataVolumeId;
        if (recordedVolume) volumes.add(recordedVolume);
        for (const instance of old) {
          const id = instance.InstanceId!;
          const volume = dataVolumeId(instance, DATA_DEVICE_NAME);
          if (volume) volumes.add(volume);
          if (!instance.State || instance.State.Name === 'terminated') {
            gone.push(`${id} was already terminated`);
            continue;
          }
          await provisioner.terminate(id);
          done.push(`terminated ${id}`);
        }
        if (old.length === 0) gone.push('no old instance found');
        for (const volume of volumes) {
          if ((await provisioner.deleteVolume(volume)) === 'deleted') done.push(`deleted the data volume ${volume}`);
          else gone.push(`the data volume ${volume} was already deleted`);
        }
        return {
          message: [...done, ...gone].join('; '),
          skipped: done.length === 0,
          commit: (db) => run.mergeResources(db, REPLACED_SERVER),
        };
      });
    }

    await run.step('state-bucket', async () => {
      const created = await provisioner.ensureBucket(stateBucket);
      return {
        message: created ? `created s3://${stateBucket} for the desired config` : `s3://${stateBucket} exists`,
        skipped: !created,
        commit: (db) => run.mergeResources(db, { stateBucket, region: target.region, accountId }),
      };
    });

    await run.step('security-group', async () => {
      const group = await provisioner.ensureSecurityGroup(awsJson, resources().securityGroupId);
      const sync = await provisioner.syncIngress(group.groupId, awsJson, group.permissions);
      const rules = [
        sync.added.length ? `allowed ${sync.added.join(', ')}` : '',
        sync.revoked.length ? `revoked ${sync.revoked.join(', ')}` : '',
      ].filter(Boolean);
      return {
        message: `${group.created ? 'created' : 'found'} ${group.groupId} in ${group.vpcId}${rules.length ? `; ${rules.join('; ')}` : '; ingress unchanged'} (port ${port} only)`,
        commit: (db) => run.mergeResources(db, { securityGroupId: group.groupId, vpcId: group.vpcId }),
      };
    });

    // Before the launch (RunInstances names the profile); on every run, as the backup target may change.
    await run.step('agent-profile', async () => {
      const name = awsJson.instance.iamInstanceProfile ?? agentProfileName(run.deployment.id);
      const result = await iam.ensureAgentProfile(name, awsJson.requiredIamPolicy, awsJson.tags);
      const created = [result.createdRole ? 'role' : '', result.createdProfile ? 'instance profile' : ''].filter(
        Boolean,
      );
      return {
        message: `${created.length ? `created the ${created.join(' and ')}` : 'found the role and instance profile'} ${name}; policy: ${awsJson.requiredIamPolicy.Statement.map((s) => s.Sid).join(', ')}`,
        commit: (db) => run.mergeResources(db, { agentProfile: name }),
      };
    });

    // A replacement's new server is launched with the new size: nothing to resize or grow.
    if (redeploy && !replace) {
      await run.step('resize', async () => {
        const id = resources().instanceId;
        if (!id) throw new StepError('the deployment has no instance recorded: destroy and deploy again');
        const current = await provisioner.describe(id);
        const want = awsJson.instance.instanceType;
        if (current?.InstanceType === want && current.State?.Name === 'running') {
          return { skipped: true, message: `already ${want}` };
        }
        await run.logEvent(`resizing ${id} from ${current?.InstanceType ?? '?'} to ${want}: stop, modify, start`);
        const instance = await provisioner.resize(id, want);
        return {
          message: `${id} is now ${want} (same volumes)`,
          commit: (db) => run.mergeResources(db, { instanceType: want, ...this.addresses(instance, awsJson) }),
        };
      });
      await run.step('volume', async () => {
        const volumeId = resources().dataVolumeId;
        const volume = awsJson.instance.dataVolume;
        if (!volumeId || !volume) return { skipped: true, message: 'no data volume recorded' };
        const changed = await provisioner.modifyVolume(volumeId, volume);
        return changed
          ? { message: `ModifyVolume ${changed}; the agent grows the filesystem online` }
          : { skipped: true, message: `${volumeId} already has ${volume.sizeGiB} GiB` };
      });
    }

    await run.step('configure', async () => {
      await provisioner.putDesiredConfig(awsJson);
      const where = `s3://${awsJson.desiredConfigS3.bucket}/${awsJson.desiredConfigS3.key}`;
      return {
        message:
          redeploy && !replace
            ? `desired config v${version} written to ${where}; the agent applies it (reload or restart, as it decides)`
            : `desired config v${version} written to ${where}`,
        commit: (db) => run.setConfigVersion(db, version),
      };
    });

    await run.step('launch', async () => {
      const existing = await provisioner.findInstance(awsJson, resources().instanceId ?? undefined);
      if (existing?.InstanceId) {
        return {
          skipped: true,
          message: `instance ${existing.InstanceId} exists (${existing.State?.Name ?? 'unknown'})`,
          commit: (db) => run.mergeResources(db, { instanceId: existing.InstanceId }),
        };
      }
      if (redeploy && resources().instanceId) {
        throw new StepError(
          `the instance ${resources().instanceId} no longer exists (terminated outside ElasticDash): destroy and deploy again`,
        );
      }
      const instance = await provisioner.launch(awsJson, resources().securityGroupId!);
      return {
        message: `RunInstances ${instance.InstanceId} (${awsJson.instance.instanceType}, ${awsJson.instance.imageSelector.osFamily} ${awsJson.instance.imageSelector.osVersion})${replace ? ', replacing the old server' : ''}`,
        commit: (db) =>
          run.mergeResources(db, { instanceId: instance.InstanceId, instanceType: awsJson.instance.instanceType }),
      };
    });

    await run.step('wait-running', async () => {
      const id = resources().instanceId!;
      const instance = await provisioner.waitFor(id, 'running');
      if (!instance) throw new StepError(`the instance ${id} does not exist`);
      const addresses = this.addresses(instance, awsJson);
      return {
        message: `${id} running in ${addresses.availabilityZone ?? target.region} at ${addresses.host ?? '(no address)'}`,
        commit: (db) => run.mergeResources(db, addresses),
      };
    });

    if (!redeploy) await run.transition('configuring', 'instance running; PostgreSQL is being installed by cloud-init');
    await run.refresh();
    const host = resources().host;
    if (!host) {
      throw new StepError(
        awsJson.instance.associatePublicIpAddress
          ? 'the instance has no public address: check the subnet of the default VPC'
          : 'the instance has no private address',
      );
    }

    await run.step('verify', async () => {
      const deadline = Date.now() + this.options.verifyTimeoutMs;
      let last: string;
      for (let attempt = 0; ; attempt += 1) {
        const probe = await this.options.probe(host, port, 5_000);
        if (probe.ok) return { message: `${host}:${port} accepts connections` };
        last = probe.error;
        if (Date.now() >= deadline) break;
        await this.options.sleep(Math.min(15_000, 2_000 * 1.5 ** attempt));
      }
      throw new StepError(
        `PostgreSQL did not accept connections on ${host}:${port} within ${Math.round(this.options.verifyTimeoutMs / 60_000)} min (${last}): ` +
          `check that the plan's allowed CIDRs include this worker's address, and the instance's cloud-init log (/var/log/cloud-init-output.log)`,
      );
    });

    // Green means applied: the operation (orange) lasts until the agent on the instance reports the
    // new desired config, so a restart it makes for a static setting happens while still orange.
    await run.step('agent-applied', async () => {
      const deadline = Date.now() + this.options.agentApplyTimeoutMs;
      let last: TAgentReport | null;
      for (let attempt = 0; ; attempt += 1) {
        last = await provisioner.agentStatus(awsJson);
        if (last && (last.appliedVersion ?? 0) >= version) {
          const how = last.restarted ? ', restarted PostgreSQL' : last.reloaded ? ', reloaded PostgreSQL' : '';
          const pending = last.pending.length > 0 ? `; waiting for a restart: ${last.pending.join(', ')}` : '';
          return { message: `the agent applied desired config v${version}${how}${pending}` };
        }
        if (last?.result === 'failed' && last.desiredVersion === version) {
          throw new StepError(
            `the agent on the instance could not apply desired config v${version}: ${last.error ?? 'no reason given'}`,
          );
        }
        if (Date.now() >= deadline) break;
        await this.options.sleep(Math.min(10_000, 2_000 * 1.5 ** attempt));
      }
      const seen = last ? `its last report is v${last.appliedVersion ?? '–'}` : 'it has not reported yet';
      throw new StepError(
        `the agent did not apply desired config v${version} within ${Math.round(this.options.agentApplyTimeoutMs / 60_000)} min (${seen}): ` +
          `check elasticdash-agent.timer and ${STATE_DIR}/status.json on the instance`,
      );
    });

    const endpoint: TDeploymentEndpoint = {
      host,
      port,
      database: awsJson.desiredConfig.admin.database,
      user: awsJson.desiredConfig.admin.role,
    };
    const health: TDeploymentHealth = {
      ok: true,
      reason: null,
      checkedAt: new Date().toISOString(),
      settings: { instance_id: resources().instanceId ?? '', instance_type: awsJson.instance.instanceType },
    };
    await run.register(endpoint, health, redeploy);
    return 'running';
  }

  async destroy(run: AwsRun): Promise<TDeploymentState> {
    await run.transition('destroying', 'destroy started on AWS');
    const r = (): AwsResources => run.deployment.resources as AwsResources;
    if (!r().instanceId && !r().securityGroupId && !r().agentProfile) {
      await run.logEvent('nothing was created on AWS');
      await run.finishDestroy();
      return 'destroyed';
    }
    const target = await this.target(run);
    const { provisioner, iam } = await this.connect(run, target);
    await run.step('terminate', async () => {
      const id = r().instanceId;
      if (!id) return { skipped: true, message: 'no instance recorded' };
      const instance = await provisioner.describe(id);
      if (!instance || instance.State?.Name === 'terminated') {
        return { skipped: true, message: `${id} is already terminated` };
      }
      const kept = r().dataVolumeId;
      await provisioner.terminate(id);
      return {
        message:
          `terminated ${id}` +
          (kept ? `; the data volume ${kept} is kept (delete it in the EC2 console when it is no longer needed)` : ''),
      };
    });
    await run.step('security-group-delete', async () => {
      const id = r().securityGroupId;
      if (!id) return { skipped: true, message: 'no security group recorded' };
      const result = await provisioner.deleteSecurityGroup(id);
      return result === 'deleted' ? { message: `deleted ${id}` } : { skipped: true, message: `${id} was already gone` };
    });
    await run.step('agent-profile-delete', async () => {
      const name = r().agentProfile;
      if (!name) return { skipped: true, message: 'no agent role recorded' };
      const result = await iam.deleteAgentProfile(name);
      return result === 'deleted'
        ? { message: `deleted the role and instance profile ${name}` }
        : { skipped: true, message: `${name} was already gone` };
    });
    await run.finishDestroy();
    return 'destroyed';
  }

  /**
   * The monitor's check of a running aws deployment: the instance's state (stopped or terminated
   * is red, with that reason), then a TCP connect to the database port (2 s).
   */
  async health(deployment: DeploymentRow): Promise<TDeploymentHealth> {
    const checkedAt = new Date().toISOString();
    const bad = (reason: string, settings: Record<string, string> = {}): TDeploymentHealth => ({
      ok: false,
      reason,
      checkedAt,
      settings,
    });
    const r = deployment.resources as AwsResources;
    const endpoint = deployment.endpoint;
    if (!r.instanceId || !endpoint) return bad('the deployment has no instance or endpoint recorded');
    let instance: Instance | null;
    try {
      const target = await this.target({ deployment });
      const { provisioner } = await this.connect({ deployment }, target);
      instance = await provisioner.describe(r.instanceId);
    } catch (error) {
      return bad(`cannot ask AWS about ${r.instanceId}: ${(error as Error).message}`);
    }
    const state = instance?.State?.Name ?? 'terminated';
    const settings: Record<string, string> = {
      instance_id: r.instanceId,
      instance_state: state,
      ...(instance?.InstanceType ? { instance_type: instance.InstanceType } : {}),
    };
    if (state !== 'running') {
      const why = instance?.StateTransitionReason ? ` (${instance.StateTransitionReason})` : '';
      return bad(`the instance ${r.instanceId} is ${state}${why}`, settings);
    }
    const probe = await this.options.probe(endpoint.host, endpoint.port, 2_000);
    if (!probe.ok) {
      return bad(
        `port ${endpoint.port} on ${endpoint.host} is closed or the security group is missing (${probe.error})`,
        settings,
      );
    }
    return { ok: true, reason: null, checkedAt, settings };
  }

  /** The tenant's target with its secret opened; a missing target is a verdict. */
  private async target(run: Pick<AwsRun, 'deployment'>): Promise<AwsTargetConfig> {
    const row = await this.repository.findAwsTarget(run.deployment.tenantId);
    if (!row) {
      throw new StepError('no AWS target is configured for this workspace: add one under Settings → Deploy targets');
    }
    const sealed = await this.repository.loadSecret(row.secretRef, row.tenantId);
    if (!sealed) throw new StepError('the AWS credentials are missing from the secret store: set them again');
    try {
      const secret = ZAwsTargetSecret.parse(
        JSON.parse(openSecret(sealed, { tenantId: row.tenantId, secretId: row.secretRef }, this.keyring)),
      );
      return { ...row, secret };
    } catch (error) {
      throw new StepError(`the AWS credentials cannot be decrypted: ${(error as Error).message}`);
    }
  }

  private async connect(run: Pick<AwsRun, 'deployment'>, target: AwsTargetConfig) {
    let resolved;
    try {
      resolved = await this.options.credentials.resolve(target, `elasticdash-${run.deployment.id.slice(0, 8)}`);
    } catch (error) {
      const verdict = verdictFor(error, { action: 'sts:AssumeRole', region: target.region });
      if (verdict) throw new StepError(`${verdict.reason}: ${verdict.hint}`, { cause: error });
      throw new Error(`could not obtain AWS credentials (${awsErrorName(error)})`, { cause: error });
    }
    const key = `${target.tenantId}:${target.region}`;
    let cached = this.clients.get(key);
    if (cached?.accessKeyId !== resolved.keys.accessKeyId) {
      // New keys (a fresh assumed-role session, replaced credentials): the old clients go.
      cached?.clients.ec2.destroy();
      cached?.clients.s3.destroy();
      cached?.clients.iam.destroy();
      cached = { accessKeyId: resolved.keys.accessKeyId, clients: this.options.clients(target.region, resolved.keys) };
      this.clients.set(key, cached);
    }
    const { clients } = cached;
    const provisioner = new Ec2Provisioner(clients.ec2, clients.s3, {
      region: target.region,
      sleep: this.options.sleep,
      ...this.options.provisioner,
    });
    return { provisioner, iam: new IamProvisioner(clients.iam), accountId: resolved.accountId };
  }

  private awsJson(
    run: AwsRun,
    document: TCsJsonDocument,
    region: string,
    stateBucket: string,
    version: number,
    password: string,
  ): TAwsJson {
    // A salt fixed per deployment makes the user data identical on every run of the operation, so a
    // retried RunInstances matches its client token (AWS refuses the same token with other parameters).
    const salt = createHash('sha256').update(`elasticdash-scram:${run.deployment.id}`).digest().subarray(0, 16);
    const result = toAwsJson(document, run.deployment.componentId, {
      deploymentId: run.deployment.id,
      tenantId: run.deployment.tenantId,
      planId: run.deployment.planId,
      region,
      desiredVersion: version,
      adminPasswordVerifier: scramSha256Verifier(password, { salt }),
      stateBucket,
      instanceProfileName: agentProfileName(run.deployment.id),
    });
    if (!result.ok) {
      throw new StepError(
        `the plan cannot be deployed on AWS: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      );
    }
    if (result.awsJson.awsJsonVersion !== AWS_JSON_VERSION) {
      throw new StepError(`aws-json v${String(result.awsJson.awsJsonVersion)} is not known to this worker`);
    }
    return result.awsJson;
  }

  private addresses(instance: Instance | null, awsJson: TAwsJson): AwsResources {
    if (!instance) return {};
    const volume = awsJson.instance.dataVolume ? dataVolumeId(instance, awsJson.instance.dataVolume.deviceName) : null;
    return {
      host: endpointHost(instance, awsJson.instance.associatePublicIpAddress) ?? undefined,
      availabilityZone: instance.Placement?.AvailabilityZone,
      ...(volume ? { dataVolumeId: volume } : {}),
    };
  }
}

/**
 * RunInstances token of a replacement: per deployment, component and operation (≤ 64 ASCII
 * characters), never aws-json's `clientTokenFor(deployment, component)` of the first server.
 */
export function replacementClientToken(deploymentId: string, componentId: string, operationId: string): string {
  return `edr-${createHash('sha256').update(`${deploymentId}:${componentId}:replace:${operationId}`).digest('hex').slice(0, 48)}`;
}

/** One bucket per account and region for desired configs (bucket names are global: the account id makes it unique). */
export function stateBucketName(accountId: string, region: string): string {
  return `elasticdash-state-${accountId || 'unknown'}-${region}`;
}

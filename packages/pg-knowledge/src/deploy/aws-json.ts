import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TArchitecture, TCsJsonDocument, TOsFamily } from '@elasticdash/contracts/plans/cs-json';
import { parseCidr } from '@elasticdash/contracts/plans/cs-json';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import { imageFor } from '../images.js';
import { describeInstanceType, instanceTypeFor } from '../instances.js';
import { validatePlan } from '../validate.js';
import { desiredConfigFromPlan, findPostgresComponent, type TDesiredConfig } from './desired-config.js';
import { postgresPackagesFor, type TPostgresSource } from './packages.js';
import { renderUserData, USER_DATA_LIMIT_BYTES } from './user-data.js';

/*
 * aws-json v1: what the AWS deployer needs to create one PostgreSQL component, derived from a
 * cs-json v1 document. Pure data; the worker maps it 1:1 onto EC2 calls:
 *   CreateSecurityGroup(name, description) + AuthorizeSecurityGroupIngress(ingress) →
 *   RunInstances(ClientToken = clientToken, ImageId = imageSelector.imageId ("resolve:ssm:…"),
 *   InstanceType, BlockDeviceMappings(rootVolume, dataVolume), MetadataOptions, UserData =
 *   userDataBase64, TagSpecifications(tags)) → PutObject(desiredConfigS3, desiredConfig).
 *
 * Versioning: `awsJsonVersion` is bumped on any incompatible change of this shape; a worker refuses a
 * version it does not know. The mapping rules:
 *  - instance type: compute.providerHint.aws.instanceType when present, else the smallest catalog
 *    type with the compute's vCPU, memory and architecture (instances.ts);
 *  - image: the OS family/version/architecture's public SSM parameter (images.ts);
 *  - volumes: gp3 root (20 GiB, the AMI's root device name) + gp3 data volume of storage.sizeGiB on
 *    /dev/sdf (mounted by label at /var/lib/postgresql by the user data); storage.iops above gp3's
 *    3000 baseline is provisioned, at most 16000 and 500 per GiB;
 *  - security group: only the PostgreSQL port, only from network.allowedCidrs (no SSH);
 *  - clientToken: sha256(deploymentId:componentId), so retrying RunInstances for the same
 *    deployment never creates a second instance;
 *  - userData: user-data.ts, gzip-compressed for EC2 (cloud-init unpacks gzip), at most 16 KiB.
 */

export const AWS_JSON_VERSION = 1 as const;
export const ROOT_VOLUME_GIB = 20;
export const DATA_DEVICE_NAME = '/dev/sdf';
export const GP3 = { baselineIops: 3000, maxIops: 16000, iopsPerGiB: 500, maxSizeGiB: 16384 } as const;

/** Root device name of each family's AMIs (a block device mapping must use it to resize the root). */
export const ROOT_DEVICE_NAME: Readonly<Record<TOsFamily, string>> = {
  debian: '/dev/xvda',
  ubuntu: '/dev/sda1',
  'amazon-linux': '/dev/xvda',
};

export interface TAwsVolume {
  type: 'gp3';
  sizeGiB: number;
  iops?: number;
  throughput?: number;
  deviceName: string;
  deleteOnTermination: boolean;
  encrypted: true;
}

export interface TAwsJson {
  awsJsonVersion: typeof AWS_JSON_VERSION;
  source: { csJsonVersion: 1; planName: string; componentId: string };
  region: string;
  /** Idempotency token for RunInstances (stable per deployment and component). */
  clientToken: string;
  securityGroup: {
    name: string;
    description: string;
    ingress: { protocol: 'tcp'; port: number; cidr: string; ipv6: boolean; description: string }[];
  };
  instance: {
    instanceType: string;
    imageSelector: {
      osFamily: TOsFamily;
      osVersion: string;
      architecture: TArchitecture;
      ssmParameter: string;
      /** Usable as RunInstances ImageId. */
      imageId: string;
    };
    rootVolume: TAwsVolume;
    dataVolume: TAwsVolume | null;
    associatePublicIpAddress: boolean;
    metadataOptions: { httpTokens: 'required'; httpPutResponseHopLimit: 1 };
    /** Instance profile allowing s3:GetObject on the desired config, PutObject for status and backups. */
    iamInstanceProfile: string | null;
  };
  tags: Record<string, string>;
  /** The user data script (for review and tests). */
  userData: string;
  /** What RunInstances receives: base64(gzip(userData)). */
  userDataBase64: string;
  userDataEncoding: 'gzip+base64';
  desiredConfig: TDesiredConfig;
  /** What the instance profile must allow (the deployer attaches it; aws-json does not create IAM). */
  requiredIamPolicy: TIamPolicy;
  desiredConfigS3: { bucket: string; key: string; region: string };
  postgres: { source: TPostgresSource; packages: string[]; reason: string };
}

export interface TIamPolicy {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string[] }[];
}

/** Least privilege for the agent and backups: read the desired config, write the status, backups. */
export function requiredIamPolicy(
  state: { bucket: string; key: string },
  backups: TDesiredConfig['backups'],
): TIamPolicy {
  const Statement: TIamPolicy['Statement'] = [
    {
      Sid: 'DesiredConfig',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [`arn:aws:s3:::${state.bucket}/${state.key}`],
    },
    {
      Sid: 'AgentStatus',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: [`arn:aws:s3:::${state.bucket}/${state.key}.status.json`],
    },
  ];
  if (backups.enabled && backups.s3) {
    const { bucket, prefix } = backups.s3;
    Statement.push(
      {
        Sid: 'BackupObjects',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: [`arn:aws:s3:::${bucket}/${prefix}*`],
      },
      { Sid: 'BackupList', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`] },
    );
  }
  return { Version: '2012-10-17', Statement };
}

export interface TAwsJsonOptions {
  deploymentId: string;
  tenantId: string;
  planId: string;
  region: string;
  /** Version of the desired config (default 1; bump on re-deploy). */
  desiredVersion?: number;
  /** SCRAM-SHA-256 verifier of the admin password (scram.ts). */
  adminPasswordVerifier: string;
  /** Bucket holding desired configs and agent status; key defaults to `deployments/<id>/<component>/desired.json`. */
  stateBucket: string;
  stateKey?: string;
  instanceProfileName?: string;
}

export type TAwsJsonResult =
  { ok: true; awsJson: TAwsJson; warnings: TFieldIssue[] } | { ok: false; errors: TFieldIssue[] };

/** Stable RunInstances client token (≤ 64 ASCII characters). */
export function clientTokenFor(deploymentId: string, componentId: string): string {
  return `ed-${createHash('sha256').update(`${deploymentId}:${componentId}`).digest('hex').slice(0, 48)}`;
}

/** Encodes user data the way RunInstances takes it (gzip is deterministic: mtime 0). */
export function encodeUserData(userData: string): { base64: string; bytes: number } {
  const gz = gzipSync(Buffer.from(userData, 'utf8'), { level: 9 });
  return { base64: gz.toString('base64'), bytes: gz.length };
}

/** cs-json component → aws-json v1, or the errors (with cs-json paths) that prevent it. */
export function toAwsJson(doc: TCsJsonDocument, componentId: string, opts: TAwsJsonOptions): TAwsJsonResult {
  const validation = validatePlan(doc);
  const c = findPostgresComponent(doc, componentId);
  if (!c) return { ok: false, errors: [{ path: 'components', message: `no postgresql component "${componentId}"` }] };
  const at = `components.${doc.components.indexOf(c)}`;
  const mine = (i: TFieldIssue) => i.path === at || i.path.startsWith(`${at}.`);
  const errors = validation.errors.filter(mine);
  const warnings = validation.warnings.filter(mine);
  if (errors.length > 0) return { ok: false, errors };

  const { compute, storage, os, network } = c;
  const hint = compute.providerHint?.aws?.instanceType;
  const type = hint ? describeInstanceType(hint) : instanceTypeFor(compute).instanceType;
  if (!type) return { ok: false, errors: [{ path: `${at}.compute`, message: 'no instance type fits the compute' }] };
  const image = imageFor(os.family, os.version, compute.architecture);
  if (!image) return { ok: false, errors: [{ path: `${at}.os`, message: `no image for ${os.family} ${os.version}` }] };
  const pkgs = postgresPackagesFor(os.family, os.version, c.database.majorVersion);
  if (!pkgs.ok) return { ok: false, errors: [{ path: `${at}.database.majorVersion`, message: pkgs.reason }] };

  if (storage.sizeGiB > GP3.maxSizeGiB) {
    errors.push({ path: `${at}.storage.sizeGiB`, message: `gp3 volumes hold at most ${GP3.maxSizeGiB} GiB` });
  }
  let iops: number | undefined;
  if (storage.iops !== undefined) {
    const max = Math.min(GP3.maxIops, storage.sizeGiB * GP3.iopsPerGiB);
    if (storage.iops > max) {
      errors.push({
        path: `${at}.storage.iops`,
        message: `gp3 allows at most ${max} IOPS for ${storage.sizeGiB} GiB (16000 max, 500 per GiB)`,
      });
    } else if (storage.iops > GP3.baselineIops) iops = storage.iops;
  }
  if (storage.type !== 'ssd') {
    warnings.push({ path: `${at}.storage.type`, message: `${storage.type} is provisioned as gp3 (SSD) on AWS` });
  }

  const ingress = network.allowedCidrs.map((cidr) => {
    const parsed = parseCidr(cidr);
    return {
      protocol: 'tcp' as const,
      port: network.port,
      cidr,
      ipv6: 'cidr' in parsed && parsed.cidr.family === 6,
      description: `PostgreSQL ${c.name}`,
    };
  });

  const desired = desiredConfigFromPlan(doc, componentId, {
    version: opts.desiredVersion ?? 1,
    backupRegion: opts.region,
  });
  if (!desired.ok) return { ok: false, errors: desired.errors };
  const stateKey = opts.stateKey ?? `deployments/${opts.deploymentId}/${c.id}/desired.json`;
  const desiredConfigS3 = { bucket: opts.stateBucket, key: stateKey, region: opts.region };
  const userData = renderUserData({
    osFamily: os.family,
    osVersion: os.version,
    desired: desired.config,
    adminPasswordVerifier: opts.adminPasswordVerifier,
    desiredConfigS3,
    dataVolumeDevice: DATA_DEVICE_NAME,
    deploymentId: opts.deploymentId,
  });
  if (!userData.ok) {
    return {
      ok: false,
      errors: userData.errors.map((e) => ({ ...e, path: e.path.startsWith('os.') ? `${at}.${e.path}` : e.path })),
    };
  }
  const encoded = encodeUserData(userData.userData);
  if (encoded.bytes > USER_DATA_LIMIT_BYTES) {
    errors.push({ path: `${at}`, message: `user data is ${encoded.bytes} bytes gzipped; EC2 allows 16384` });
  }
  if (errors.length > 0) return { ok: false, errors };

  const awsJson: TAwsJson = {
    awsJsonVersion: AWS_JSON_VERSION,
    source: { csJsonVersion: 1, planName: doc.name, componentId: c.id },
    region: opts.region,
    clientToken: clientTokenFor(opts.deploymentId, c.id),
    securityGroup: {
      name: `elasticdash-${opts.deploymentId}-${c.id}`,
      description: `ElasticDash ${doc.name}/${c.name}: PostgreSQL ${network.port} from allowed CIDRs only`,
      ingress,
    },
    instance: {
      instanceType: type.name,
      imageSelector: {
        osFamily: os.family,
        osVersion: os.version,
        architecture: compute.architecture,
        ssmParameter: image.aws.ssmParameter,
        imageId: `resolve:ssm:${image.aws.ssmParameter}`,
      },
      rootVolume: {
        type: 'gp3',
        sizeGiB: ROOT_VOLUME_GIB,
        deviceName: ROOT_DEVICE_NAME[os.family],
        deleteOnTermination: true,
        encrypted: true,
      },
      dataVolume: {
        type: 'gp3',
        sizeGiB: storage.sizeGiB,
        ...(iops !== undefined ? { iops } : {}),
        deviceName: DATA_DEVICE_NAME,
        deleteOnTermination: false,
        encrypted: true,
      },
      associatePublicIpAddress: network.public,
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      iamInstanceProfile: opts.instanceProfileName ?? null,
    },
    tags: {
      Name: `${doc.name}/${c.name}`,
      'elasticdash:tenant': opts.tenantId,
      'elasticdash:plan': opts.planId,
      'elasticdash:deployment': opts.deploymentId,
      'elasticdash:component': c.id,
      'elasticdash:managed-by': 'elasticdash-deployer',
    },
    userData: userData.userData,
    userDataBase64: encoded.base64,
    userDataEncoding: 'gzip+base64',
    desiredConfig: desired.config,
    requiredIamPolicy: requiredIamPolicy(desiredConfigS3, desired.config.backups),
    desiredConfigS3,
    postgres: { source: pkgs.source, packages: pkgs.packages, reason: pkgs.reason },
  };
  return { ok: true, awsJson, warnings };
}

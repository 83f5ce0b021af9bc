import { DescribeAvailabilityZonesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { TAwsCredentials } from '@elasticdash/contracts/deployer/targets';

export interface AwsCheckInput {
  region: string;
  credentials: TAwsCredentials;
}

export interface AwsCheckResult {
  ok: boolean;
  /** What the admin reads: the AWS error code and what to do about it (never a secret). */
  message: string;
  accountId?: string;
}

/** "Check credentials": behind an interface so tests inject a checker built on a mocked SDK. */
export interface AwsCredentialChecker {
  check(input: AwsCheckInput): Promise<AwsCheckResult>;
}
export const AWS_CREDENTIAL_CHECKER = Symbol('AWS_CREDENTIAL_CHECKER');

type CheckStage = 'sts' | 'ec2' | 'iam';

/** A name under the agents' prefix that never exists: GetRole on it only tests the permission. */
export const IAM_PROBE_ROLE = 'elasticdash-agent-permission-check';

/** Bounded: a check answers within seconds even when AWS cannot be reached. */
const CLIENT_OPTIONS = { maxAttempts: 2, requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 } };

/** The emulator checks that a request is signed, not by whom; no real key is ever involved. */
export const EMULATOR_PLATFORM_KEYS = { accessKeyId: 'TESTHOSTPLATFORM', secretAccessKey: 'testhost' };

const ACCOUNT_IN_ARN = /^arn:aws[\w-]*:[\w-]+::(\d{12}):/;

/**
 * The real check: AssumeRole (role, with the external id) or GetCallerIdentity (access key), then
 * DescribeAvailabilityZones in the target's region — read-only, free, and it needs EC2 rights.
 * The platform's own credentials (default provider chain) are what assumes the tenant's role.
 */
export class SdkAwsCredentialChecker implements AwsCredentialChecker {
  /**
   * @param emulatorUrl test-host mode (DEPLOY_AWS_EMULATOR_URL): STS and EC2 calls go to the local
   * EC2 emulator instead of AWS, and AssumeRole is signed with placeholder platform keys.
   */
  constructor(private readonly emulatorUrl: string | null = null) {}

  async check({ region, credentials }: AwsCheckInput): Promise<AwsCheckResult> {
    const endpoint = this.emulatorUrl ? { endpoint: this.emulatorUrl } : {};
    const platformKeys = this.emulatorUrl ? { credentials: EMULATOR_PLATFORM_KEYS } : {};
    let stage: CheckStage = 'sts';
    try {
      let keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
      let accountId: string | undefined;
      if (credentials.kind === 'role') {
        const sts = new STSClient({ region, ...CLIENT_OPTIONS, ...endpoint, ...platformKeys });
        try {
          const out = await sts.send(
            new AssumeRoleCommand({
              RoleArn: credentials.roleArn,
              ExternalId: credentials.externalId,
              RoleSessionName: 'elasticdash-check',
              DurationSeconds: 900,
            }),
          );
          const c = out.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey) {
            return { ok: false, message: 'AssumeRole returned no credentials' };
          }
          keys = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
          accountId = ACCOUNT_IN_ARN.exec(out.AssumedRoleUser?.Arn ?? credentials.roleArn)?.[1];
        } finally {
          sts.destroy();
        }
      } else {
        keys = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
        const sts = new STSClient({ region, credentials: keys, ...CLIENT_OPTIONS, ...endpoint });
        try {
          accountId = (await sts.send(new GetCallerIdentityCommand({}))).Account;
        } finally {
          sts.destroy();
        }
      }
      stage = 'ec2';
      let count: number;
      const ec2 = new EC2Client({ region, credentials: keys, ...CLIENT_OPTIONS, ...endpoint });
      try {
        const zones = await ec2.send(
          new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-type', Values: ['availability-zone'] }] }),
        );
        count = zones.AvailabilityZones?.length ?? 0;
      } finally {
        ec2.destroy();
      }
      // Every deploy creates the agent's role: a GetRole on a name under elasticdash-agent-* shows
      // whether IAM is allowed there (NoSuchEntity = allowed, the role just does not exist).
      stage = 'iam';
      const iam = new IAMClient({ region, credentials: keys, ...CLIENT_OPTIONS, ...endpoint });
      try {
        await iam.send(new GetRoleCommand({ RoleName: IAM_PROBE_ROLE }));
      } catch (error) {
        const code = (error as { Code?: string; name?: string }).Code ?? (error as { name?: string }).name;
        if (code !== 'NoSuchEntity' && code !== 'NoSuchEntityException') throw error;
      } finally {
        iam.destroy();
      }
      return {
        ok: true,
        message: `${credentials.kind === 'role' ? 'assumed the role' : 'the access key works'}; ec2:DescribeAvailabilityZones sees ${count} zone${count === 1 ? '' : 's'} in ${region}; IAM allows managing the agent's role`,
        ...(accountId ? { accountId } : {}),
      };
    } catch (error) {
      return { ok: false, message: explainCheckError(error, stage, credentials) };
    }
  }
}

/** An AWS SDK error as one sentence the admin can act on. */
export function explainCheckError(error: unknown, stage: CheckStage, credentials: TAwsCredentials): string {
  const name = (error as { name?: string })?.name ?? 'Error';
  const role = credentials.kind === 'role' ? credentials.roleArn : null;
  switch (name) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      if (stage === 'iam') {
        return `AccessDenied: the ${role ? 'role' : 'access key'} may not manage the agent's IAM role (iam:GetRole on role/elasticdash-agent-*): grant the IAM part of the deployer policy (docs/deployer.md)`;
      }
      return stage === 'sts' && role
        ? `AccessDenied: the platform cannot assume ${role}: check the role's trust policy (principal and sts:ExternalId)`
        : 'AccessDenied: these credentials may not call sts:GetCallerIdentity';
    case 'UnauthorizedOperation':
      return `UnauthorizedOperation: the ${role ? 'role' : 'access key'} cannot call ec2:DescribeAvailabilityZones (attach a policy allowing the EC2 actions the deployer needs)`;
    case 'InvalidClientTokenId':
      return 'InvalidClientTokenId: AWS does not know this access key id (deleted, or from another partition)';
    case 'SignatureDoesNotMatch':
      return 'SignatureDoesNotMatch: the secret access key does not belong to this access key id';
    case 'AuthFailure':
      return 'AuthFailure: AWS refused these credentials (disabled key or wrong secret)';
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return 'ExpiredToken: the credentials have expired';
    case 'RegionDisabledException':
    case 'OptInRequired':
      return `${name}: the region is not enabled for this account (enable it in the AWS console or pick another)`;
    case 'RequestLimitExceeded':
    case 'Throttling':
    case 'ThrottlingException':
      return `${name}: AWS is throttling requests; try again in a minute`;
    default: {
      const code = (error as { code?: string })?.code;
      if (code && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
        return `could not reach AWS (${code}): check this installation's outbound network`;
      }
      if (name === 'TimeoutError' || name === 'RequestTimeout') {
        return "could not reach AWS (timeout): check this installation's outbound network";
      }
      const message = (error as { message?: string })?.message ?? 'unknown error';
      return `${name}: ${message.slice(0, 300)}`;
    }
  }
}

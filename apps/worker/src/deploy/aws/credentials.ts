import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { TAwsTargetSecret } from '@elasticdash/contracts/deployer/targets';

/** A workspace's AWS target as the worker reads it (deployer.aws_targets + its opened secret). */
export interface AwsTargetConfig {
  tenantId: string;
  region: string;
  credentialKind: 'role' | 'access-key';
  roleArn: string | null;
  accessKeyId: string | null;
  /** Identifies the stored credentials: a new PUT means a new ref, so the cache never mixes them. */
  secretRef: string;
  secret: TAwsTargetSecret;
}

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface ResolvedCredentials {
  keys: AwsKeys;
  accountId: string;
}

/** Refresh this long before expiry, so a step never starts with keys about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
const ASSUME_SECONDS = 3_600;
const ACCOUNT_IN_ARN = /^arn:aws[\w-]*:[\w-]+::(\d{12}):/;

/**
 * The tenant's AWS credentials for the worker: the static access key, or the role assumed with the
 * tenant's external id (an hour, cached until five minutes before expiry, per tenant and secret).
 * The worker's own credentials (default chain) are what calls AssumeRole.
 */
export class AwsCredentialsCache {
  private readonly cache = new Map<string, ResolvedCredentials>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Test-host mode: STS is the local EC2 emulator, and the platform's own keys are placeholders. */
    private readonly sts: { endpoint?: string; platformKeys?: AwsKeys } = {},
  ) {}

  async resolve(target: AwsTargetConfig, sessionName: string): Promise<ResolvedCredentials> {
    const key = `${target.tenantId}:${target.secretRef}`;
    const cached = this.cache.get(key);
    if (cached && (!cached.keys.expiration || cached.keys.expiration.getTime() - REFRESH_MARGIN_MS > this.now())) {
      return cached;
    }
    const resolved = await this.fetch(target, sessionName);
    this.cache.set(key, resolved);
    return resolved;
  }

  private async fetch(target: AwsTargetConfig, sessionName: string): Promise<ResolvedCredentials> {
    const endpoint = this.sts.endpoint ? { endpoint: this.sts.endpoint } : {};
    const sts = new STSClient({
      region: target.region,
      ...endpoint,
      ...(this.sts.platformKeys ? { credentials: this.sts.platformKeys } : {}),
    });
    try {
      if (target.credentialKind === 'role') {
        if (!target.roleArn || target.secret.kind !== 'role')
          throw new Error('the stored role credentials are incomplete');
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: target.roleArn,
            ExternalId: target.secret.externalId,
            // ≤ 64 characters of [\w+=,.@-]: the session name shows in the tenant's CloudTrail.
            RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
            DurationSeconds: ASSUME_SECONDS,
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
        return {
          keys: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: c.Expiration,
          },
          accountId: ACCOUNT_IN_ARN.exec(target.roleArn)?.[1] ?? '',
        };
      }
      if (!target.accessKeyId || target.secret.kind !== 'access-key') {
        throw new Error('the stored access key is incomplete');
      }
      const keys = { accessKeyId: target.accessKeyId, secretAccessKey: target.secret.secretAccessKey };
      const caller = new STSClient({ region: target.region, credentials: keys, ...endpoint });
      try {
        const who = await caller.send(new GetCallerIdentityCommand({}));
        return { keys, accountId: who.Account ?? '' };
      } finally {
        caller.destroy();
      }
    } finally {
      sts.destroy();
    }
  }
}

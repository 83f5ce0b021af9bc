import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  maskAccessKeyId,
  type TAwsCredentials,
  type TAwsTarget,
  type TAwsTargetResponse,
  type TAwsTargetSecret,
  type TCheckAwsTargetResponse,
  type TListDeployTargetsResponse,
  type TPutAwsTargetRequest,
  ZAwsTargetResponse,
  ZAwsTargetSecret,
  ZCheckAwsTargetResponse,
  ZListDeployTargetsResponse,
} from '@elasticdash/contracts/deployer/targets';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, notFound } from '@elasticdash/service-kit/errors';
import { openSecret, sealSecret } from '@elasticdash/service-kit/secrets/envelope';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { SecretsRepository } from '../secrets/secrets.repository.js';
import { AWS_CREDENTIAL_CHECKER, type AwsCredentialChecker } from './aws-credential-checker.js';
import { type AwsTargetRow, TargetsRepository } from './targets.repository.js';

export const NO_AWS_TARGET = 'No AWS target is configured for this workspace';

/**
 * The workspace's deploy targets. The AWS secret half (external id or secret access key) is sealed
 * in `deployer.secrets` as JSON bound to the tenant and the secret id; it is opened only to check
 * the credentials here and to deploy in the worker, and never returned.
 */
@Injectable()
export class TargetsService {
  private readonly logger = new Logger('TargetsService');

  constructor(
    @Inject(DEPLOYER_ENV) private readonly env: TDeployerEnv,
    private readonly transactions: Transactions,
    private readonly targets: TargetsRepository,
    private readonly secrets: SecretsRepository,
    @Inject(AWS_CREDENTIAL_CHECKER) private readonly checker: AwsCredentialChecker,
  ) {}

  async list(ctx: TTenantContext): Promise<TListDeployTargetsResponse> {
    const row = await this.targets.findAws(ctx.tenantId);
    return respond(ZListDeployTargetsResponse, {
      local: { kind: 'local', enabled: this.env.DEPLOY_TARGETS.includes('local') },
      aws: row ? this.view(row) : null,
    });
  }

  async putAws(ctx: TTenantContext, body: TPutAwsTargetRequest): Promise<TAwsTargetResponse> {
    const { credentials } = body;
    const secret: TAwsTargetSecret =
      credentials.kind === 'role'
        ? { kind: 'role', externalId: credentials.externalId }
        : { kind: 'access-key', secretAccessKey: credentials.secretAccessKey };
    const saved = await this.transactions.run(async (tx) => {
      const previous = await this.targets.lockAws(ctx.tenantId, tx);
      const secretRef = randomUUID();
      const sealed = sealSecret(
        JSON.stringify(secret),
        { tenantId: ctx.tenantId, secretId: secretRef },
        this.env.secretsKeyring,
      );
      await this.secrets.insert({ id: secretRef, tenantId: ctx.tenantId, ...sealed }, tx);
      const row = await this.targets.upsertAws(
        {
          tenantId: ctx.tenantId,
          region: body.region,
          credentialKind: credentials.kind,
          roleArn: credentials.kind === 'role' ? credentials.roleArn : null,
          accessKeyId: credentials.kind === 'access-key' ? credentials.accessKeyId : null,
          secretRef,
          updatedBy: ctx.email,
        },
        tx,
      );
      // The replaced secret goes in the same transaction: no orphan sealed credentials stay behind.
      if (previous) await this.targets.deleteSecret(ctx.tenantId, previous.secretRef, tx);
      return row;
    });
    this.logger.log(`aws target set: region ${saved.region}, ${saved.credentialKind}`);
    return respond(ZAwsTargetResponse, { aws: this.view(saved) });
  }

  async deleteAws(ctx: TTenantContext): Promise<void> {
    await this.transactions.run(async (tx) => {
      const row = await this.targets.lockAws(ctx.tenantId, tx);
      if (!row) throw notFound(NO_AWS_TARGET);
      const live = await this.targets.liveAwsDeployments(ctx.tenantId, tx);
      if (live.length > 0) {
        const names = live.map((d) => `${d.planName} (${d.state})`).join(', ');
        throw conflict(
          `The AWS target is still used by ${live.length} deployment${live.length === 1 ? '' : 's'}: ${names}; destroy ${live.length === 1 ? 'it' : 'them'} first`,
        );
      }
      await this.targets.deleteAws(ctx.tenantId, tx);
      await this.targets.deleteSecret(ctx.tenantId, row.secretRef, tx);
    });
  }

  async checkAws(ctx: TTenantContext): Promise<TCheckAwsTargetResponse> {
    const row = await this.targets.findAws(ctx.tenantId);
    if (!row) throw notFound(NO_AWS_TARGET);
    const credentials = await this.credentialsOf(row);
    const result = await this.checker.check({ region: row.region, credentials });
    const check = {
      ok: result.ok,
      message: result.message,
      checkedAt: new Date().toISOString(),
      ...(result.accountId ? { accountId: result.accountId } : {}),
    };
    // Credentials replaced while checking: the result is about the old ones, so it is not stored.
    await this.targets.setLastCheck(ctx.tenantId, row.secretRef, check);
    this.logger.log(`aws credentials checked: ${check.ok ? 'ok' : 'failed'}`);
    return respond(ZCheckAwsTargetResponse, { check });
  }

  /** Whether deploys of this tenant may use aws; the reason (what is missing) when not. */
  async awsUsable(tenantId: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    if (!this.env.DEPLOY_TARGETS.includes('aws')) {
      return { ok: false, reason: 'the aws target is disabled on this installation (DEPLOY_TARGETS)' };
    }
    if (!(await this.targets.findAws(tenantId))) {
      return {
        ok: false,
        reason: 'no AWS target is configured for this workspace: add one under Settings → Deploy targets',
      };
    }
    return { ok: true };
  }

  private async credentialsOf(row: AwsTargetRow): Promise<TAwsCredentials> {
    const sealed = await this.secrets.find(row.tenantId, row.secretRef);
    if (!sealed) throw conflict('The AWS credentials are missing from the secret store; set them again');
    const secret = ZAwsTargetSecret.parse(
      JSON.parse(openSecret(sealed, { tenantId: row.tenantId, secretId: row.secretRef }, this.env.secretsKeyring)),
    );
    if (secret.kind === 'role' && row.roleArn) {
      return { kind: 'role', roleArn: row.roleArn, externalId: secret.externalId };
    }
    if (secret.kind === 'access-key' && row.accessKeyId) {
      return { kind: 'access-key', accessKeyId: row.accessKeyId, secretAccessKey: secret.secretAccessKey };
    }
    throw conflict('The stored AWS credentials do not match their kind; set them again');
  }

  private view(row: AwsTargetRow): TAwsTarget {
    return {
      kind: 'aws',
      region: row.region,
      credentialKind: row.credentialKind,
      roleArn: row.roleArn,
      accessKeyIdMasked: row.accessKeyId ? maskAccessKeyId(row.accessKeyId) : null,
      lastCheck: row.lastCheck ?? null,
      enabled: this.env.DEPLOY_TARGETS.includes('aws'),
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

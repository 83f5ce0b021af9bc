import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { openSecret, sealSecret } from '@elasticdash/service-kit/secrets/envelope';
import type { Executor } from '../db/database.js';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { SecretsRepository } from './secrets.repository.js';

/** The stored secret is missing (or not this tenant's): the deployment's reference is dangling. */
export class AdminSecretMissingError extends Error {
  override readonly name = 'AdminSecretMissingError';
}

/** 32 URL-safe characters (192 random bits): safe in connection strings, pg_hba and shell quoting. */
export function generateAdminPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Admin passwords of deployments, sealed with envelope encryption in `deployer.secrets`
 * (bound to the tenant and the secret id). A deployment's `admin_secret_ref` is the secret id.
 * Values never leave this class except to the credentials reveal.
 */
@Injectable()
export class AdminSecrets {
  constructor(
    @Inject(DEPLOYER_ENV) private readonly env: TDeployerEnv,
    private readonly records: SecretsRepository,
  ) {}

  /** Generates and stores a new admin password; returns its reference (the secret id). */
  async create(tenantId: string, exec?: Executor): Promise<string> {
    const id = randomUUID();
    const sealed = sealSecret(generateAdminPassword(), { tenantId, secretId: id }, this.env.secretsKeyring);
    await this.records.insert({ id, tenantId, ...sealed }, exec);
    return id;
  }

  async reveal(tenantId: string, ref: string): Promise<string> {
    const row = await this.records.find(tenantId, ref);
    if (!row) throw new AdminSecretMissingError(`admin secret ${ref} not found`);
    return openSecret(row, { tenantId: row.tenantId, secretId: row.id }, this.env.secretsKeyring);
  }
}

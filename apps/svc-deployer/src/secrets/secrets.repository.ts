import { Inject, Injectable } from '@nestjs/common';
import type { SealedSecret } from '@elasticdash/service-kit/secrets/envelope';
import { and, eq } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { secrets } from '../db/schema.js';

export interface SecretRow extends SealedSecret {
  id: string;
  tenantId: string;
}

const SELECTED = {
  id: secrets.id,
  tenantId: secrets.tenantId,
  masterKeyId: secrets.masterKeyId,
  wrappedKey: secrets.wrappedKey,
  wrapIv: secrets.wrapIv,
  wrapTag: secrets.wrapTag,
  iv: secrets.iv,
  ciphertext: secrets.ciphertext,
  authTag: secrets.authTag,
};

/** Statements on `deployer.secrets` (sealed values only; the worker reads them with the same keyring). */
@Injectable()
export class SecretsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(row: SecretRow, exec: Executor = this.db): Promise<void> {
    await exec.insert(secrets).values({
      id: row.id,
      tenantId: row.tenantId,
      masterKeyId: row.masterKeyId,
      wrappedKey: row.wrappedKey,
      wrapIv: row.wrapIv,
      wrapTag: row.wrapTag,
      iv: row.iv,
      ciphertext: row.ciphertext,
      authTag: row.authTag,
    });
  }

  async find(tenantId: string, id: string, exec: Executor = this.db): Promise<SecretRow | undefined> {
    const [row] = await exec
      .select(SELECTED)
      .from(secrets)
      .where(and(eq(secrets.tenantId, tenantId), eq(secrets.id, id)));
    return row;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, eq, ne, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../db/database.js';
import { secrets } from '../db/schema.js';
import type { SealedSecret } from '@elasticdash/service-kit/secrets/envelope';

export interface SecretRow extends SealedSecret {
  id: string;
  tenantId: string;
}

/** Storage of the local secret store (what LocalSecretStore needs, so tests can swap it). */
export interface SecretRecords {
  insert(row: SecretRow): Promise<void>;
  find(id: string): Promise<SecretRow | undefined>;
  /** Replaces the sealed value; false when the row does not exist. */
  replace(id: string, sealed: SealedSecret): Promise<boolean>;
  /** Replaces the sealed value only while it is still under `fromKeyId` (concurrent re-wraps are harmless). */
  rewrap(id: string, fromKeyId: string, sealed: SealedSecret): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** Rows whose data key is wrapped with another master key than `currentKeyId`. */
  listNotUnder(currentKeyId: string, limit: number): Promise<SecretRow[]>;
}

function sealedColumns(sealed: SealedSecret) {
  return {
    masterKeyId: sealed.masterKeyId,
    wrappedKey: sealed.wrappedKey,
    wrapIv: sealed.wrapIv,
    wrapTag: sealed.wrapTag,
    iv: sealed.iv,
    ciphertext: sealed.ciphertext,
    authTag: sealed.authTag,
  };
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

@Injectable()
export class SecretsRepository implements SecretRecords {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(row: SecretRow): Promise<void> {
    await this.db.insert(secrets).values({ id: row.id, tenantId: row.tenantId, ...sealedColumns(row) });
  }

  async find(id: string): Promise<SecretRow | undefined> {
    const [row] = await this.db.select(SELECTED).from(secrets).where(eq(secrets.id, id));
    return row;
  }

  async replace(id: string, sealed: SealedSecret): Promise<boolean> {
    const rows = await this.db
      .update(secrets)
      .set({ ...sealedColumns(sealed), rotatedAt: sql`now()` })
      .where(eq(secrets.id, id))
      .returning({ id: secrets.id });
    return rows.length > 0;
  }

  async rewrap(id: string, fromKeyId: string, sealed: SealedSecret): Promise<boolean> {
    const rows = await this.db
      .update(secrets)
      .set(sealedColumns(sealed))
      .where(and(eq(secrets.id, id), eq(secrets.masterKeyId, fromKeyId)))
      .returning({ id: secrets.id });
    return rows.length > 0;
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(secrets).where(eq(secrets.id, id));
  }

  listNotUnder(currentKeyId: string, limit: number): Promise<SecretRow[]> {
    return this.db.select(SELECTED).from(secrets).where(ne(secrets.masterKeyId, currentKeyId)).limit(limit);
  }
}

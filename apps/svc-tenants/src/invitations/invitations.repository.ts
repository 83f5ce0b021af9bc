import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { invitations, tenants } from '../db/schema.js';

export type InvitationRow = typeof invitations.$inferSelect;
export type NewInvitationRow = typeof invitations.$inferInsert;
export interface InvitationWithTenant {
  invitation: InvitationRow;
  tenant: typeof tenants.$inferSelect;
}

/** Not accepted and not revoked (it may still have expired). */
const open = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

@Injectable()
export class InvitationsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** Open and unexpired invitations of one tenant, newest first. */
  listPending(tenantId: string, now: Date): Promise<InvitationRow[]> {
    return this.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, tenantId), open, gt(invitations.expiresAt, now)))
      .orderBy(desc(invitations.createdAt), desc(invitations.id));
  }

  /** Revokes the open invitation(s) for this address, so a new one can take their place. */
  async revokeOpenForEmail(tenantId: string, email: string, now: Date, tx: Tx): Promise<number> {
    const rows = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.tenantId, tenantId), eq(invitations.email, email), open))
      .returning({ id: invitations.id });
    return rows.length;
  }

  async insert(row: NewInvitationRow, exec: Executor = this.db): Promise<InvitationRow> {
    const [inserted] = await exec.insert(invitations).values(row).returning();
    if (!inserted) throw new Error('invitation insert returned no row');
    return inserted;
  }

  /** Revokes one open invitation of this tenant; false when there is none with this id. */
  async revoke(tenantId: string, invitationId: string, now: Date, exec: Executor = this.db): Promise<boolean> {
    const rows = await exec
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.id, invitationId), eq(invitations.tenantId, tenantId), open))
      .returning({ id: invitations.id });
    return rows.length > 0;
  }

  /**
   * The invitation behind a token hash, with its tenant. With `lock`, the invitation row is
   * first taken `for update` inside that transaction (so two accepts of one link serialise);
   * the tenant row is not locked.
   */
  async findByTokenHash(tokenHash: string, options: { lock?: Tx } = {}): Promise<InvitationWithTenant | undefined> {
    const exec = options.lock ?? this.db;
    if (options.lock) {
      // Locked on its own: drizzle renders `for update of` schema-qualified, which Postgres rejects.
      const locked = await options.lock
        .select({ id: invitations.id })
        .from(invitations)
        .where(eq(invitations.tokenHash, tokenHash))
        .for('update');
      if (locked.length === 0) return undefined;
    }
    const [row] = await exec
      .select({ invitation: invitations, tenant: tenants })
      .from(invitations)
      .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
      .where(eq(invitations.tokenHash, tokenHash));
    return row;
  }

  async markAccepted(invitationId: string, now: Date, tx: Tx): Promise<void> {
    await tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invitationId));
  }

  async removeAllOfTenant(tenantId: string, tx: Tx): Promise<number> {
    const rows = await tx
      .delete(invitations)
      .where(eq(invitations.tenantId, tenantId))
      .returning({ id: invitations.id });
    return rows.length;
  }
}

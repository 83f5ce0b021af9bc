import { Inject, Injectable } from '@nestjs/common';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { memberships } from '../db/schema.js';

export type MembershipRow = typeof memberships.$inferSelect;
export type NewMembershipRow = typeof memberships.$inferInsert;

/** Every statement on `tenants.memberships` that more than one feature needs. */
@Injectable()
export class MembershipsRepository {
  /**
   * The gateway's membership check, on the hot path of every tenant-scoped request: a named
   * prepared statement (parsed once per pooled connection) answered by the primary key index.
   */
  private readonly roleLookup;

  constructor(@Inject(DRIZZLE) private readonly db: Database) {
    this.roleLookup = db
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(eq(memberships.tenantId, sql.placeholder('tenantId')), eq(memberships.userId, sql.placeholder('userId'))),
      )
      .prepare('tenants_membership_role');
  }

  async findRole(tenantId: string, userId: string): Promise<TRole | undefined> {
    const [row] = await this.roleLookup.execute({ tenantId, userId });
    return row?.role;
  }

  async find(tenantId: string, userId: string, exec: Executor = this.db): Promise<MembershipRow | undefined> {
    const [row] = await exec
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    return row;
  }

  /**
   * Locks the tenant's owner rows (`for update`, in user id order so concurrent callers queue
   * instead of deadlocking) and returns their user ids. Every change that could leave a tenant
   * without an owner takes this lock first, so "last owner" checks cannot race.
   */
  async lockOwners(tenantId: string, tx: Tx): Promise<string[]> {
    const rows = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')))
      .orderBy(asc(memberships.userId))
      .for('update');
    return rows.map((row) => row.userId);
  }

  /** Locks the given members' rows (user id order) and returns those that exist. */
  async lockMembers(tenantId: string, userIds: string[], tx: Tx): Promise<MembershipRow[]> {
    if (userIds.length === 0) return [];
    return tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.userId, userIds)))
      .orderBy(asc(memberships.userId))
      .for('update');
  }

  async existsWithEmail(tenantId: string, email: string, exec: Executor = this.db): Promise<boolean> {
    const [row] = await exec
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.email, email)))
      .limit(1);
    return row !== undefined;
  }

  async insert(row: NewMembershipRow, exec: Executor = this.db): Promise<MembershipRow> {
    const [inserted] = await exec.insert(memberships).values(row).returning();
    if (!inserted) throw new Error('membership insert returned no row');
    return inserted;
  }

  async setRole(
    tenantId: string,
    userId: string,
    role: TRole,
    exec: Executor = this.db,
  ): Promise<MembershipRow | undefined> {
    const [row] = await exec
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
      .returning();
    return row;
  }

  async remove(tenantId: string, userId: string, exec: Executor = this.db): Promise<boolean> {
    const rows = await exec
      .delete(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
      .returning({ userId: memberships.userId });
    return rows.length > 0;
  }

  async removeAllOfTenant(tenantId: string, exec: Executor = this.db): Promise<number> {
    const rows = await exec
      .delete(memberships)
      .where(eq(memberships.tenantId, tenantId))
      .returning({ userId: memberships.userId });
    return rows.length;
  }
}

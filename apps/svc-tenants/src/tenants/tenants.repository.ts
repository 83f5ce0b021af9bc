import { Inject, Injectable } from '@nestjs/common';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { and, asc, eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { memberships, tenants } from '../db/schema.js';

export type TenantRow = typeof tenants.$inferSelect;
export type TenantWithRole = TenantRow & { role: TRole };

@Injectable()
export class TenantsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(name: string, tx: Tx): Promise<TenantRow> {
    const [row] = await tx.insert(tenants).values({ name }).returning();
    if (!row) throw new Error('tenant insert returned no row');
    return row;
  }

  /** The tenants a user belongs to, with their role in each. */
  listForUser(userId: string): Promise<TenantWithRole[]> {
    return this.db
      .select({ id: tenants.id, name: tenants.name, createdAt: tenants.createdAt, role: memberships.role })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(sql`lower(${tenants.name})`), asc(tenants.id));
  }

  /** The tenant as seen by one of its members; undefined when either does not exist. */
  async findForMember(tenantId: string, userId: string, exec: Executor = this.db): Promise<TenantWithRole | undefined> {
    const [row] = await exec
      .select({ id: tenants.id, name: tenants.name, createdAt: tenants.createdAt, role: memberships.role })
      .from(tenants)
      .innerJoin(memberships, and(eq(memberships.tenantId, tenants.id), eq(memberships.userId, userId)))
      .where(eq(tenants.id, tenantId));
    return row;
  }

  async rename(tenantId: string, name: string, exec: Executor = this.db): Promise<TenantRow | undefined> {
    const [row] = await exec.update(tenants).set({ name }).where(eq(tenants.id, tenantId)).returning();
    return row;
  }

  async delete(tenantId: string, exec: Executor = this.db): Promise<boolean> {
    const rows = await exec.delete(tenants).where(eq(tenants.id, tenantId)).returning({ id: tenants.id });
    return rows.length > 0;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { connections } from '../db/schema.js';

export type ConnectionRow = typeof connections.$inferSelect;
export type NewConnectionRow = typeof connections.$inferInsert;
export type ConnectionPatch = Partial<
  Pick<NewConnectionRow, 'name' | 'host' | 'port' | 'database' | 'username' | 'sslMode' | 'caCert' | 'readOnly'>
> & { introspectedAt?: Date | null };

/** Every statement is scoped by tenant: another tenant's id finds nothing. */
@Injectable()
export class ConnectionsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(values: NewConnectionRow, exec: Executor = this.db): Promise<ConnectionRow> {
    const [row] = await exec.insert(connections).values(values).returning();
    if (!row) throw new Error('connection insert returned no row');
    return row;
  }

  listForTenant(tenantId: string): Promise<ConnectionRow[]> {
    return this.db
      .select()
      .from(connections)
      .where(eq(connections.tenantId, tenantId))
      .orderBy(asc(sql`lower(${connections.name})`), asc(connections.id));
  }

  async findForTenant(tenantId: string, id: string, exec: Executor = this.db): Promise<ConnectionRow | undefined> {
    const [row] = await exec
      .select()
      .from(connections)
      .where(and(eq(connections.id, id), eq(connections.tenantId, tenantId)));
    return row;
  }

  async update(
    tenantId: string,
    id: string,
    patch: ConnectionPatch,
    exec: Executor = this.db,
  ): Promise<ConnectionRow | undefined> {
    const [row] = await exec
      .update(connections)
      .set({ ...patch, updatedAt: sql`clock_timestamp()` })
      .where(and(eq(connections.id, id), eq(connections.tenantId, tenantId)))
      .returning();
    return row;
  }

  /** Records when the catalog was introspected (not a settings change: `updated_at` stays). */
  async setIntrospectedAt(tenantId: string, id: string, at: Date | null, exec: Executor = this.db): Promise<void> {
    await exec
      .update(connections)
      .set({ introspectedAt: at })
      .where(and(eq(connections.id, id), eq(connections.tenantId, tenantId)));
  }

  async delete(tenantId: string, id: string, exec: Executor = this.db): Promise<ConnectionRow | undefined> {
    const [row] = await exec
      .delete(connections)
      .where(and(eq(connections.id, id), eq(connections.tenantId, tenantId)))
      .returning();
    return row;
  }
}

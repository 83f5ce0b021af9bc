import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { catalogs } from '../db/schema.js';

export interface StoredCatalog {
  snapshot: unknown;
  introspectedAt: Date;
}

/** Persisted introspection snapshots (`connections.catalogs`), one per connection. */
@Injectable()
export class CatalogRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async find(tenantId: string, connectionId: string): Promise<StoredCatalog | undefined> {
    const [row] = await this.db
      .select({ snapshot: catalogs.snapshot, introspectedAt: catalogs.introspectedAt })
      .from(catalogs)
      .where(and(eq(catalogs.connectionId, connectionId), eq(catalogs.tenantId, tenantId)));
    return row;
  }

  async save(
    tenantId: string,
    connectionId: string,
    snapshot: unknown,
    introspectedAt: Date,
    exec: Executor = this.db,
  ): Promise<void> {
    await exec
      .insert(catalogs)
      .values({ connectionId, tenantId, snapshot, introspectedAt })
      .onConflictDoUpdate({ target: catalogs.connectionId, set: { snapshot, introspectedAt } });
  }

  async remove(tenantId: string, connectionId: string, exec: Executor = this.db): Promise<void> {
    await exec.delete(catalogs).where(and(eq(catalogs.connectionId, connectionId), eq(catalogs.tenantId, tenantId)));
  }
}

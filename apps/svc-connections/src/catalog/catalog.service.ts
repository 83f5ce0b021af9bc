import { Injectable, Logger } from '@nestjs/common';
import { type TCatalogResponse, type TCatalogTable, ZCatalogResponse } from '@elasticdash/contracts/data/catalog';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { notFound, serviceUnavailable } from '@elasticdash/service-kit/errors';
import { isPgError, PgErrorCode } from '@elasticdash/db/errors';
import { unwrapQueryError } from '@elasticdash/service-kit/exception-filter';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { classifyConnectionError } from '../connections/connection-errors.js';
import { ConnectionEvents } from '../connections/connection-events.js';
import { type ConnectionRecord, settingsOf } from '../connections/connection-record.js';
import { ConnectionsRepository } from '../connections/connections.repository.js';
import { CustomerPools, customerDatabaseError } from '../connections/customer-pools.js';
import { RulesRepository } from '../rules/rules.repository.js';
import { type CatalogAudience, indexRules, type RulesByTable, viewTable } from './catalog-view.js';
import { CatalogRepository } from './catalog.repository.js';
import { tableKey, type TCatalogSnapshot, type TRawTable, ZCatalogSnapshot } from './catalog.types.js';
import { IntrospectionRepository } from './introspection.repository.js';

interface CacheEntry {
  tenantId: string;
  snapshot: TCatalogSnapshot;
  byKey: Map<string, TRawTable>;
  introspectedAt: Date;
  rules?: RulesByTable;
}

function audienceOf(ctx: TTenantContext, connection: ConnectionRecord): CatalogAudience {
  return { isAdmin: hasRole(ctx.role, 'admin'), canWrite: hasRole(ctx.role, 'editor') && !connection.readOnly };
}

/**
 * The catalog of a connection: introspected once (then kept in memory and in
 * `connections.catalogs`, so a restart does not introspect again), refreshed on demand, and
 * shown to each user through the admin rules and their role.
 *
 * For the rows engine, `tableFor` is the only source of identifiers that may go into SQL.
 */
@Injectable()
export class CatalogService {
  private readonly logger = new Logger(CatalogService.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<CacheEntry>>();

  constructor(
    private readonly pools: CustomerPools,
    private readonly introspection: IntrospectionRepository,
    private readonly catalogs: CatalogRepository,
    private readonly rules: RulesRepository,
    private readonly connections: ConnectionsRepository,
    private readonly transactions: Transactions,
    private readonly events: ConnectionEvents,
  ) {
    events.onChange((change) => (change ? this.evict(change.connectionId) : this.cache.clear()));
  }

  /** Every table and column this user may see (admins also see hidden ones, flagged). */
  async getCatalog(ctx: TTenantContext, connectionId: string): Promise<TCatalogResponse> {
    const { connection, entry, rules } = await this.load(ctx.tenantId, connectionId);
    return this.respond(ctx, connection, entry, rules);
  }

  /** Introspects the database again (editor and above). */
  async refresh(ctx: TTenantContext, connectionId: string): Promise<TCatalogResponse> {
    const connection = await this.pools.connectionFor(ctx.tenantId, connectionId);
    const entry = await this.introspect(connection);
    const rules = await this.rulesOf(entry, connection);
    return this.respond(ctx, connection, entry, rules);
  }

  /**
   * One table as `ctx`'s user may use it: only the columns visible to them, `readOnly` set per
   * table and column (rules, connection read-only flag, viewer role, views and tables without
   * a primary key). Introspects first when the connection has no catalog yet.
   * Throws notFound(`Table schema.table not found`) for an unknown table or one hidden from
   * this user, and notFound('Connection not found') for another tenant's connection.
   */
  async tableFor(ctx: TTenantContext, connectionId: string, schema: string, table: string): Promise<TCatalogTable> {
    const { connection, entry, rules } = await this.load(ctx.tenantId, connectionId);
    const raw = entry.byKey.get(tableKey(schema, table));
    const view = raw ? viewTable(raw, rules, audienceOf(ctx, connection)) : null;
    if (!view) throw notFound(`Table ${schema}.${table} not found`);
    return view;
  }

  /** The introspected catalog without rules applied (for validating rules). */
  async snapshotFor(tenantId: string, connectionId: string): Promise<TCatalogSnapshot> {
    const connection = await this.pools.connectionFor(tenantId, connectionId);
    return (await this.entryFor(connection)).snapshot;
  }

  evict(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  private respond(
    ctx: TTenantContext,
    connection: ConnectionRecord,
    entry: CacheEntry,
    rules: RulesByTable,
  ): TCatalogResponse {
    const audience = audienceOf(ctx, connection);
    const tables = entry.snapshot.tables.flatMap((table) => viewTable(table, rules, audience) ?? []);
    return respond(ZCatalogResponse, {
      connectionId: connection.id,
      introspectedAt: entry.introspectedAt.toISOString(),
      schemas: entry.snapshot.schemas,
      tables,
    });
  }

  private async load(
    tenantId: string,
    connectionId: string,
  ): Promise<{ connection: ConnectionRecord; entry: CacheEntry; rules: RulesByTable }> {
    const connection = await this.pools.connectionFor(tenantId, connectionId);
    const entry = await this.entryFor(connection);
    return { connection, entry, rules: await this.rulesOf(entry, connection) };
  }

  private async rulesOf(entry: CacheEntry, connection: ConnectionRecord): Promise<RulesByTable> {
    if (entry.rules && this.events.cacheTrusted) return entry.rules;
    const rules = indexRules(await this.rules.list(connection.tenantId, connection.id));
    entry.rules = rules;
    return rules;
  }

  private async entryFor(connection: ConnectionRecord): Promise<CacheEntry> {
    const cached = this.cache.get(connection.id);
    if (
      cached &&
      cached.tenantId === connection.tenantId &&
      (this.events.cacheTrusted || cached.introspectedAt.getTime() === connection.introspectedAt?.getTime())
    ) {
      return cached;
    }
    const pending = this.loading.get(connection.id);
    if (pending) return pending;
    const work = this.loadStoredOrIntrospect(connection).finally(() => this.loading.delete(connection.id));
    this.loading.set(connection.id, work);
    return work;
  }

  private async loadStoredOrIntrospect(connection: ConnectionRecord): Promise<CacheEntry> {
    const stored = await this.catalogs.find(connection.tenantId, connection.id);
    if (stored) {
      const parsed = ZCatalogSnapshot.safeParse(stored.snapshot);
      if (parsed.success) {
        const entry = this.entryOf(connection, parsed.data, stored.introspectedAt);
        this.cache.set(connection.id, entry);
        return entry;
      }
      this.logger.warn(`connection ${connection.id}: stored catalog is in an old format; introspecting again`);
    }
    return this.introspect(connection);
  }

  private async introspect(connection: ConnectionRecord): Promise<CacheEntry> {
    const { pool } = await this.pools.poolFor(connection.tenantId, connection.id);
    let snapshot: TCatalogSnapshot;
    try {
      snapshot = await this.introspection.read(pool);
    } catch (error) {
      throw (
        customerDatabaseError(error, connection) ??
        serviceUnavailable(
          `Reading the catalog of "${connection.name}" failed: ${classifyConnectionError(error, settingsOf(connection)).message}`,
        )
      );
    }
    const introspectedAt = new Date();
    try {
      await this.transactions.run(async (tx) => {
        await this.catalogs.save(connection.tenantId, connection.id, snapshot, introspectedAt, tx);
        await this.connections.setIntrospectedAt(connection.tenantId, connection.id, introspectedAt, tx);
      });
    } catch (error) {
      // The connection was deleted meanwhile.
      if (isPgError(unwrapQueryError(error), PgErrorCode.foreignKeyViolation)) throw notFound('Connection not found');
      throw error;
    }
    // Tell the other instances first (this drops our own entry too), then cache the new one.
    await this.events.changed({ connectionId: connection.id, kind: 'catalog' });
    const entry = this.entryOf(connection, snapshot, introspectedAt);
    this.cache.set(connection.id, entry);
    this.logger.log(`connection ${connection.id}: introspected ${snapshot.tables.length} tables`);
    return entry;
  }

  private entryOf(connection: ConnectionRecord, snapshot: TCatalogSnapshot, introspectedAt: Date): CacheEntry {
    return {
      tenantId: connection.tenantId,
      snapshot,
      byKey: new Map(snapshot.tables.map((table) => [tableKey(table.schema, table.name), table])),
      introspectedAt,
    };
  }
}

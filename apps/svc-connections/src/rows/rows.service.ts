import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import {
  type TCountRowsRequest,
  type TDeleteRowsRequest,
  type TInsertRowRequest,
  type TRowCount,
  type TRowResponse,
  type TRowsPage,
  type TRowsQueryRequest,
  type TUpdateRowRequest,
  ZCountRowsResponse,
  ZDeleteRowsResponse,
  ZRowConflictDetails,
  ZRowResponse,
  ZRowsPage,
} from '@elasticdash/contracts/data/rows';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, forbidden } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import type pg from 'pg';
import type { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { type ConnectionRecord, CustomerPools, customerDatabaseError } from '../connections/customer-pools.js';
import { CONNECTIONS_ENV, type TConnectionsEnv } from '../env.js';
import { invalid } from './invalid.js';
import { decodeCursor, encodeCursor } from './keyset.js';
import { keyText } from './pg-text.js';
import { readablePgError } from './pg-errors.js';
import { RowsRepository } from './rows.repository.js';
import {
  type ColumnValue,
  columnLookup,
  countStatement,
  deleteStatement,
  explainStatement,
  hasConditions,
  insertStatement,
  type LabelSpec,
  lockRowStatement,
  pageStatement,
  planView,
  toRow,
  updateStatement,
  type ViewPlan,
} from './statements.js';
import { type Bindable, coerceForWrite, coerceValue } from './values.js';

/** Below this many rows (pg statistics), counting exactly is cheap: do it even for estimates. */
export const SMALL_TABLE_ROWS = 50_000;
/** Budget of that cheap exact count; past it, the estimate is answered. */
const SMALL_COUNT_TIMEOUT_MS = 1_000;

/** Foreign-key columns among `columns` whose referenced row has a label other than its key. */
export function labelSpecs(columns: readonly TCatalogColumn[]): LabelSpec[] {
  return columns.flatMap((column) =>
    column.foreignKey && column.foreignKey.labelColumn !== column.foreignKey.column
      ? [{ column, ref: column.foreignKey }]
      : [],
  );
}

interface Target {
  table: TCatalogTable;
  pool: pg.Pool;
  connection: ConnectionRecord;
}

@Injectable()
export class RowsService {
  private readonly logger = new Logger(RowsService.name);

  constructor(
    private readonly pools: CustomerPools,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly repository: RowsRepository,
    @Inject(CONNECTIONS_ENV) private readonly env: TConnectionsEnv,
  ) {}

  /** The table as this user may see it, and the pool of its connection (both 404 when foreign/hidden). */
  async target(ctx: TTenantContext, connectionId: string, schema: string, table: string): Promise<Target> {
    const [catalogTable, { pool, connection }] = await Promise.all([
      this.catalog.tableFor(ctx, connectionId, schema, table),
      this.pools.poolFor(ctx.tenantId, connectionId),
    ]);
    return { table: catalogTable, pool, connection };
  }

  /** A customer-database error as a readable 4xx/503, or the error itself (→ 500, logged). */
  readable(error: unknown, connection: ConnectionRecord, columns?: readonly string[]): unknown {
    return customerDatabaseError(error, connection) ?? readablePgError(error, { columns }) ?? error;
  }

  async query(ctx: TTenantContext, connectionId: string, request: TRowsQueryRequest): Promise<TRowsPage> {
    const started = performance.now();
    const { table, pool, connection } = await this.target(ctx, connectionId, request.schema, request.table);
    const plan = planView(table, request);
    let after: (string | null)[] | null = null;
    if (request.after) {
      if (!plan.ordering.pageable) {
        throw invalid(
          'after',
          'this table has no primary key: only its first page can be shown (sort or filter to narrow it)',
        );
      }
      after = decodeCursor(request.after, plan.hash, plan.ordering.keys.length);
    }
    const labels = request.withLabels ? labelSpecs(plan.columns) : [];
    const statement = pageStatement(plan, { after, limit: request.limit, labels });
    // The count runs on a second pooled connection at the same time, so it never delays the page.
    const counting = request.count === 'none' ? Promise.resolve(null) : this.countSafely(pool, plan, request.count);
    let raw;
    try {
      raw = await this.repository.rows(pool, statement);
    } catch (error) {
      throw this.readable(error, connection);
    }
    const count = await counting;
    const hasMore = raw.length > request.limit;
    const pageRows = hasMore ? raw.slice(0, request.limit) : raw;
    const last = pageRows[pageRows.length - 1];
    const nextCursor =
      hasMore && last && plan.ordering.pageable
        ? encodeCursor(
            plan.hash,
            statement.keyPositions.map((position) => last[position] ?? null),
          )
        : null;
    return respond(ZRowsPage, {
      columns: statement.layout.returned,
      rows: pageRows.map((row) => toRow(statement.layout, row)),
      nextCursor,
      count,
      elapsedMs: Math.round((performance.now() - started) * 100) / 100,
    });
  }

  async count(
    ctx: TTenantContext,
    connectionId: string,
    request: TCountRowsRequest,
  ): Promise<z.infer<typeof ZCountRowsResponse>> {
    const { table, pool, connection } = await this.target(ctx, connectionId, request.schema, request.table);
    const plan = planView(table, { ...request, sort: [] });
    try {
      return respond(ZCountRowsResponse, { count: await this.countRows(pool, plan, request.mode) });
    } catch (error) {
      throw this.readable(error, connection);
    }
  }

  /** A failed count must not fail the page: it is logged and answered as null. */
  private async countSafely(pool: pg.Pool, plan: ViewPlan, mode: 'estimate' | 'exact'): Promise<TRowCount | null> {
    try {
      return await this.countRows(pool, plan, mode);
    } catch (error) {
      this.logger.warn(`row count failed: ${(error as Error).message}`);
      return null;
    }
  }

  private async countRows(pool: pg.Pool, plan: ViewPlan, mode: 'estimate' | 'exact'): Promise<TRowCount> {
    if (mode === 'estimate') return this.estimate(pool, plan, true);
    const exact = await this.repository.countWithin(pool, countStatement(plan), this.env.EXACT_COUNT_TIMEOUT_MS);
    if (exact !== null) return { value: exact, exact: true };
    return { ...(await this.estimate(pool, plan, false)), timedOut: true };
  }

  /**
   * Statistics first: `pg_class.reltuples` without conditions, the planner's estimate with them.
   * Small tables (< 50,000 rows) are counted exactly, since that is cheap.
   */
  private async estimate(pool: pg.Pool, plan: ViewPlan, allowExact: boolean): Promise<TRowCount> {
    const reltuples = await this.repository.reltuples(pool, plan.table.schema, plan.table.name);
    const exactly = async (): Promise<TRowCount | null> => {
      if (!allowExact) return null;
      const value = await this.repository.countWithin(pool, countStatement(plan), SMALL_COUNT_TIMEOUT_MS);
      return value === null ? null : { value, exact: true };
    };
    if (reltuples !== null && reltuples < SMALL_TABLE_ROWS) {
      const counted = await exactly();
      if (counted) return counted;
    }
    if (reltuples !== null && !hasConditions(plan)) return { value: Math.round(reltuples), exact: false };
    const planned = await this.repository.plannedRows(pool, explainStatement(plan));
    if (reltuples === null && planned < SMALL_TABLE_ROWS) {
      const counted = await exactly();
      if (counted) return counted;
    }
    return { value: planned, exact: false };
  }

  // ── writes ──────────────────────────────────────────────────────────────────────────────

  /** The table and pool for a write, after the connection, table and role checks (403s). */
  private async writeTarget(ctx: TTenantContext, connectionId: string, schema: string, name: string): Promise<Target> {
    const target = await this.target(ctx, connectionId, schema, name);
    if (target.connection.readOnly) throw forbidden(`The connection "${target.connection.name}" is read-only`);
    const { table } = target;
    if (table.primaryKey.length === 0) throw forbidden(`${table.name} has no primary key, so its rows are read-only`);
    if (table.type !== 'table' && table.type !== 'partitioned_table') {
      throw forbidden(`${table.name} is a ${table.type.replace('_', ' ')}: its rows are read-only`);
    }
    if (table.readOnly) throw forbidden(`${table.name} is read-only for you`);
    return target;
  }

  private writableColumn(table: TCatalogTable, name: string, path: string): TCatalogColumn {
    const column = columnLookup(table)(name, path);
    if (column.isGenerated) throw forbidden(`${column.name} is computed by the database and cannot be written`);
    if (column.readOnly) throw forbidden(`${column.name} is read-only`);
    return column;
  }

  /** Validates a primary key object: exactly the key columns, no NULLs. */
  private keyOf(table: TCatalogTable, key: Record<string, unknown>, path: string): ColumnValue[] {
    const lookup = columnLookup(table);
    for (const name of Object.keys(key)) {
      if (!table.primaryKey.includes(name))
        throw invalid(`${path}.${name}`, `${name} is not a primary key column of ${table.name}`);
    }
    return table.primaryKey.map((name) => {
      const column = lookup(name, `${path}.${name}`);
      const value = coerceValue(column, key[name], `${path}.${name}`);
      if (value === null) throw invalid(`${path}.${name}`, 'the primary key value is missing');
      return { column, value };
    });
  }

  private entries(
    table: TCatalogTable,
    values: Record<string, unknown>,
    path: string,
    writable: boolean,
  ): ColumnValue[] {
    const lookup = columnLookup(table);
    return Object.entries(values).map(([name, value]) => {
      if (!writable) {
        const column = lookup(name, `${path}.${name}`);
        return { column, value: coerceValue(column, value, `${path}.${name}`) };
      }
      const column = this.writableColumn(table, name, `${path}.${name}`);
      return { column, value: coerceForWrite(column, value, `${path}.${name}`) };
    });
  }

  private auditKey(key: readonly ColumnValue[]): Record<string, string> {
    return Object.fromEntries(key.map(({ column, value }) => [column.name, keyText(value)]));
  }

  private async record(ctx: TTenantContext, entry: Parameters<AuditService['record']>[1]): Promise<void> {
    try {
      await this.audit.record(ctx, entry);
    } catch (error) {
      // The customer's write is committed; a lost audit line is an incident, not a failed write.
      this.logger.error(`audit record failed after a committed ${entry.action}: ${(error as Error).message}`);
    }
  }

  async update(ctx: TTenantContext, connectionId: string, request: TUpdateRowRequest): Promise<TRowResponse> {
    const { table, pool, connection } = await this.writeTarget(ctx, connectionId, request.schema, request.table);
    const key = this.keyOf(table, request.key, 'key');
    const changes = this.entries(table, request.changes, 'changes', true);
    const expected = this.entries(table, request.expected, 'expected', false);
    const labels = labelSpecs(table.columns.filter((column) => !column.hidden));
    const lock = lockRowStatement(table, key, expected, labels);
    const update = updateStatement(table, key, changes, labels);
    const changed = changes.map(({ column }) => column.name);
    let outcome;
    try {
      outcome = await this.repository.update(pool, lock, update);
    } catch (error) {
      throw this.readable(error, connection, changed);
    }
    if (outcome.kind === 'missing') {
      throw conflict(
        'This row no longer exists: someone deleted it or changed its key',
        respond(ZRowConflictDetails, { current: null, conflictingColumns: [] }),
      );
    }
    if (outcome.kind === 'conflict') {
      throw conflict(
        `Someone changed this row since you loaded it (${outcome.conflicting.join(', ')})`,
        respond(ZRowConflictDetails, {
          current: toRow(lock.layout, outcome.current),
          conflictingColumns: outcome.conflicting,
        }),
      );
    }
    const row = toRow(update.layout, outcome.row);
    await this.record(ctx, {
      connectionId,
      schema: table.schema,
      table: table.name,
      action: 'update',
      primaryKeys: [this.auditKey(key)],
      columns: changed,
    });
    return respond(ZRowResponse, { row });
  }

  async insert(ctx: TTenantContext, connectionId: string, request: TInsertRowRequest): Promise<TRowResponse> {
    const { table, pool, connection } = await this.writeTarget(ctx, connectionId, request.schema, request.table);
    const values = this.entries(table, request.values, 'values', true);
    const labels = labelSpecs(table.columns.filter((column) => !column.hidden));
    const statement = insertStatement(table, values, labels);
    const written = values.map(({ column }) => column.name);
    let raw;
    try {
      raw = await this.repository.insert(pool, statement);
    } catch (error) {
      throw this.readable(error, connection, written);
    }
    const row = toRow(statement.layout, raw);
    await this.record(ctx, {
      connectionId,
      schema: table.schema,
      table: table.name,
      action: 'insert',
      primaryKeys: row.key
        ? [Object.fromEntries(Object.entries(row.key).map(([name, value]) => [name, keyText(value)]))]
        : [],
      columns: written,
    });
    return respond(ZRowResponse, { row });
  }

  async delete(
    ctx: TTenantContext,
    connectionId: string,
    request: TDeleteRowsRequest,
  ): Promise<z.infer<typeof ZDeleteRowsResponse>> {
    const { table, pool, connection } = await this.writeTarget(ctx, connectionId, request.schema, request.table);
    const keys = request.keys.map((key, index) => this.keyOf(table, key, `keys.${index}`));
    const keyColumns = keys[0]?.map((item) => item.column) ?? [];
    const statement = deleteStatement(
      table,
      keyColumns,
      keys.map((key) => key.map((item) => item.value as Bindable)),
    );
    let deleted: number;
    try {
      deleted = await this.repository.delete(pool, statement);
    } catch (error) {
      throw this.readable(error, connection);
    }
    if (deleted > 0) {
      await this.record(ctx, {
        connectionId,
        schema: table.schema,
        table: table.name,
        action: 'delete',
        primaryKeys: keys.map((key) => this.auditKey(key)),
        columns: [],
      });
    }
    return respond(ZDeleteRowsResponse, { deleted });
  }
}

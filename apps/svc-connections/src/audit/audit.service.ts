import { Injectable } from '@nestjs/common';
import { type TListAuditQuery, type TListAuditResponse, ZListAuditResponse } from '@elasticdash/contracts/data/audit';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { badRequest } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { CustomerPools } from '../connections/customer-pools.js';
import { decodeAuditCursor, encodeAuditCursor, primaryKeyText } from './audit-cursor.js';
import { AuditRepository } from './audit.repository.js';

/** One write to a customer table, as the rows engine reports it after commit. */
export interface AuditRecordInput {
  connectionId: string;
  schema: string;
  table: string;
  action: 'insert' | 'update' | 'delete';
  /** Primary keys of the rows written (column → value); values are stored as text. */
  primaryKeys: Record<string, unknown>[];
  /** Columns written (insert/update); empty for deletes. */
  columns: string[];
}

/** The audit log: who wrote which rows and columns of which table, when. Never the values written. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly pools: CustomerPools,
  ) {}

  /** Records a write by `ctx`'s user (call after the write committed). */
  async record(ctx: TTenantContext, input: AuditRecordInput): Promise<void> {
    await this.audit.insert({
      tenantId: ctx.tenantId,
      connectionId: input.connectionId,
      userId: ctx.userId,
      userEmail: ctx.email,
      schema: input.schema,
      table: input.table,
      action: input.action,
      primaryKeys: input.primaryKeys.map((key) =>
        Object.fromEntries(Object.entries(key).map(([column, value]) => [column, primaryKeyText(value)])),
      ),
      columns: input.columns,
      requestId: ctx.requestId,
    });
  }

  async list(ctx: TTenantContext, connectionId: string, query: TListAuditQuery): Promise<TListAuditResponse> {
    await this.pools.connectionFor(ctx.tenantId, connectionId);
    let before: number | null = null;
    if (query.after !== undefined) {
      before = decodeAuditCursor(query.after);
      if (before === null) throw badRequest('The audit cursor is not valid; start from the first page');
    }
    const rows = await this.audit.list(ctx.tenantId, connectionId, before, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return respond(ZListAuditResponse, {
      entries: page.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        userId: row.userId,
        userEmail: row.userEmail,
        connectionId: row.connectionId,
        schema: row.schema,
        table: row.table,
        action: row.action,
        primaryKeys: row.primaryKeys,
        columns: row.columns,
        requestId: row.requestId,
      })),
      nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last.seq) : null,
    });
  }
}

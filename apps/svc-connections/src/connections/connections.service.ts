import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type TConnectionResponse,
  type TConnectionSettings,
  type TCreateConnectionRequest,
  type TListConnectionsResponse,
  type TTestConnectionRequest,
  type TTestConnectionResponse,
  type TUpdateConnectionRequest,
  ZConnectionResponse,
  ZListConnectionsResponse,
  ZTestConnectionResponse,
} from '@elasticdash/contracts/data/connection';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { badRequest, conflict, notFound } from '@elasticdash/service-kit/errors';
import { unwrapQueryError } from '@elasticdash/service-kit/exception-filter';
import { isPgError, PgErrorCode } from '@elasticdash/db/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import { secretFailure } from '../secrets/secret-errors.js';
import { SECRET_STORE, type SecretStore } from '../secrets/secret-store.js';
import { ConnectionEvents } from './connection-events.js';
import { settingsOf, toConnection, toRecord } from './connection-record.js';
import { ConnectionTester } from './connection-tester.js';
import { type ConnectionPatch, type ConnectionRow, ConnectionsRepository } from './connections.repository.js';

function sameSettings(a: TConnectionSettings, b: TConnectionSettings): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.database === b.database &&
    a.user === b.user &&
    a.sslMode === b.sslMode &&
    (a.caCert ?? null) === (b.caCert ?? null)
  );
}

/** The catalog no longer applies: another server, database or user (other privileges). */
function sameDatabase(a: TConnectionSettings, b: TConnectionSettings): boolean {
  return a.host === b.host && a.port === b.port && a.database === b.database && a.user === b.user;
}

function refused(result: TTestConnectionResponse): Error {
  return result.ok ? new Error('unreachable') : badRequest(result.message, { failure: result.failure });
}

@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly connections: ConnectionsRepository,
    private readonly catalogs: CatalogRepository,
    private readonly tester: ConnectionTester,
    private readonly events: ConnectionEvents,
    @Inject(SECRET_STORE) private readonly secrets: SecretStore,
  ) {}

  async list(ctx: TTenantContext): Promise<TListConnectionsResponse> {
    const rows = await this.connections.listForTenant(ctx.tenantId);
    return respond(ZListConnectionsResponse, { connections: rows.map(toConnection) });
  }

  async get(ctx: TTenantContext, id: string): Promise<TConnectionResponse> {
    return respond(ZConnectionResponse, { connection: toConnection(await this.require(ctx, id)) });
  }

  /** Tests the settings first; a connection that does not connect is not saved (400 with the reason). */
  async create(ctx: TTenantContext, body: TCreateConnectionRequest): Promise<TConnectionResponse> {
    const result = await this.tester.test(body.settings, body.password);
    if (!result.ok) throw refused(result);
    const id = randomUUID();
    const secretRef = await this.secrets
      .put({ tenantId: ctx.tenantId, connectionId: id, value: body.password })
      .catch((error: unknown) => {
        throw secretFailure(error);
      });
    let row: ConnectionRow;
    try {
      row = await this.connections.insert({
        id,
        tenantId: ctx.tenantId,
        name: body.name,
        host: body.settings.host,
        port: body.settings.port,
        database: body.settings.database,
        username: body.settings.user,
        sslMode: body.settings.sslMode,
        caCert: body.settings.caCert,
        readOnly: body.readOnly,
        secretRef,
        createdBy: ctx.userId,
      });
    } catch (error) {
      await this.secrets.delete(secretRef).catch(() => undefined);
      throw this.mapWriteError(error, body.name);
    }
    this.logger.log(`connection ${id} created in tenant ${ctx.tenantId}`);
    return respond(ZConnectionResponse, { connection: toConnection(row) });
  }

  /**
   * Edits a connection. New settings or a new password are tested first (with the stored
   * password when none is given); the pool is rebuilt on next use, and the catalog is
   * dropped when it now points at another database.
   */
  async update(ctx: TTenantContext, id: string, body: TUpdateConnectionRequest): Promise<TConnectionResponse> {
    const existing = await this.require(ctx, id);
    const before = settingsOf(toRecord(existing));
    const settings = body.settings ?? before;
    const settingsChanged = !sameSettings(settings, before);
    if (settingsChanged || body.password !== undefined) {
      const password = body.password ?? (await this.passwordOf(existing));
      const result = await this.tester.test(settings, password);
      if (!result.ok) throw refused(result);
    }
    const databaseChanged = !sameDatabase(settings, before);
    const patch: ConnectionPatch = {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.readOnly === undefined ? {} : { readOnly: body.readOnly }),
      host: settings.host,
      port: settings.port,
      database: settings.database,
      username: settings.user,
      sslMode: settings.sslMode,
      caCert: settings.caCert,
      ...(databaseChanged ? { introspectedAt: null } : {}),
    };
    let row: ConnectionRow | undefined;
    try {
      row = await this.transactions.run(async (tx) => {
        const updated = await this.connections.update(ctx.tenantId, id, patch, tx);
        if (!updated) return undefined;
        if (databaseChanged) await this.catalogs.remove(ctx.tenantId, id, tx);
        // Last, so a failure rolls the row back; the secret is the only thing outside the transaction.
        if (body.password !== undefined) {
          await this.secrets.rotate(existing.secretRef, body.password).catch((error: unknown) => {
            throw secretFailure(error);
          });
        }
        return updated;
      });
    } catch (error) {
      throw this.mapWriteError(error, body.name ?? existing.name);
    }
    if (!row) throw notFound('Connection not found');
    await this.events.changed({ connectionId: id, kind: 'updated' });
    return respond(ZConnectionResponse, { connection: toConnection(row) });
  }

  /** Deletes the connection, its rules and catalog, closes its pool and deletes its secret. Audit entries stay. */
  async delete(ctx: TTenantContext, id: string): Promise<void> {
    const row = await this.connections.delete(ctx.tenantId, id);
    if (!row) throw notFound('Connection not found');
    await this.events.changed({ connectionId: id, kind: 'deleted' });
    try {
      await this.secrets.delete(row.secretRef);
    } catch (error) {
      // The connection is gone; an orphaned secret is logged for the operator, not shown to the user.
      this.logger.warn(`connection ${id}: deleting its secret failed: ${(error as Error).message}`);
    }
    this.logger.log(`connection ${id} deleted in tenant ${ctx.tenantId}`);
  }

  async testSettings(body: TTestConnectionRequest): Promise<TTestConnectionResponse> {
    return respond(ZTestConnectionResponse, await this.tester.test(body.settings, body.password));
  }

  async testSaved(ctx: TTenantContext, id: string): Promise<TTestConnectionResponse> {
    const row = await this.require(ctx, id);
    const result = await this.tester.test(settingsOf(toRecord(row)), await this.passwordOf(row));
    return respond(ZTestConnectionResponse, result);
  }

  private async require(ctx: TTenantContext, id: string): Promise<ConnectionRow> {
    const row = await this.connections.findForTenant(ctx.tenantId, id);
    if (!row) throw notFound('Connection not found');
    return row;
  }

  private async passwordOf(row: ConnectionRow): Promise<string> {
    try {
      return await this.secrets.get(row.secretRef);
    } catch (error) {
      throw secretFailure(error);
    }
  }

  private mapWriteError(error: unknown, name: string): unknown {
    if (isPgError(unwrapQueryError(error), PgErrorCode.uniqueViolation)) {
      return conflict(`A connection named "${name}" already exists in this workspace`);
    }
    return error;
  }
}

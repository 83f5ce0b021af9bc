import { HttpStatus, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode } from '@elasticdash/contracts/platform/errors';
import { AppError, notFound } from '@elasticdash/service-kit/errors';
import pg from 'pg';
import { CONNECTIONS_ENV, type TConnectionsEnv } from '../env.js';
import { secretFailure } from '../secrets/secret-errors.js';
import { SECRET_STORE, type SecretStore } from '../secrets/secret-store.js';
import { classifyConnectionError } from './connection-errors.js';
import { ConnectionEvents } from './connection-events.js';
import { type ConnectionRecord, settingsOf, toRecord } from './connection-record.js';
import { customerClientConfig } from './connection-settings.js';
import { ConnectionsRepository } from './connections.repository.js';
import { customerTypes } from './customer-types.js';

export type { ConnectionRecord } from './connection-record.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDLE_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;

interface Entry {
  record: ConnectionRecord;
  secretRef: string;
  pool?: Promise<pg.Pool>;
  /** The `generation` the entry was last checked against the database in. */
  generation: number;
}

/**
 * Failures that mean "the customer's database cannot be reached or refuses us" (as opposed to
 * an error of one query): a 503 naming the connection and what to check. Returns undefined
 * for anything else, which the caller maps itself.
 */
export function customerDatabaseError(error: unknown, connection: ConnectionRecord): AppError | undefined {
  const failure = classifyConnectionError(error, settingsOf(connection));
  const code = (error as { code?: unknown } | null)?.code;
  const isQueryError = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|28|3D|53|57P)/.test(code);
  if (isQueryError || failure.failure === 'other') return undefined;
  return new AppError(
    HttpStatus.SERVICE_UNAVAILABLE,
    ErrorCode.unavailable,
    `The database of connection "${connection.name}" cannot be used: ${failure.message}`,
    { failure: failure.failure },
  );
}

/**
 * One bounded node-postgres pool per customer connection, created on first use with the
 * password read from the SecretStore (kept only inside the pool's password callback),
 * dropped when the connection is edited (rebuilt on next use) or deleted, and closed on
 * shutdown. Every lookup is scoped by tenant: another tenant's connection id is a 404.
 */
@Injectable()
export class CustomerPools implements OnApplicationShutdown {
  private readonly logger = new Logger(CustomerPools.name);
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every eviction, so a lookup that raced with one does not cache stale data. */
  private epoch = 0;
  /** Bumped when change events may have been missed: every entry is checked again before use. */
  private generation = 0;

  constructor(
    private readonly repository: ConnectionsRepository,
    private readonly events: ConnectionEvents,
    @Inject(SECRET_STORE) private readonly secrets: SecretStore,
    @Inject(CONNECTIONS_ENV) private readonly env: TConnectionsEnv,
  ) {
    events.onChange((change) => {
      if (!change) this.generation += 1;
      else if (change.kind === 'updated' || change.kind === 'deleted') this.evict(change.connectionId);
    });
  }

  /** The connection's settings and flags (no password); 404 unless it belongs to `tenantId`. */
  async connectionFor(tenantId: string, connectionId: string): Promise<ConnectionRecord> {
    return (await this.entryFor(tenantId, connectionId)).record;
  }

  /** The pool of a connection of `tenantId`; throws notFound('Connection not found') otherwise. */
  async poolFor(tenantId: string, connectionId: string): Promise<{ pool: pg.Pool; connection: ConnectionRecord }> {
    const entry = await this.entryFor(tenantId, connectionId);
    const created = (entry.pool ??= this.createPool(entry));
    try {
      return { pool: await created, connection: entry.record };
    } catch (error) {
      if (entry.pool === created) entry.pool = undefined;
      throw secretFailure(error);
    }
  }

  /** Closes the connection's pool (in-flight queries finish first); the next use builds a new one. */
  evict(connectionId: string): void {
    this.epoch += 1;
    const entry = this.entries.get(connectionId);
    this.entries.delete(connectionId);
    if (entry?.pool) this.closePool(entry.pool);
  }

  evictAll(): void {
    for (const id of [...this.entries.keys()]) this.evict(id);
  }

  /** How many pools are open (for tests and diagnostics). */
  get openPools(): number {
    return [...this.entries.values()].filter((entry) => entry.pool).length;
  }

  async onApplicationShutdown(): Promise<void> {
    const pools = [...this.entries.values()].flatMap((entry) => (entry.pool ? [entry.pool] : []));
    this.entries.clear();
    await Promise.all(pools.map((pool) => pool.then((p) => p.end()).catch(() => undefined)));
  }

  private async entryFor(tenantId: string, connectionId: string): Promise<Entry> {
    if (!UUID.test(connectionId)) throw notFound('Connection not found');
    const cached = this.entries.get(connectionId);
    if (cached && this.events.cacheTrusted && cached.generation === this.generation) {
      if (cached.record.tenantId !== tenantId) throw notFound('Connection not found');
      return cached;
    }
    for (let attempt = 1; ; attempt += 1) {
      const epoch = this.epoch;
      const generation = this.generation;
      const row = await this.repository.findForTenant(tenantId, connectionId);
      // An eviction while we were reading may be about this very row: read again.
      if (epoch !== this.epoch && attempt < 3) continue;
      const current = this.entries.get(connectionId);
      if (!row) {
        if (current && current.record.tenantId === tenantId) this.evict(connectionId);
        throw notFound('Connection not found');
      }
      if (
        current &&
        current.record.updatedAt.getTime() === row.updatedAt.getTime() &&
        current.secretRef === row.secretRef
      ) {
        // Unchanged: keep the pool.
        current.record = toRecord(row);
        current.generation = generation;
        return current;
      }
      if (current) this.evict(connectionId);
      const entry: Entry = { record: toRecord(row), secretRef: row.secretRef, generation };
      this.entries.set(connectionId, entry);
      return entry;
    }
  }

  private async createPool(entry: Entry): Promise<pg.Pool> {
    const password = await this.secrets.get(entry.secretRef);
    const pool = new pg.Pool({
      ...customerClientConfig(settingsOf(entry.record), () => Promise.resolve(password)),
      max: this.env.CUSTOMER_POOL_MAX,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: this.env.CUSTOMER_STATEMENT_TIMEOUT_MS,
      types: customerTypes,
    });
    // An idle client losing its server emits here; the pool discards it by itself.
    pool.on('error', (error) => this.logger.warn(`connection ${entry.record.id}: idle client error: ${error.message}`));
    return pool;
  }

  private closePool(pool: Promise<pg.Pool>): void {
    void pool.then((p) => p.end()).catch(() => undefined);
  }
}

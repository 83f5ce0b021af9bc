import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { RAW_TEXT_TYPES } from './pg-text.js';
import type { LockStatement, Statement, WriteStatement } from './statements.js';

export type RawRow = (string | null)[];

/** Anything that runs a query: a pool or a checked-out client. */
type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * Every statement goes out with the extended protocol (one statement per message, never a
 * batch), positional rows and Postgres's own text for every value.
 */
export function arrayQuery(statement: Statement): pg.QueryArrayConfig {
  return Object.assign(
    { text: statement.text, values: statement.values, rowMode: 'array' as const, types: RAW_TEXT_TYPES },
    { queryMode: 'extended' },
  );
}

async function run(executor: Queryable, statement: Statement): Promise<pg.QueryArrayResult<RawRow>> {
  return (executor as pg.Pool).query<RawRow>(arrayQuery(statement));
}

const QUERY_CANCELED = '57014';
function isCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === QUERY_CANCELED;
}

export type UpdateOutcome =
  { kind: 'missing' } | { kind: 'conflict'; current: RawRow; conflicting: string[] } | { kind: 'updated'; row: RawRow };

/** SQL against customer databases (the statements are built in statements.ts from the catalog). */
@Injectable()
export class RowsRepository {
  async rows(pool: pg.Pool, statement: Statement): Promise<RawRow[]> {
    return (await run(pool, statement)).rows;
  }

  /** `pg_class.reltuples` of a table or materialized view; null for views or never-analyzed tables. */
  async reltuples(pool: pg.Pool, schema: string, table: string): Promise<number | null> {
    const result = await run(pool, {
      text:
        'SELECT c.reltuples::float8 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace' +
        " WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'm')",
      values: [schema, table],
    });
    const value = Number(result.rows[0]?.[0] ?? Number.NaN);
    return Number.isFinite(value) && value >= 0 ? value : null;
  }

  /** The planner's estimated row count of `EXPLAIN (FORMAT JSON) SELECT 1 FROM … WHERE …`. */
  async plannedRows(pool: pg.Pool, statement: Statement): Promise<number> {
    const result = await run(pool, statement);
    const plan = JSON.parse(result.rows[0]?.[0] ?? '[]') as { Plan?: { 'Plan Rows'?: number } }[];
    return Math.max(0, Math.round(plan[0]?.Plan?.['Plan Rows'] ?? 0));
  }

  /** count(*) under `SET LOCAL statement_timeout`; null when it ran out of time. */
  async countWithin(pool: pg.Pool, statement: Statement, timeoutMs: number): Promise<number | null> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN READ ONLY');
      await run(client, { text: "SELECT set_config('statement_timeout', $1, true)", values: [String(timeoutMs)] });
      try {
        const result = await run(client, statement);
        await client.query('COMMIT');
        return Number(result.rows[0]?.[0] ?? 0);
      } catch (error) {
        await client.query('ROLLBACK');
        if (isCanceled(error)) return null;
        throw error;
      }
    } catch (error) {
      if (!(typeof error === 'object' && error !== null && 'code' in error)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `work` in one transaction on one client; rolls back on any error. */
  async transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Locks the row, compares the expected values in SQL and updates it only when nothing the
   * user saw has changed — all in one transaction.
   */
  update(pool: pg.Pool, lock: LockStatement, update: WriteStatement): Promise<UpdateOutcome> {
    return this.transaction(pool, async (client): Promise<UpdateOutcome> => {
      const locked = (await run(client, lock)).rows[0];
      if (!locked) return { kind: 'missing' };
      const flagsAt = lock.layout.selected.length + lock.layout.labels.length;
      const conflicting = lock.compared.filter((_, index) => locked[flagsAt + index] !== 't');
      if (conflicting.length > 0) return { kind: 'conflict', current: locked, conflicting };
      const row = (await run(client, update)).rows[0];
      return row ? { kind: 'updated', row } : { kind: 'missing' };
    });
  }

  /** A single INSERT … RETURNING (one statement: its own transaction). */
  async insert(pool: pg.Pool, insert: WriteStatement): Promise<RawRow> {
    const row = (await run(pool, insert)).rows[0];
    if (!row) throw new Error('INSERT returned no row');
    return row;
  }

  delete(pool: pg.Pool, statement: Statement): Promise<number> {
    return this.transaction(pool, async (client) => (await run(client, statement)).rowCount ?? 0);
  }
}

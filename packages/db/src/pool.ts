import pg from 'pg';

export interface PoolOptions {
  connectionString: string;
  /** Shown in pg_stat_activity, so an operator can tell which service holds a connection. */
  applicationName: string;
  max?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/**
 * A bounded node-postgres pool. A failed connect answers within `connectionTimeoutMs`
 * instead of hanging, so readiness checks and requests fail fast while Postgres is down and
 * recover on their own once it is back (the pool opens new connections on demand).
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 3_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
  });
  // An idle client losing its server (Postgres restart) emits here; without a listener the
  // process would crash. The pool discards that client by itself.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `select 1` with a deadline; throws when Postgres is unreachable. */
export async function pingPool(pool: pg.Pool, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`postgres did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pool.query('select 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

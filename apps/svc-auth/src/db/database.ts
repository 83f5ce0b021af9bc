import { Global, Module, type Provider } from '@nestjs/common';
import { PG_POOL } from '@elasticdash/service-kit/postgres';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema.js';

/** The drizzle handle over the app's pool; injected into repositories only. */
export const DB = Symbol('AUTH_DB');
export type Db = NodePgDatabase<typeof schema>;

const dbProvider: Provider = {
  provide: DB,
  inject: [PG_POOL],
  useFactory: (pool: pg.Pool): Db => drizzle({ client: pool, schema }),
};

@Global()
@Module({ providers: [dbProvider], exports: [DB] })
export class DatabaseModule {}

/**
 * Awaits a query and rethrows the driver's own error instead of drizzle's wrapper. The wrapper's
 * message embeds every bound parameter (password hashes, emails), which must not reach an error
 * log, and it hides the SQLSTATE / socket codes the shared error filter maps to 409/503.
 */
export async function run<T>(query: PromiseLike<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw error instanceof DrizzleQueryError && error.cause ? error.cause : error;
  }
}

import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { PG_POOL } from '@elasticdash/service-kit/postgres';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema.js';

/** The drizzle handle; injected only into repositories. */
export const DRIZZLE = Symbol('DRIZZLE');
export type Database = NodePgDatabase<typeof schema>;
/** A transaction handle. Services pass it through to repositories without looking inside. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Where a repository runs a statement: the pool, or an open transaction. */
export type Executor = Database | Tx;

/**
 * The unit-of-work boundary for services: several repository calls made with the same `tx`
 * commit or roll back together. Services never build SQL themselves.
 */
@Injectable()
export class Transactions {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}

@Global()
@Module({
  providers: [
    { provide: DRIZZLE, inject: [PG_POOL], useFactory: (pool: pg.Pool): Database => drizzle({ client: pool, schema }) },
    Transactions,
  ],
  exports: [DRIZZLE, Transactions],
})
export class DatabaseModule {}

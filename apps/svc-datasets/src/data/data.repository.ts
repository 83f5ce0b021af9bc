import { Inject, Injectable, Logger } from '@nestjs/common';
import { PG_POOL } from '@elasticdash/service-kit/postgres';
import pg from 'pg';
import { DATASETS_ENV, type TDatasetsEnv } from '../env.js';
import { dataTable } from './sql.js';

export interface Statement {
  text: string;
  values: unknown[];
}

const RAW = (value: string) => value;
/** int8 and numeric stay strings (the mapper decides when a number is safe); dates stay `YYYY-MM-DD`. */
const READ_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 || oid === 1082
      ? RAW
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The error Postgres raises when a statement is cancelled or times out. */
export const QUERY_CANCELED = '57014';
/** A dropped table (the worker swapped a new version in and dropped the old one). */
export const UNDEFINED_TABLE = '42P01';

/**
 * Statements on the per-tenant data tables (`ds_<tenant>.d_<dataset>_v<n>`). Reads run in a
 * read-only transaction with `statement_timeout` = QUERY_TIMEOUT_MS and the UTC time zone;
 * an aborted request cancels its statement on the server.
 */
@Injectable()
export class DataRepository {
  private readonly logger = new Logger('DataRepository');

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(DATASETS_ENV) private readonly env: TDatasetsEnv,
  ) {}

  async read<T extends pg.QueryResultRow>(statement: Statement, signal?: AbortSignal): Promise<T[]> {
    signal?.throwIfAborted();
    const client = await this.pool.connect();
    const pid = (client as unknown as { processID?: number }).processID;
    let running = false;
    const cancel = () => {
      if (!running || pid === undefined) return;
      this.pool.query('select pg_cancel_backend($1)', [pid]).catch((error: unknown) => {
        this.logger.warn(`could not cancel backend ${pid}: ${error instanceof Error ? error.message : error}`);
      });
    };
    signal?.addEventListener('abort', cancel, { once: true });
    let failed: unknown;
    try {
      await client.query(
        `begin read only; set local statement_timeout = ${Math.trunc(this.env.QUERY_TIMEOUT_MS)}; set local time zone 'UTC'`,
      );
      running = true;
      const result = await client.query<T>({ text: statement.text, values: statement.values, types: READ_TYPES });
      running = false;
      await client.query('commit');
      return result.rows;
    } catch (error) {
      running = false;
      failed = error;
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      if (failed === undefined) client.release();
      else {
        // A cancelled or failed statement leaves the transaction aborted: roll back, or discard the connection.
        await client.query('rollback').then(
          () => client.release(),
          (error: unknown) => client.release(error instanceof Error ? error : true),
        );
      }
    }
  }

  /** Drops every version table a dataset may have (live, old, staging) up to `maxVersion`. */
  async dropTables(tenantId: string, datasetId: string, maxVersion: number): Promise<void> {
    if (maxVersion < 1) return;
    const tables = Array.from({ length: maxVersion }, (_, index) => dataTable(tenantId, datasetId, index + 1));
    await this.pool.query(`drop table if exists ${tables.join(', ')}`);
  }
}

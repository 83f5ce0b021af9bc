import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

export interface MigrateOptions {
  /** The Postgres schema the service owns; its migration journal lives there too. */
  schema: string;
  migrationsFolder: string;
}

/**
 * Applies a service's pending drizzle migrations. Serialised with an advisory lock so that
 * several instances starting at once do not race.
 */
export async function runMigrations(pool: pg.Pool, options: MigrateOptions): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [`migrate:${options.schema}`]);
    try {
      await client.query(`create schema if not exists "${options.schema.replaceAll('"', '""')}"`);
      await migrate(drizzle({ client }), {
        migrationsFolder: options.migrationsFolder,
        migrationsSchema: options.schema,
        migrationsTable: '__migrations',
      });
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [`migrate:${options.schema}`]);
    }
  } finally {
    client.release();
  }
}

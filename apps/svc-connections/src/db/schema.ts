import { pgSchema } from 'drizzle-orm/pg-core';

/** svc-connections owns the `connections` Postgres schema; no other service reads it. */
export const connectionsSchema = pgSchema('connections');

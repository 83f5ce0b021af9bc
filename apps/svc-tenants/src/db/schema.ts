import { pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** svc-tenants owns the `tenants` Postgres schema; no other service reads it. */
export const tenantsSchema = pgSchema('tenants');

export const tenants = tenantsSchema.table('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

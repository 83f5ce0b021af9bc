import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** svc-plans owns the `plans` Postgres schema; no other service reads it. */
export const plansSchema = pgSchema('plans');

/**
 * One row per plan: who owns it, its current name (the latest document's `name`, unique per
 * tenant ignoring case) and which revision is the latest. Deployment state lives in svc-deployer
 * (`deployer.deployments`), the one place it is kept current.
 */
export const plans = plansSchema.table(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    name: text('name').notNull(),
    latestRevision: integer('latest_revision').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('plans_tenant_name_key').on(table.tenantId, sql`lower(${table.name})`),
    index('plans_tenant_updated_idx').on(table.tenantId, table.updatedAt),
    check('plans_latest_revision_check', sql`${table.latestRevision} >= 1`),
  ],
);

/**
 * Every save of a plan, immutable: rows are only inserted (and deleted with their plan).
 * `document` is the cs-json exactly as saved (structurally valid; it may carry semantic errors).
 * `created_by_email` is a snapshot of who saved it, so history needs no call to svc-auth.
 */
export const planRevisions = plansSchema.table(
  'plan_revisions',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    document: jsonb('document').$type<TCsJsonDocument>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').notNull(),
    createdByEmail: text('created_by_email').notNull(),
    restoredFrom: integer('restored_from'),
  },
  (table) => [
    primaryKey({ name: 'plan_revisions_pkey', columns: [table.planId, table.revision] }),
    check('plan_revisions_revision_check', sql`${table.revision} >= 1`),
    check(
      'plan_revisions_restored_from_check',
      sql`${table.restoredFrom} is null or (${table.restoredFrom} >= 1 and ${table.restoredFrom} < ${table.revision})`,
    ),
  ],
);

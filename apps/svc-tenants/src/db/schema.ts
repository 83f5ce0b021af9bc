import type { TRole } from '@elasticdash/contracts/platform/roles';
import { sql } from 'drizzle-orm';
import { check, index, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** svc-tenants owns the `tenants` Postgres schema; no other service reads it. */
export const tenantsSchema = pgSchema('tenants');

/** Roles are stored as text with a check (adding a role later is a constraint change, not an enum rewrite). */
const ROLE_CHECK = sql`in ('viewer', 'editor', 'admin', 'owner')`;

export const tenants = tenantsSchema.table('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per (tenant, user). `email`/`name` are a snapshot of the user taken when they joined,
 * so member lists need no call to svc-auth. The primary key (tenant_id, user_id) serves the
 * gateway's membership check on every request.
 */
export const memberships = tenantsSchema.table(
  'memberships',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<TRole>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'memberships_pkey', columns: [table.tenantId, table.userId] }),
    index('memberships_user_id_idx').on(table.userId),
    index('memberships_tenant_email_idx').on(table.tenantId, table.email),
    check('memberships_role_check', sql`${table.role} ${ROLE_CHECK}`),
  ],
);

/**
 * Invitations by email. Only the sha256 of the token is stored; the token itself is shown
 * once to the inviter. At most one open (not accepted, not revoked) invitation per email and
 * tenant: a new one revokes the previous one.
 */
export const invitations = tenantsSchema.table(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role').$type<Exclude<TRole, 'owner'>>().notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('invitations_token_hash_key').on(table.tokenHash),
    uniqueIndex('invitations_open_email_key')
      .on(table.tenantId, table.email)
      .where(sql`${table.acceptedAt} is null and ${table.revokedAt} is null`),
    check('invitations_role_check', sql`${table.role} in ('viewer', 'editor', 'admin')`),
  ],
);

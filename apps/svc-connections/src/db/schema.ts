import type { TColumnRule } from '../rules/rules.types.js';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
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

/** svc-connections owns the `connections` Postgres schema; no other service reads it. */
export const connectionsSchema = pgSchema('connections');

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A customer database the tenant connected. Metadata only: the password is in the secret
 * store and only its reference (`secret_ref`) is kept here.
 */
export const connections = connectionsSchema.table(
  'connections',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    name: text('name').notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    database: text('database').notNull(),
    username: text('username').notNull(),
    sslMode: text('ssl_mode').$type<'disable' | 'require' | 'verify-full'>().notNull(),
    caCert: text('ca_cert'),
    readOnly: boolean('read_only').notNull().default(false),
    secretRef: text('secret_ref').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    introspectedAt: timestamp('introspected_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('connections_tenant_name_key').on(table.tenantId, sql`lower(${table.name})`),
    check('connections_ssl_mode_check', sql`${table.sslMode} in ('disable', 'require', 'verify-full')`),
    check('connections_port_check', sql`${table.port} between 1 and 65535`),
  ],
);

/**
 * Local secret store: envelope encryption. A random data key encrypts the value
 * (AES-256-GCM); the data key is encrypted with the master key `master_key_id`. Both
 * encryptions bind `tenant_id` and `id` as additional authenticated data, so a ciphertext
 * copied to another row or tenant does not decrypt.
 */
export const secrets = connectionsSchema.table(
  'secrets',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    masterKeyId: text('master_key_id').notNull(),
    /** The data key encrypted with the master key (ciphertext, 32 bytes). */
    wrappedKey: bytea('wrapped_key').notNull(),
    wrapIv: bytea('wrap_iv').notNull(),
    wrapTag: bytea('wrap_tag').notNull(),
    /** The value encrypted with the data key. */
    iv: bytea('iv').notNull(),
    ciphertext: bytea('ciphertext').notNull(),
    authTag: bytea('auth_tag').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (table) => [index('secrets_master_key_id_idx').on(table.masterKeyId)],
);

/** The last introspection of a connection's database (so a restart does not introspect again). */
export const catalogs = connectionsSchema.table('catalogs', {
  connectionId: uuid('connection_id')
    .primaryKey()
    .references(() => connections.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull(),
  snapshot: jsonb('snapshot').$type<unknown>().notNull(),
  introspectedAt: timestamp('introspected_at', { withTimezone: true }).notNull(),
});

/** Admin rules per table of a connection: hide the table, make it read-only, hide or lock columns. */
export const tableRules = connectionsSchema.table(
  'table_rules',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    schema: text('schema').notNull(),
    table: text('table').notNull(),
    hidden: boolean('hidden').notNull().default(false),
    readOnly: boolean('read_only').notNull().default(false),
    columns: jsonb('columns').$type<TColumnRule[]>().notNull().default([]),
  },
  (table) => [primaryKey({ name: 'table_rules_pkey', columns: [table.connectionId, table.schema, table.table] })],
);

/**
 * Who wrote what, when: metadata only (primary keys and column names), never the values.
 * Kept when the connection is deleted. `seq` orders entries for keyset paging.
 */
export const auditLog = connectionsSchema.table(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    tenantId: uuid('tenant_id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    userId: uuid('user_id').notNull(),
    userEmail: text('user_email').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    schema: text('schema').notNull(),
    table: text('table').notNull(),
    action: text('action').$type<'insert' | 'update' | 'delete'>().notNull(),
    primaryKeys: jsonb('primary_keys').$type<Record<string, string>[]>().notNull(),
    columns: text('columns').array().notNull(),
    requestId: text('request_id').notNull(),
  },
  (table) => [
    index('audit_log_connection_seq_idx').on(table.tenantId, table.connectionId, table.seq.desc()),
    check('audit_log_action_check', sql`${table.action} in ('insert', 'update', 'delete')`),
  ],
);

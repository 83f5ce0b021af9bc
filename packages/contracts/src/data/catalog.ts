import { z } from 'zod';

/**
 * How the grid treats a column; derived from the Postgres type. Anything not listed is
 * `text`-like for display and edited as text, validated by Postgres.
 */
export const COLUMN_KINDS = [
  'integer',
  'bigint',
  'numeric',
  'float',
  'boolean',
  'text',
  'uuid',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'interval',
  'json',
  'enum',
  'array',
  'bytea',
  'other',
] as const;
export type TColumnKind = (typeof COLUMN_KINDS)[number];

export const ZForeignKeyRef = z.object({
  schema: z.string(),
  table: z.string(),
  column: z.string(),
  /** The referenced table's column shown instead of the raw key (name/title/label/email…, else the key). */
  labelColumn: z.string(),
});

export const ZCatalogColumn = z
  .object({
    name: z.string(),
    /** Postgres type as `format_type` prints it, e.g. `numeric(10,2)`, `character varying(80)[]`. */
    dataType: z.string(),
    kind: z.enum(COLUMN_KINDS),
    /** For arrays: the element kind. */
    elementKind: z.enum(COLUMN_KINDS).nullable(),
    nullable: z.boolean(),
    /** Default expression text, e.g. `nextval('orders_id_seq'::regclass)`, `now()`. */
    defaultExpression: z.string().nullable(),
    isGenerated: z.boolean(),
    primaryKeyPosition: z.number().int().nullable(),
    foreignKey: ZForeignKeyRef.nullable(),
    enumValues: z.array(z.string()).nullable(),
    /** Admin rules (see rules.ts). Hidden columns are omitted for non-admins. */
    hidden: z.boolean(),
    readOnly: z.boolean(),
  })
  .meta({ id: 'CatalogColumn' });
export type TCatalogColumn = z.infer<typeof ZCatalogColumn>;

export const ZCatalogTable = z
  .object({
    schema: z.string(),
    name: z.string(),
    type: z.enum(['table', 'view', 'materialized_view', 'foreign_table', 'partitioned_table']),
    estimatedRows: z.number().int().nullable(),
    /** Primary key columns in key order; empty → the table is read-only in the grid. */
    primaryKey: z.array(z.string()),
    columns: z.array(ZCatalogColumn),
    hidden: z.boolean(),
    /** True when rows cannot be written: a view, no primary key, or the connection/role/rules forbid it. */
    readOnly: z.boolean(),
  })
  .meta({ id: 'CatalogTable' });
export type TCatalogTable = z.infer<typeof ZCatalogTable>;

export const ZCatalogResponse = z
  .object({
    connectionId: z.uuid(),
    introspectedAt: z.iso.datetime(),
    schemas: z.array(z.string()),
    tables: z.array(ZCatalogTable),
  })
  .meta({ id: 'CatalogResponse' });
export type TCatalogResponse = z.infer<typeof ZCatalogResponse>;

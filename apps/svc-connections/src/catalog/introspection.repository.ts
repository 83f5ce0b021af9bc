import { Injectable } from '@nestjs/common';
import type { TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type pg from 'pg';
import { CATALOG_SNAPSHOT_VERSION, type TCatalogSnapshot, type TRawColumn, type TRawTable } from './catalog.types.js';
import { kindOfType, type PgTypeInfo, pickLabelColumn } from './column-kind.js';

/** Schemas that belong to Postgres itself. */
const SYSTEM_SCHEMA_FILTER = `n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

const RELATION_TYPES: Record<string, TCatalogTable['type']> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  p: 'partitioned_table',
  f: 'foreign_table',
};

interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  reltuples: number | null;
  can_write: boolean;
}

interface ColumnRow {
  rel: number;
  name: string;
  data_type: string;
  type_oid: number;
  nullable: boolean;
  default_expr: string | null;
  generated: boolean;
  identity: string;
}

interface ConstraintRow {
  rel: number;
  type: 'p' | 'f';
  cols: number[];
  ref_rel: number;
  ref_cols: number[] | null;
}

interface AttributeNameRow {
  rel: number;
  num: number;
  name: string;
}

/**
 * Reads a customer database's catalog from pg_catalog (read-only queries on the customer's
 * pool; the only SQL svc-connections sends to customer databases outside the rows engine).
 * Partitions are left out (their parent is listed); so are relations the connection's user
 * may not SELECT.
 */
@Injectable()
export class IntrospectionRepository {
  async read(pool: pg.Pool): Promise<TCatalogSnapshot> {
    const client = await pool.connect();
    try {
      // One snapshot of the catalog for every query below.
      await client.query('begin isolation level repeatable read read only');
      const snapshot = await this.readWith(client);
      await client.query('commit');
      return snapshot;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async readWith(client: pg.PoolClient): Promise<TCatalogSnapshot> {
    const versionRow = await client.query<{ num: number; version: string }>(
      `select current_setting('server_version_num')::int as num, current_setting('server_version') as version`,
    );
    const serverVersionNum = versionRow.rows[0]?.num ?? 0;
    const serverVersion = versionRow.rows[0]?.version ?? 'unknown';

    const schemas = await client.query<{ name: string }>(
      `select n.nspname as name from pg_namespace n
       where ${SYSTEM_SCHEMA_FILTER} and has_schema_privilege(n.oid, 'USAGE')
       order by n.nspname`,
    );

    const relations = await client.query<RelationRow>(
      `select c.oid::int8::float8 as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
         case
           when c.relkind = 'p' then (
             select case when count(*) = 0 or bool_and(ch.reltuples < 0) then null else sum(greatest(ch.reltuples, 0)) end
             from pg_inherits i join pg_class ch on ch.oid = i.inhrelid where i.inhparent = c.oid)
           when c.relkind in ('r', 'm') and c.reltuples >= 0 then c.reltuples
           else null
         end::float8 as reltuples,
         (has_table_privilege(c.oid, 'INSERT') or has_table_privilege(c.oid, 'UPDATE')
           or has_table_privilege(c.oid, 'DELETE')) as can_write
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'v', 'm', 'p', 'f') and not c.relispartition
         and ${SYSTEM_SCHEMA_FILTER}
         and has_schema_privilege(n.oid, 'USAGE') and has_table_privilege(c.oid, 'SELECT')
       order by n.nspname, c.relname`,
    );
    const relationOids = relations.rows.map((row) => Number(row.oid));

    const constraints = await client.query<ConstraintRow>(
      `select con.conrelid::int8::float8 as rel, con.contype::text as type, con.conkey::int4[] as cols,
         con.confrelid::int8::float8 as ref_rel, con.confkey::int4[] as ref_cols
       from pg_constraint con
       where con.conrelid = any($1::oid[]) and con.contype in ('p', 'f')
         ${serverVersionNum >= 110000 ? 'and con.conparentid = 0' : ''}
       order by con.conrelid, con.contype, con.conname`,
      [relationOids],
    );

    const columns = await client.query<ColumnRow>(
      `select a.attrelid::int8::float8 as rel, a.attname as name,
         format_type(a.atttypid, a.atttypmod) as data_type, a.atttypid::int8::float8 as type_oid,
         not a.attnotnull as nullable, pg_get_expr(d.adbin, d.adrelid) as default_expr,
         ${serverVersionNum >= 120000 ? "a.attgenerated <> ''" : 'false'} as generated,
         a.attidentity::text as identity
       from pg_attribute a
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
       order by a.attrelid, a.attnum`,
      [relationOids],
    );

    // Names of the key columns of referenced tables we may not list ourselves.
    const referencedOids = [
      ...new Set(constraints.rows.filter((row) => row.type === 'f').map((row) => Number(row.ref_rel))),
    ];
    const attributeNames = await client.query<AttributeNameRow & { schema: string; table: string }>(
      `select a.attrelid::int8::float8 as rel, a.attnum::int4 as num, a.attname as name,
         n.nspname as schema, c.relname as table
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped`,
      [[...new Set([...relationOids, ...referencedOids])]],
    );

    const typeOids = [...new Set(columns.rows.map((row) => Number(row.type_oid)))];
    const types = await client.query<PgTypeInfo>(
      `with recursive wanted(oid) as (
         select unnest($1::oid[])
         union
         select next.oid from wanted
         join pg_type t on t.oid = wanted.oid
         cross join lateral (values (t.typbasetype), (t.typelem)) as next(oid)
         where next.oid <> 0
       )
       select t.oid::int8::float8 as oid, t.typname as name, n.nspname as schema, t.typtype::text as type,
         t.typcategory::text as category, t.typelem::int8::float8 as elem, t.typbasetype::int8::float8 as base
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where t.oid in (select oid from wanted)`,
      [typeOids],
    );
    const typeMap = new Map(
      types.rows.map((row) => [
        Number(row.oid),
        { ...row, oid: Number(row.oid), elem: Number(row.elem), base: Number(row.base) },
      ]),
    );

    const enumOids = types.rows.filter((row) => row.type === 'e').map((row) => Number(row.oid));
    const enums = await client.query<{ type: number; label: string }>(
      `select enumtypid::int8::float8 as type, enumlabel as label from pg_enum
       where enumtypid = any($1::oid[]) order by enumtypid, enumsortorder`,
      [enumOids],
    );
    const enumLabels = new Map<number, string[]>();
    for (const row of enums.rows) {
      const labels = enumLabels.get(Number(row.type)) ?? [];
      labels.push(row.label);
      enumLabels.set(Number(row.type), labels);
    }

    return {
      version: CATALOG_SNAPSHOT_VERSION,
      serverVersion,
      schemas: schemas.rows.map((row) => row.name),
      tables: assemble(relations.rows, columns.rows, constraints.rows, attributeNames.rows, typeMap, enumLabels),
    };
  }
}

/** Builds the tables from the catalog rows (pure). */
export function assemble(
  relations: RelationRow[],
  columnRows: ColumnRow[],
  constraintRows: ConstraintRow[],
  attributeRows: (AttributeNameRow & { schema: string; table: string })[],
  types: ReadonlyMap<number, PgTypeInfo>,
  enumLabels: ReadonlyMap<number, string[]>,
): TRawTable[] {
  const attributes = new Map<number, Map<number, string>>();
  const relationNames = new Map<number, { schema: string; table: string }>();
  for (const row of attributeRows) {
    const rel = Number(row.rel);
    const byNum = attributes.get(rel) ?? new Map<number, string>();
    byNum.set(Number(row.num), row.name);
    attributes.set(rel, byNum);
    relationNames.set(rel, { schema: row.schema, table: row.table });
  }
  const attName = (rel: number, num: number) => attributes.get(rel)?.get(num);

  const columnsByRel = new Map<number, (TRawColumn & { rel: number })[]>();
  for (const row of columnRows) {
    const rel = Number(row.rel);
    const resolved = kindOfType(Number(row.type_oid), types);
    const enumValues = resolved.enumOid === null ? null : (enumLabels.get(resolved.enumOid) ?? []);
    const identity = row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null;
    const list = columnsByRel.get(rel) ?? [];
    list.push({
      rel,
      name: row.name,
      dataType: row.data_type,
      kind: resolved.kind,
      elementKind: resolved.elementKind,
      nullable: row.nullable,
      defaultExpression: row.default_expr ?? (identity ? `generated ${identity} as identity` : null),
      // Generated columns and identity ALWAYS columns cannot be written.
      isGenerated: row.generated || row.identity === 'a',
      primaryKeyPosition: null,
      foreignKey: null,
      enumValues,
    });
    columnsByRel.set(rel, list);
  }

  const tables: TRawTable[] = [];
  for (const relation of relations) {
    const rel = Number(relation.oid);
    const columns = columnsByRel.get(rel) ?? [];
    const own = constraintRows.filter((row) => Number(row.rel) === rel);
    const primary = own.find((row) => row.type === 'p');
    const primaryKey = (primary?.cols ?? []).map((num) => attName(rel, num)).filter((name): name is string => !!name);
    for (const [index, name] of primaryKey.entries()) {
      const column = columns.find((candidate) => candidate.name === name);
      if (column) column.primaryKeyPosition = index + 1;
    }
    for (const fk of own.filter((row) => row.type === 'f' && row.cols.length === 1 && row.ref_cols?.length === 1)) {
      const column = columns.find((candidate) => candidate.name === attName(rel, fk.cols[0] ?? -1));
      const refRel = Number(fk.ref_rel);
      const referenced = attName(refRel, fk.ref_cols?.[0] ?? -1);
      const target = relationNames.get(refRel);
      if (!column || column.foreignKey || !referenced || !target) continue;
      const targetColumns = columnsByRel.get(refRel) ?? [];
      column.foreignKey = {
        schema: target.schema,
        table: target.table,
        column: referenced,
        labelColumn: pickLabelColumn(targetColumns, referenced),
      };
    }
    tables.push({
      schema: relation.schema,
      name: relation.name,
      type: RELATION_TYPES[relation.kind] ?? 'table',
      estimatedRows: relation.reltuples === null ? null : Math.round(Number(relation.reltuples)),
      primaryKey,
      columns: columns.map(({ rel: _rel, ...column }) => column),
      canWrite: relation.can_write,
    });
  }
  return tables;
}

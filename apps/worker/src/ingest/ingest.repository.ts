import type {
  TColumnStats,
  TColumnType,
  TDatasetColumn,
  TDatasetProgress,
  TTimeRollup,
} from '@elasticdash/contracts/datasets/dataset';
import type pg from 'pg';
import { columnKey, quoteIdent, SQL_TYPES, tablePrefix, type DatasetTable } from './table-names.js';

/**
 * Raw SQL against svc-datasets' `datasets` schema (this worker runs that service's jobs) and the
 * per-tenant `ds_*` data schemas. Column names are svc-datasets' own; nothing here renames them.
 */
export interface IngestRow {
  id: string;
  tenantId: string;
  datasetId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  targetVersion: number;
  runs: number;
  objectKey: string;
  sizeBytes: number;
  fileName: string;
}

export interface LiveState {
  version: number;
  rowCount: number | null;
}

type Queryable = pg.Pool | pg.PoolClient;

export class IngestRepository {
  constructor(private readonly pool: pg.Pool) {}

  async findIngest(ingestId: string, tenantId: string): Promise<IngestRow | null> {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      dataset_id: string;
      status: IngestRow['status'];
      target_version: number;
      runs: number;
      object_key: string;
      size_bytes: string;
      file_name: string;
    }>(
      `select i.id, i.tenant_id, i.dataset_id, i.status, i.target_version, i.runs,
              u.object_key, u.size_bytes, u.file_name
         from datasets.ingests i
         join datasets.uploads u on u.id = i.upload_id and u.tenant_id = i.tenant_id
        where i.id = $1 and i.tenant_id = $2`,
      [ingestId, tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      datasetId: row.dataset_id,
      status: row.status,
      targetVersion: row.target_version,
      runs: row.runs,
      objectKey: row.object_key,
      sizeBytes: Number(row.size_bytes),
      fileName: row.file_name,
    };
  }

  /** Starts an attempt: the ingest is running (one more run) and the dataset shows processing. */
  async markRunning(ingest: IngestRow): Promise<void> {
    await this.pool.query(
      `with started as (
         update datasets.ingests
            set status = 'running', runs = runs + 1, started_at = now(), failure_reason = null, finished_at = null
          where id = $1 and tenant_id = $2
       )
       update datasets.datasets d
          set status = 'processing', progress = $4::jsonb, updated_at = now()
        where d.id = $3 and d.tenant_id = $2 and d.version < $5
          and not exists (select 1 from datasets.ingests i where i.dataset_id = d.id and i.target_version > $5)`,
      [ingest.id, ingest.tenantId, ingest.datasetId, JSON.stringify({ rowsDone: 0, percent: 0 }), ingest.targetVersion],
    );
  }

  async saveProgress(ingest: IngestRow, progress: TDatasetProgress): Promise<void> {
    await this.pool.query(
      `with rows as (update datasets.ingests set rows_done = $5 where id = $1 and tenant_id = $2)
       update datasets.datasets set progress = $4::jsonb, updated_at = now()
        where id = $3 and tenant_id = $2 and status = 'processing'`,
      [ingest.id, ingest.tenantId, ingest.datasetId, JSON.stringify(progress), progress.rowsDone],
    );
  }

  /** Final failure: the live data stays as it was; only the status and reason change. */
  async markFailed(ingest: IngestRow, reason: string, rowsDone: number): Promise<LiveState> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `update datasets.ingests set status = 'failed', failure_reason = $3, rows_done = $4, finished_at = now()
          where id = $1 and tenant_id = $2 and status <> 'succeeded'`,
        [ingest.id, ingest.tenantId, reason, rowsDone],
      );
      const { rows } = await client.query<{ version: number; row_count: string | null }>(
        `update datasets.datasets d
            set status = 'failed', failure_reason = $3, progress = null, updated_at = now()
          where d.id = $1 and d.tenant_id = $2 and d.version < $4
            and not exists (select 1 from datasets.ingests i where i.dataset_id = d.id and i.target_version > $4)
        returning d.version, d.row_count`,
        [ingest.datasetId, ingest.tenantId, reason, ingest.targetVersion],
      );
      await client.query('commit');
      const row = rows[0];
      return { version: row?.version ?? 0, rowCount: row?.row_count == null ? null : Number(row.row_count) };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async dropTable(db: Queryable, table: DatasetTable): Promise<void> {
    await db.query(`drop table if exists ${table.qualified}`);
  }

  /**
   * Drops a failed attempt's staging table, unless it is live (a swap whose COMMIT answer was
   * lost still committed): live data is never dropped by a failure path.
   */
  async dropStaging(db: Queryable, ingest: IngestRow, table: DatasetTable): Promise<void> {
    const { rows } = await db.query(
      'select 1 from datasets.datasets where id = $1 and tenant_id = $2 and live_table = $3',
      [ingest.datasetId, ingest.tenantId, table.qualified],
    );
    if (rows.length === 0) await this.dropTable(db, table);
  }

  /**
   * Creates the (empty) staging table; call inside the COPY transaction so COPY can FREEZE.
   * `_row` is an identity column: COPY without it numbers the rows 1..n in file order (one
   * backend, one sequence), COPY with it (framed input) supplies the numbers itself.
   */
  async createStaging(client: pg.PoolClient, table: DatasetTable, types: readonly TColumnType[]): Promise<void> {
    await client.query(`create schema if not exists ${quoteIdent(table.schema)}`);
    await client.query(`drop table if exists ${table.qualified}`);
    const columns = types.map((type, index) => `${columnKey(index)} ${SQL_TYPES[type]}`);
    // A large sequence cache: one nextval per row is the identity's only cost during COPY.
    await client.query(
      `create table ${table.qualified} (_row bigint generated by default as identity (cache 10000), ${columns.join(', ')})`,
    );
  }

  /**
   * The COPY statement. `direct`: the file itself (header skipped by COPY, `_row` from the
   * identity); `framed`: CopyFramer output (row number first, no header).
   */
  copyStatement(
    table: DatasetTable,
    types: readonly TColumnType[],
    delimiter: string,
    mode: { framed: boolean; header: boolean },
  ): string {
    const keys = types.map((_, index) => columnKey(index));
    const typed = keys.filter((_, index) => types[index] !== 'text');
    const delimiterLiteral = delimiter === '\t' ? `E'\\t'` : `'${delimiter}'`;
    const forceNull = typed.length > 0 ? `, force_null (${typed.join(', ')})` : '';
    const target = mode.framed ? ['_row', ...keys] : keys;
    const header = !mode.framed && mode.header ? ', header true' : '';
    return (
      `copy ${table.qualified} (${target.join(', ')}) from stdin ` +
      `with (format csv, delimiter ${delimiterLiteral}${header}, freeze${forceNull})`
    );
  }

  /** The unique index behind the primary key; built while the stats scans run (it does not block them). */
  async createRowIndex(client: pg.PoolClient, table: DatasetTable): Promise<void> {
    await client.query(`create unique index ${quoteIdent(`${table.table}_pkey`)} on ${table.qualified} (_row)`);
  }

  /** Turns the index into the primary key (instant; needs the stats transaction to be over). */
  async attachPrimaryKey(client: pg.PoolClient, table: DatasetTable): Promise<void> {
    const index = quoteIdent(`${table.table}_pkey`);
    await client.query(`alter table ${table.qualified} add constraint ${index} primary key using index ${index}`);
  }

  async analyze(client: pg.PoolClient, table: DatasetTable): Promise<void> {
    await client.query(`analyze ${table.qualified}`);
  }

  /**
   * Where histograms, top values and rollups are counted: the whole table up to `exactRows`
   * rows, else a repeatable block sample of about `exactRows` rows (counts are scaled back).
   */
  statsSource(table: DatasetTable, rowCount: number, exactRows: number): { source: string; exact: boolean } {
    if (rowCount <= exactRows) return { source: table.qualified, exact: true };
    const percent = Math.min(100, (100 * exactRows) / rowCount).toFixed(4);
    return { source: `${table.qualified} tablesample system (${percent}) repeatable (7)`, exact: false };
  }

  /** Fills `distinct` from ANALYZE's estimate (pg_stats) where it is not exact already. */
  async applyAnalyzedDistinct(
    client: Queryable,
    table: DatasetTable,
    types: readonly TColumnType[],
    rowCount: number,
    stats: { columns: TColumnStats[]; exact: boolean },
  ): Promise<void> {
    const { rows } = await client.query<{ attname: string; n_distinct: number }>(
      `select attname, n_distinct from pg_stats where schemaname = $1 and tablename = $2`,
      [table.schema, table.table],
    );
    const estimates = new Map(rows.map((row) => [row.attname, Number(row.n_distinct)]));
    stats.columns.forEach((column, index) => {
      const type = types[index];
      if (type === 'boolean' || (type === 'text' && stats.exact)) return;
      const n = estimates.get(column.key) ?? 0;
      column.distinct = Math.min(column.count, Math.round(n >= 0 ? n : -n * rowCount));
    });
  }

  /** count / boolean trues / min / max of every column in one scan (exact). */
  async basicStats(
    client: Queryable,
    table: DatasetTable,
    types: readonly TColumnType[],
  ): Promise<Array<{ count: number; trues: number; min: TColumnStats['min']; max: TColumnStats['max'] }>> {
    const result: Array<{ count: number; trues: number; min: TColumnStats['min']; max: TColumnStats['max'] }> = [];
    // Postgres allows 1664 result columns; four per column, in batches.
    for (let start = 0; start < types.length; start += 400) {
      const batch = types.slice(start, start + 400);
      const select = batch.flatMap((type, offset) => {
        const key = columnKey(start + offset);
        const [minExpr, maxExpr] = minMaxExprs(key, type);
        const trues = type === 'boolean' ? `count(*) filter (where ${key})` : '0';
        return [`count(${key})::bigint`, `${trues}::bigint`, minExpr, maxExpr];
      });
      const { rows } = await client.query<unknown[]>({
        text: `select ${select.join(', ')} from ${table.qualified}`,
        rowMode: 'array',
      });
      const row = rows[0] ?? [];
      batch.forEach((type, offset) => {
        result.push({
          count: Number(row[offset * 4] ?? 0),
          trues: Number(row[offset * 4 + 1] ?? 0),
          min: statValue(type, row[offset * 4 + 2]),
          max: statValue(type, row[offset * 4 + 3]),
        });
      });
    }
    return result;
  }

  async histogram(
    client: Queryable,
    source: string,
    key: string,
    min: number,
    max: number,
    count: number,
  ): Promise<TColumnStats['histogram']> {
    if (!(max > min)) return [{ from: min, to: max, count }];
    const { rows } = await client.query<{ b: number; n: string }>(
      `select least(greatest(width_bucket(${key}::float8, $1::float8, $2::float8, 10), 1), 10) as b, count(*) as n
         from ${source} where ${key} is not null group by 1`,
      [min, max],
    );
    const counts = scaleCounts(
      rows.map((row) => Number(row.n)),
      count,
    );
    const byBin = new Map(rows.map((row, i) => [Number(row.b), counts[i]!]));
    const width = (max - min) / 10;
    return Array.from({ length: 10 }, (_, i) => ({
      from: min + i * width,
      to: i === 9 ? max : min + (i + 1) * width,
      count: byBin.get(i + 1) ?? 0,
    }));
  }

  async topValues(
    client: Queryable,
    source: string,
    key: string,
    count: number,
  ): Promise<{ values: Array<{ value: string; count: number }>; groups: number }> {
    const { rows } = await client.query<{ v: string; n: string; groups: string; total: string }>(
      `select v, n, count(*) over () as groups, sum(n) over () as total
         from (select ${key} as v, count(*) as n from ${source} where ${key} is not null group by 1) g
        order by n desc, v limit 10`,
    );
    const total = Number(rows[0]?.total ?? 0);
    const scale = total > 0 ? count / total : 1;
    return {
      values: rows.map((row) => ({ value: row.v, count: Math.round(Number(row.n) * scale) })),
      groups: Number(rows[0]?.groups ?? 0),
    };
  }

  async rollup(
    client: Queryable,
    source: string,
    key: string,
    type: TColumnType,
    grain: 'day' | 'month',
    count: number,
  ): Promise<TTimeRollup['points']> {
    // Timestamps are bucketed in UTC whatever the session time zone is.
    const expr = type === 'date' ? `${key}::timestamp` : `(${key} at time zone 'UTC')`;
    const { rows } = await client.query<{ t: number; n: string }>(
      `select extract(epoch from date_trunc('${grain}', ${expr}))::float8 as t, count(*) as n
         from ${source} where ${key} is not null group by 1 order by 1`,
    );
    const counts = scaleCounts(
      rows.map((row) => Number(row.n)),
      count,
    );
    return rows.map((row, i) => ({ t: new Date(Number(row.t) * 1000).toISOString(), count: counts[i]! }));
  }

  /**
   * Makes `staging` the live version in one transaction (stats, pointer, columns, ingest row).
   * Returns the previous live table to drop, or `superseded` when a newer version is live.
   */
  async swap(
    client: pg.PoolClient,
    ingest: IngestRow,
    staging: DatasetTable,
    columns: TDatasetColumn[],
    rowCount: number,
    stats: { columns: TColumnStats[]; rollups: TTimeRollup[] },
  ): Promise<{ superseded: true } | { superseded: false; previous: string | null }> {
    await client.query('begin');
    try {
      const { rows } = await client.query<{ version: number; live_table: string | null }>(
        `select version, live_table from datasets.datasets where id = $1 and tenant_id = $2 for update`,
        [ingest.datasetId, ingest.tenantId],
      );
      const current = rows[0];
      if (!current || current.version >= ingest.targetVersion) {
        await client.query('rollback');
        return { superseded: true };
      }
      await client.query(
        `insert into datasets.dataset_stats (dataset_id, version, tenant_id, columns, rollups)
         values ($1, $2, $3, $4::jsonb, $5::jsonb)
         on conflict (dataset_id, version)
           do update set columns = excluded.columns, rollups = excluded.rollups, computed_at = now()`,
        [
          ingest.datasetId,
          ingest.targetVersion,
          ingest.tenantId,
          JSON.stringify(stats.columns),
          JSON.stringify(stats.rollups),
        ],
      );
      await client.query(
        `update datasets.datasets
            set version = $3, live_table = $4, columns = $5::jsonb, row_count = $6, status = 'ready',
                failure_reason = null, progress = null, ready_at = now(), updated_at = now()
          where id = $1 and tenant_id = $2 and version < $3`,
        [ingest.datasetId, ingest.tenantId, ingest.targetVersion, staging.qualified, JSON.stringify(columns), rowCount],
      );
      await client.query(
        `update datasets.ingests
            set status = 'succeeded', failure_reason = null, rows_done = $3, finished_at = now()
          where id = $1 and tenant_id = $2`,
        [ingest.id, ingest.tenantId, rowCount],
      );
      await client.query('commit');
      return { superseded: false, previous: current.live_table };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  /**
   * Drops this dataset's version tables older than `targetVersion` that are not live (left over
   * by a worker killed between the swap and the drop). Newer versions (a later ingest's staging
   * table) are never touched.
   */
  async dropStaleVersions(db: Queryable, ingest: IngestRow, schema: string): Promise<string[]> {
    const prefix = tablePrefix(ingest.datasetId);
    const { rows } = await db.query<{ table_name: string; live: string | null }>(
      `select c.relname as table_name,
              (select live_table from datasets.datasets where id = $3 and tenant_id = $4) as live
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind = 'r' and left(c.relname, length($2)) = $2`,
      [schema, prefix, ingest.datasetId, ingest.tenantId],
    );
    const dropped: string[] = [];
    for (const row of rows) {
      const version = Number(row.table_name.slice(prefix.length));
      const qualified = `${quoteIdent(schema)}.${quoteIdent(row.table_name)}`;
      if (!Number.isInteger(version) || version > ingest.targetVersion || qualified === row.live) continue;
      if (version === ingest.targetVersion) continue;
      await db.query(`drop table if exists ${qualified}`);
      dropped.push(qualified);
    }
    return dropped;
  }
}

function minMaxExprs(key: string, type: TColumnType): [string, string] {
  switch (type) {
    case 'boolean':
      return [`bool_and(${key})::text`, `bool_or(${key})::text`];
    case 'text':
      return [`min(${key} collate "C")`, `max(${key} collate "C")`];
    case 'timestamp':
      return [
        `to_char(min(${key}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
        `to_char(max(${key}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      ];
    case 'date':
      return [`to_char(min(${key}), 'YYYY-MM-DD')`, `to_char(max(${key}), 'YYYY-MM-DD')`];
    default:
      return [`min(${key})::text`, `max(${key})::text`];
  }
}

function statValue(type: TColumnType, raw: unknown): TColumnStats['min'] {
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  if (type === 'integer' || type === 'numeric') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

/** Scales sampled counts so they add up to `total` (exact counts pass through unchanged). */
function scaleCounts(counts: number[], total: number): number[] {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (sum === 0 || sum === total) return counts;
  return counts.map((n) => Math.round((n * total) / sum));
}

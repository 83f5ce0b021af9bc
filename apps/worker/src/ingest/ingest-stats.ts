import type { TColumnStats, TColumnType, TTimeRollup } from '@elasticdash/contracts/datasets/dataset';
import type pg from 'pg';
import type { IngestRepository } from './ingest.repository.js';
import { columnKey, type DatasetTable } from './table-names.js';

/** Histograms, top values and rollups are exact up to this many rows, sampled above. */
export const EXACT_STATS_ROWS = 50_000;

export interface TableStats {
  columns: TColumnStats[];
  rollups: TTimeRollup[];
  /** Top values (and text distinct counts) are exact, not from a sample. */
  exact: boolean;
}

type Task = (client: pg.PoolClient) => Promise<void>;

/**
 * Finishes a loaded staging table on two connections at once (the machine's cores work in
 * parallel): one builds the primary key's index and runs ANALYZE, the other scans for exact
 * count/nulls/min/max; then both share the per-column histogram / top-value / rollup queries.
 * Postgres-side only: Node just waits.
 */
export async function finishTable(
  repository: IngestRepository,
  clients: [pg.PoolClient, pg.PoolClient],
  table: DatasetTable,
  types: readonly TColumnType[],
  rowCount: number,
): Promise<TableStats> {
  const [indexer, scanner] = clients;
  const { source, exact } = repository.statsSource(table, rowCount, EXACT_STATS_ROWS);
  const indexed = (async () => {
    await repository.createRowIndex(indexer, table);
    await repository.analyze(indexer, table);
  })();
  // Avoid an unhandled rejection while the scanner is still busy.
  indexed.catch(() => undefined);
  const basics = await repository.basicStats(scanner, table, types);

  const columns: TColumnStats[] = [];
  const rollups: Array<TTimeRollup | null> = [];
  const tasks: Task[] = [];
  types.forEach((type, index) => {
    const key = columnKey(index);
    const basic = basics[index]!;
    const stats: TColumnStats = {
      key,
      count: basic.count,
      nulls: rowCount - basic.count,
      distinct: 0,
      min: basic.min,
      max: basic.max,
      histogram: type === 'integer' || type === 'numeric' ? [] : null,
      topValues: type === 'text' || type === 'boolean' ? [] : null,
    };
    columns.push(stats);
    if (type === 'boolean') {
      const values = [
        { value: 'true', count: basic.trues },
        { value: 'false', count: basic.count - basic.trues },
      ].filter((value) => value.count > 0);
      stats.topValues = values.sort((a, b) => b.count - a.count);
      stats.distinct = values.length;
      return;
    }
    if (type === 'date' || type === 'timestamp') {
      const grain = basic.count > 0 && spanYears(String(basic.min), String(basic.max)) > 2 ? 'month' : 'day';
      const slot = rollups.push(null) - 1;
      if (basic.count === 0) {
        rollups[slot] = { key, grain, points: [] };
        return;
      }
      tasks.push(async (client) => {
        rollups[slot] = { key, grain, points: await repository.rollup(client, source, key, type, grain, basic.count) };
      });
      return;
    }
    if (basic.count === 0) return;
    if (type === 'text') {
      tasks.push(async (client) => {
        const top = await repository.topValues(client, source, key, basic.count);
        stats.topValues = top.values;
        if (exact) stats.distinct = top.groups;
      });
    } else {
      tasks.push(async (client) => {
        stats.histogram = await repository.histogram(
          client,
          source,
          key,
          Number(basic.min),
          Number(basic.max),
          basic.count,
        );
      });
    }
  });

  const drain = async (client: pg.PoolClient) => {
    for (let task = tasks.shift(); task; task = tasks.shift()) await task(client);
  };
  await Promise.all([indexed.then(() => drain(indexer)), drain(scanner)]);
  await repository.attachPrimaryKey(indexer, table);
  const result: TableStats = { columns, rollups: rollups.filter((r): r is TTimeRollup => r !== null), exact };
  await repository.applyAnalyzedDistinct(indexer, table, types, rowCount, result);
  return result;
}

function spanYears(min: string, max: string): number {
  return (Date.parse(max) - Date.parse(min)) / (365.25 * 24 * 3600 * 1000);
}

import { Injectable } from '@nestjs/common';
import type { TDatasetStatsResponse } from '@elasticdash/contracts/datasets/dataset';
import { ZDatasetStatsResponse } from '@elasticdash/contracts/datasets/dataset';
import {
  type TDatasetFilter,
  type TDatasetRowsPage,
  type TDatasetRowsQuery,
  type TPanelQuery,
  type TPanelQueryResult,
  ZDatasetFilter,
  ZDatasetRowsPage,
  ZPanelQueryResult,
} from '@elasticdash/contracts/datasets/query';
import { toFieldIssues } from '@elasticdash/contracts/platform/errors';
import { isPgError } from '@elasticdash/db/errors';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { AppError, notFound, validationFailed } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { z } from 'zod';
import { type DatasetRow, DatasetsRepository } from '../datasets/datasets.repository.js';
import { DATASET_NOT_FOUND } from '../datasets/datasets.service.js';
import { toDataRow } from './data.mapper.js';
import { DataRepository, QUERY_CANCELED, type Statement, UNDEFINED_TABLE } from './data.repository.js';
import { type CachedPoints, QueryCache } from './query-cache.js';
import { checkedLiveTable, panelStatement, QueryIssuesError, rowsStatement } from './sql.js';

const ZFilterList = z.array(ZDatasetFilter).max(50, 'At most 50 filters');

/** The `filters` query parameter (JSON of ZDatasetFilter[]); 400 with `filters.<i>.<field>` paths. */
export function parseFilters(raw: string | undefined): TDatasetFilter[] {
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw validationFailed(
      [{ path: 'filters', message: 'filters must be a JSON array of filters' }],
      'Query string is invalid',
    );
  }
  const result = ZFilterList.safeParse(parsed);
  if (!result.success) {
    throw validationFailed(
      toFieldIssues(result.error.issues).map((issue) => ({
        ...issue,
        path: issue.path === '(root)' ? 'filters' : `filters.${issue.path}`,
      })),
      'Query string is invalid',
    );
  }
  return result.data;
}

interface Flight {
  promise: Promise<CachedPoints>;
  waiters: number;
  controller: AbortController;
}

/** Rows, statistics and panel queries over a dataset's live version. */
@Injectable()
export class DataService {
  /** Identical panel queries in flight share one database round (single flight). */
  private readonly flights = new Map<string, Flight>();

  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly data: DataRepository,
    private readonly cache: QueryCache,
  ) {}

  private async dataset(ctx: TTenantContext, datasetId: string): Promise<DatasetRow> {
    const dataset = await this.datasets.find(ctx.tenantId, datasetId);
    if (!dataset) throw notFound(DATASET_NOT_FOUND);
    return dataset;
  }

  /**
   * Runs `work` against the live version; when the worker swapped a new version in and dropped
   * the table meanwhile (42P01), re-reads the dataset once and runs again.
   */
  private async onLive<T>(
    ctx: TTenantContext,
    first: DatasetRow,
    work: (dataset: DatasetRow, table: string | null) => Promise<T>,
  ): Promise<T> {
    const attempt = (dataset: DatasetRow) =>
      work(
        dataset,
        dataset.version > 0 && dataset.liveTable ? checkedLiveTable(dataset.liveTable, ctx.tenantId, dataset.id) : null,
      );
    try {
      return await attempt(first);
    } catch (error) {
      if (!isPgError(error, UNDEFINED_TABLE)) throw translate(error);
      try {
        return await attempt(await this.dataset(ctx, first.id));
      } catch (retryError) {
        throw translate(retryError);
      }
    }
  }

  async rows(ctx: TTenantContext, datasetId: string, query: TDatasetRowsQuery): Promise<TDatasetRowsPage> {
    const filters = parseFilters(query.filters);
    const dataset = await this.dataset(ctx, datasetId);
    return this.onLive(ctx, dataset, async (live, table) => {
      const empty = { version: live.version, page: query.page, pageSize: query.pageSize, total: 0, rows: [] };
      if (!table) return respond(ZDatasetRowsPage, empty);
      const statement = rowsStatement(table, live.columns, query, filters, {
        countWithoutFilters: live.rowCount === null,
      });
      const [rows, counted] = await Promise.all([
        this.data.read<Record<string, unknown>>(statement.page),
        statement.count ? this.data.read<{ total: string }>(statement.count) : Promise.resolve(null),
      ]);
      const total = counted ? Number(counted[0]?.total ?? 0) : (live.rowCount ?? 0);
      return respond(ZDatasetRowsPage, {
        ...empty,
        total,
        rows: rows.map((row) => toDataRow(live.columns, row)),
      });
    });
  }

  async stats(ctx: TTenantContext, datasetId: string): Promise<TDatasetStatsResponse> {
    const dataset = await this.dataset(ctx, datasetId);
    const row = dataset.version > 0 ? await this.datasets.stats(ctx.tenantId, datasetId, dataset.version) : undefined;
    return respond(ZDatasetStatsResponse, {
      version: dataset.version,
      columns: (row?.columns as TDatasetStatsResponse['columns'] | undefined) ?? [],
      rollups: (row?.rollups as TDatasetStatsResponse['rollups'] | undefined) ?? [],
    });
  }

  /**
   * A chart panel's aggregate. Results are cached per data version; identical concurrent
   * queries share one statement, which is cancelled when every request waiting on it is gone.
   */
  async query(
    ctx: TTenantContext,
    datasetId: string,
    query: TPanelQuery,
    signal?: AbortSignal,
  ): Promise<TPanelQueryResult> {
    const started = performance.now();
    const dataset = await this.dataset(ctx, datasetId);
    const answer = (points: CachedPoints, cached: boolean) =>
      respond(ZPanelQueryResult, {
        ...points,
        cached,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
    return this.onLive(ctx, dataset, async (live, table) => {
      if (!table) {
        // Nothing ingested yet: check what can be checked, answer no points.
        return answer({ version: live.version, points: [] }, false);
      }
      const statement = toIssues(() => panelStatement(table, live.columns, query));
      const key = this.cache.key(ctx.tenantId, live.id, live.version, query);
      const hit = await this.cache.get(key);
      if (hit) return answer(hit, true);
      const points = await this.join(key, signal, async (flightSignal) => {
        await this.cache.noteVersion(ctx.tenantId, live.id, live.version);
        const computed = await this.compute(live.version, statement, flightSignal);
        await this.cache.set(ctx.tenantId, live.id, key, computed);
        return computed;
      });
      return answer(points, false);
    });
  }

  private async compute(
    version: number,
    statement: Statement & { x: string },
    signal: AbortSignal,
  ): Promise<CachedPoints> {
    const rows = await this.data.read<{ x: string | null; g: string | null; value: number | null }>(statement, signal);
    return {
      version,
      points: rows.map((row) => ({
        x: row.x,
        group: row.g,
        value: typeof row.value === 'number' && Number.isFinite(row.value) ? row.value : null,
      })),
    };
  }

  private join(
    key: string,
    signal: AbortSignal | undefined,
    run: (signal: AbortSignal) => Promise<CachedPoints>,
  ): Promise<CachedPoints> {
    let flight = this.flights.get(key);
    if (!flight || flight.controller.signal.aborted) {
      const controller = new AbortController();
      const promise = run(controller.signal).finally(() => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      });
      const created: Flight = { promise, waiters: 0, controller };
      this.flights.set(key, created);
      flight = created;
    }
    const current = flight;
    current.waiters += 1;
    signal?.addEventListener(
      'abort',
      () => {
        current.waiters -= 1;
        if (current.waiters === 0) current.controller.abort();
      },
      { once: true },
    );
    return current.promise;
  }
}

function toIssues<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof QueryIssuesError) throw validationFailed(error.issues, 'This query does not fit the dataset');
    throw error;
  }
}

/** Maps database errors of a data read to answers a user can act on. */
function translate(error: unknown): unknown {
  if (error instanceof QueryIssuesError) return validationFailed(error.issues, 'This query does not fit the dataset');
  if (isPgError(error, QUERY_CANCELED)) {
    return new AppError(
      503,
      'query_timeout',
      'This query took too long and was stopped; add filters or pick a coarser time grain',
    );
  }
  // Invalid input values that slipped past the checks (e.g. a date out of range): the client's fault.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    return validationFailed([{ path: 'filters', message: (error as Error).message }], 'A filter value is invalid');
  }
  return error;
}

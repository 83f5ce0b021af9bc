import type { QueryClient } from '@tanstack/react-query';
import type { TDatasetResponse, TDatasetSummary, TListDatasetsResponse } from '@elasticdash/contracts/datasets/dataset';
import type { TRealtimeEvent } from '@elasticdash/contracts/realtime/event';

/**
 * Query keys of datasets and dashboards, under ['tenant', tenantId] like every workspace key.
 * Everything about one dataset (detail, rows, stats, panel queries) sits under
 * `datasetKeys.dataset(…)`, so one invalidation refreshes all of it when its data changes.
 */
export const datasetKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'datasets'] as const,
  list: (tenantId: string) => [...datasetKeys.all(tenantId), 'list'] as const,
  dataset: (tenantId: string, datasetId: string) => [...datasetKeys.all(tenantId), 'by-id', datasetId] as const,
  detail: (tenantId: string, datasetId: string) => [...datasetKeys.dataset(tenantId, datasetId), 'detail'] as const,
  rows: (tenantId: string, datasetId: string, params: string) =>
    [...datasetKeys.dataset(tenantId, datasetId), 'rows', params] as const,
  stats: (tenantId: string, datasetId: string, version: number) =>
    [...datasetKeys.dataset(tenantId, datasetId), 'stats', version] as const,
  /** One panel query: the same dataset version and normalised query share one cache entry (and request). */
  query: (tenantId: string, datasetId: string, version: number, normalisedQuery: string) =>
    [...datasetKeys.dataset(tenantId, datasetId), 'query', version, normalisedQuery] as const,
};

export const dashboardKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'dashboards'] as const,
  list: (tenantId: string) => [...dashboardKeys.all(tenantId), 'list'] as const,
  detail: (tenantId: string, dashboardId: string) => [...dashboardKeys.all(tenantId), 'by-id', dashboardId] as const,
};

/** Only what is used, so tests pass a small fake. */
export type TCacheWriter = Pick<QueryClient, 'setQueryData' | 'invalidateQueries'>;

type TDatasetPatch = Partial<Pick<TDatasetSummary, 'status' | 'progress' | 'failureReason' | 'version' | 'rowCount'>>;

function patchCaches(client: TCacheWriter, tenantId: string, datasetId: string, patch: TDatasetPatch) {
  client.setQueryData<TListDatasetsResponse>(datasetKeys.list(tenantId), (old) =>
    old
      ? {
          ...old,
          datasets: old.datasets.map((dataset) => (dataset.id === datasetId ? { ...dataset, ...patch } : dataset)),
        }
      : old,
  );
  client.setQueryData<TDatasetResponse>(datasetKeys.detail(tenantId, datasetId), (old) =>
    old ? { ...old, dataset: { ...old.dataset, ...patch } } : old,
  );
}

/**
 * What a live event does to the cache. Progress moves the bar in place (no request); a status
 * change patches the status at once, then refetches everything that depends on the data: the
 * list, the dataset, its rows, stats and every panel query of its dashboards.
 */
export function applyDatasetEvent(client: TCacheWriter, tenantId: string, event: TRealtimeEvent): void {
  switch (event.type) {
    case 'dataset.progress':
      patchCaches(client, tenantId, event.datasetId, { status: 'processing', progress: event.progress });
      return;
    case 'dataset.status': {
      const patch: TDatasetPatch = { status: event.status, failureReason: event.failureReason };
      if (event.status !== 'processing') patch.progress = null;
      if (event.status === 'ready') {
        patch.version = event.version;
        patch.rowCount = event.rowCount;
      }
      patchCaches(client, tenantId, event.datasetId, patch);
      void client.invalidateQueries({ queryKey: datasetKeys.list(tenantId) });
      void client.invalidateQueries({ queryKey: datasetKeys.dataset(tenantId, event.datasetId) });
      return;
    }
    default:
      return;
  }
}

/** After a gap the server could not replay (`event: reset`): everything datasets-related is refetched. */
export function resetDatasetCaches(client: TCacheWriter, tenantId: string): void {
  void client.invalidateQueries({ queryKey: datasetKeys.all(tenantId) });
  void client.invalidateQueries({ queryKey: dashboardKeys.all(tenantId) });
}

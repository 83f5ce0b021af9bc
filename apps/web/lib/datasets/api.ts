'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  ZDashboardResponse,
  ZListDashboardsResponse,
  type TDashboard,
  type TUpdateDashboardRequest,
} from '@elasticdash/contracts/datasets/dashboard';
import {
  ZDatasetResponse,
  ZDatasetStatsResponse,
  ZIngestDatasetResponse,
  ZListDatasetsResponse,
  type TDataset,
} from '@elasticdash/contracts/datasets/dataset';
import { ZDatasetRowsPage, ZPanelQueryResult, type TPanelQuery } from '@elasticdash/contracts/datasets/query';
import { ZCreateUploadResponse, type TCreateUploadResponse } from '@elasticdash/contracts/datasets/upload';
import { api, isApiError } from '@/lib/api';
import { dashboardKeys, datasetKeys } from './cache';
import { canonicalJson } from './panel-query';
import {
  contentTypeOf,
  isRetryablePutError,
  partRanges,
  putBlob,
  runPool,
  UPLOAD_CONCURRENCY,
  UploadProgress,
  withRetry,
} from './upload';

export function datasetPath(datasetId: string, rest = ''): string {
  return `/datasets/${encodeURIComponent(datasetId)}${rest}`;
}

export function dashboardPath(dashboardId: string): string {
  return `/dashboards/${encodeURIComponent(dashboardId)}`;
}

// ── datasets ─────────────────────────────────────────────────────────────────────────────

export function useDatasets(tenantId: string) {
  return useQuery({
    queryKey: datasetKeys.list(tenantId),
    queryFn: ({ signal }) => api('/datasets', { schema: ZListDatasetsResponse, tenantId, signal }),
    select: (data) => data.datasets,
  });
}

export function useDataset(tenantId: string, datasetId: string | null) {
  return useQuery({
    queryKey: datasetKeys.detail(tenantId, datasetId ?? 'none'),
    queryFn: ({ signal }) => api(datasetPath(datasetId ?? ''), { schema: ZDatasetResponse, tenantId, signal }),
    select: (data) => data.dataset,
    enabled: datasetId !== null,
  });
}

export interface TRowsParams {
  page: number;
  pageSize: number;
  sort: string | null;
  dir: 'asc' | 'desc';
  filters: string | null;
}

export function rowsSearch(params: TRowsParams): string {
  const search = new URLSearchParams({ page: String(params.page), pageSize: String(params.pageSize) });
  if (params.sort) {
    search.set('sort', params.sort);
    search.set('dir', params.dir);
  }
  if (params.filters) search.set('filters', params.filters);
  return search.toString();
}

export function useDatasetRows(tenantId: string, dataset: TDataset, params: TRowsParams) {
  const search = rowsSearch(params);
  return useQuery({
    queryKey: datasetKeys.rows(tenantId, dataset.id, `${dataset.version}?${search}`),
    queryFn: ({ signal }) =>
      api(datasetPath(dataset.id, `/rows?${search}`), { schema: ZDatasetRowsPage, tenantId, signal }),
    enabled: dataset.version > 0,
    placeholderData: keepPreviousData,
  });
}

export function useDatasetStats(tenantId: string, dataset: TDataset) {
  return useQuery({
    queryKey: datasetKeys.stats(tenantId, dataset.id, dataset.version),
    queryFn: ({ signal }) =>
      api(datasetPath(dataset.id, '/stats'), { schema: ZDatasetStatsResponse, tenantId, signal }),
    enabled: dataset.version > 0,
    staleTime: 5 * 60_000,
  });
}

/**
 * One chart panel's data. The key is dataset + version + the normalised query, so identical
 * panels share one request; the signal cancels a superseded request; the previous result stays
 * on screen while the next one loads.
 */
export function usePanelQuery(tenantId: string, datasetId: string, version: number, query: TPanelQuery | null) {
  const normalised = query ? canonicalJson(query) : '';
  return useQuery({
    queryKey: datasetKeys.query(tenantId, datasetId, version, normalised),
    queryFn: ({ signal }) =>
      api(datasetPath(datasetId, '/query'), {
        method: 'POST',
        body: query,
        schema: ZPanelQueryResult,
        tenantId,
        signal,
      }),
    enabled: query !== null && version > 0,
    placeholderData: keepPreviousData,
    // Results of one data version never change: refetch only when the version does.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export async function createDataset(tenantId: string, body: { name: string; description: string }): Promise<TDataset> {
  const { dataset } = await api('/datasets', { method: 'POST', body, tenantId, schema: ZDatasetResponse });
  return dataset;
}

export async function deleteDataset(tenantId: string, datasetId: string): Promise<void> {
  await api(datasetPath(datasetId), { method: 'DELETE', tenantId });
}

// ── upload ───────────────────────────────────────────────────────────────────────────────

export type TUploadPhase = 'preparing' | 'uploading' | 'completing' | 'queueing';

export interface TUploadCallbacks {
  onPhase: (phase: TUploadPhase) => void;
  onProgress: (sent: number, total: number) => void;
}

/**
 * The whole browser side of an upload: presign → PUT to S3 (one request, or parts 4 at a time,
 * each retried 3 times) → complete (with the part ETags) → queue the ingest. Aborting the
 * signal stops the transfer and abandons the upload on the server.
 */
export async function uploadDatasetFile(
  tenantId: string,
  datasetId: string,
  file: File,
  signal: AbortSignal,
  callbacks: TUploadCallbacks,
): Promise<void> {
  callbacks.onPhase('preparing');
  const upload: TCreateUploadResponse = await api(datasetPath(datasetId, '/uploads'), {
    method: 'POST',
    body: { fileName: file.name, sizeBytes: file.size, contentType: contentTypeOf(file.name) },
    tenantId,
    schema: ZCreateUploadResponse,
    signal,
  });
  try {
    callbacks.onPhase('uploading');
    const progress = new UploadProgress(file.size);
    callbacks.onProgress(0, file.size);
    let parts: { partNumber: number; etag: string }[] = [];
    if (upload.mode === 'single') {
      await withRetry(
        () =>
          putBlob(
            upload.url,
            file,
            upload.headers,
            (loaded) => callbacks.onProgress(progress.set(1, loaded), file.size),
            signal,
          ),
        { signal, shouldRetry: isRetryablePutError },
      );
    } else {
      const urls = new Map(upload.parts.map((part) => [part.partNumber, part.url]));
      const ranges = partRanges(
        file.size,
        upload.partSize,
        upload.parts.map((part) => part.partNumber),
      );
      parts = await runPool(ranges, UPLOAD_CONCURRENCY, async (range) => {
        const url = urls.get(range.partNumber) ?? '';
        const etag = await withRetry(
          async () => {
            progress.set(range.partNumber, 0);
            const tag = await putBlob(
              url,
              file.slice(range.start, range.end),
              {},
              (loaded) => callbacks.onProgress(progress.set(range.partNumber, loaded), file.size),
              signal,
            );
            if (!tag) throw new Error('The storage did not return an ETag for a part (check its CORS ExposeHeaders).');
            return tag;
          },
          { signal, shouldRetry: isRetryablePutError },
        );
        return { partNumber: range.partNumber, etag };
      });
    }
    callbacks.onPhase('completing');
    await api(datasetPath(datasetId, `/uploads/${encodeURIComponent(upload.uploadId)}/complete`), {
      method: 'POST',
      body: { parts },
      tenantId,
      schema: ZDatasetResponse,
      signal,
    });
  } catch (error) {
    // Cancelled or failed before completion: free the upload (and its parts) on the server.
    void api(datasetPath(datasetId, `/uploads/${encodeURIComponent(upload.uploadId)}`), {
      method: 'DELETE',
      tenantId,
    }).catch(() => undefined);
    throw error;
  }
  callbacks.onPhase('queueing');
  await api(datasetPath(datasetId, '/ingest'), { method: 'POST', tenantId, schema: ZIngestDatasetResponse, signal });
}

// ── dashboards ───────────────────────────────────────────────────────────────────────────

export function useDashboards(tenantId: string) {
  return useQuery({
    queryKey: dashboardKeys.list(tenantId),
    queryFn: ({ signal }) => api('/dashboards', { schema: ZListDashboardsResponse, tenantId, signal }),
    select: (data) => data.dashboards,
  });
}

export function useDashboard(tenantId: string, dashboardId: string) {
  return useQuery({
    queryKey: dashboardKeys.detail(tenantId, dashboardId),
    queryFn: ({ signal }) => api(dashboardPath(dashboardId), { schema: ZDashboardResponse, tenantId, signal }),
    select: (data) => data.dashboard,
    // The editor owns its copy once loaded: a refetch on focus must not look like someone's save.
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
  });
}

export async function createDashboard(
  tenantId: string,
  body: { name: string; datasetId: string },
): Promise<TDashboard> {
  const { dashboard } = await api('/dashboards', { method: 'POST', body, tenantId, schema: ZDashboardResponse });
  return dashboard;
}

export async function deleteDashboard(tenantId: string, dashboardId: string): Promise<void> {
  await api(dashboardPath(dashboardId), { method: 'DELETE', tenantId });
}

/** A save refused because someone saved a newer revision first (409). */
export class DashboardConflictError extends Error {
  constructor(readonly latest: TDashboard | null) {
    super('Someone else saved this dashboard since you opened it.');
    this.name = 'DashboardConflictError';
  }
}

export async function saveDashboard(
  tenantId: string,
  dashboardId: string,
  body: TUpdateDashboardRequest,
): Promise<TDashboard> {
  try {
    const { dashboard } = await api(dashboardPath(dashboardId), {
      method: 'PUT',
      body,
      tenantId,
      schema: ZDashboardResponse,
    });
    return dashboard;
  } catch (error) {
    if (!isApiError(error, 409) || error.issues.length > 0) throw error;
    const latest = await api(dashboardPath(dashboardId), { schema: ZDashboardResponse, tenantId }).then(
      (response) => response.dashboard,
      () => null,
    );
    throw new DashboardConflictError(latest);
  }
}

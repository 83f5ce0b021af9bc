'use client';

import Link from 'next/link';
import { useState } from 'react';
import { FileWarning, LayoutDashboard, Lock, Play, UploadCloud } from 'lucide-react';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { CreateDashboardDialog } from '@/components/dashboards/create-dashboard-dialog';
import { DataBreadcrumbs } from '@/components/data/data-breadcrumbs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Loading } from '@/components/ui/skeleton';
import { isApiError } from '@/lib/api';
import { useDataset } from '@/lib/datasets/api';
import { formatBytes, formatCount } from '@/lib/datasets/format';
import { ColumnStatsSection } from './column-stats';
import { DatasetStatus, ProgressBar } from './dataset-status';
import { dateFormat, datasetHref, useStartIngest } from './datasets-view';
import { RowsTable } from './rows-table';
import { UploadDialog } from './upload-dialog';

/** One dataset: status (live), its rows a page at a time, column statistics, and a way to chart it. */
export function DatasetView({ datasetId }: { datasetId: string }) {
  const { tenantId, tenant } = useCurrentTenant();
  const canWrite = hasRole(tenant.role, 'editor');
  const query = useDataset(tenantId, datasetId);
  const [uploading, setUploading] = useState(false);
  const [creatingDashboard, setCreatingDashboard] = useState(false);
  const ingest = useStartIngest({ id: datasetId, name: query.data?.name ?? 'the dataset' });

  if (query.isPending) return <Loading label="Loading the dataset…" className="py-12" />;
  if (query.isError) {
    if (isApiError(query.error, 404)) {
      return (
        <EmptyState
          as="h1"
          icon={FileWarning}
          title="Dataset not found"
          description="It may have been deleted, or it belongs to another workspace."
          action={
            <Button asChild variant="outline">
              <Link href={datasetHref(tenantId)}>Back to datasets</Link>
            </Button>
          }
        />
      );
    }
    return <ErrorState error={query.error} title="Could not load the dataset" onRetry={() => void query.refetch()} />;
  }
  const dataset = query.data;
  const hasData = dataset.version > 0;

  return (
    <div className="flex flex-col gap-6" data-testid="dataset-view" data-dataset-id={dataset.id}>
      <div>
        <DataBreadcrumbs items={[{ label: 'Datasets', href: datasetHref(tenantId) }, { label: dataset.name }]} />
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight break-words text-fg">{dataset.name}</h1>
            {dataset.description ? <p className="mt-1 text-sm text-fg-muted">{dataset.description}</p> : null}
            <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-fg-muted">
              <DatasetStatus dataset={dataset} compact />
              <span data-testid="dataset-row-count">{formatCount(dataset.rowCount)} rows</span>
              <span>{dataset.columns.length} columns</span>
              {dataset.fileName ? (
                <span>
                  {dataset.fileName} · {formatBytes(dataset.sizeBytes)}
                </span>
              ) : null}
              {hasData ? <span>Version {dataset.version}</span> : null}
              <span>
                Updated <time dateTime={dataset.updatedAt}>{dateFormat.format(new Date(dataset.updatedAt))}</time>
              </span>
              {!canWrite ? (
                <span className="inline-flex items-center gap-1">
                  <Lock className="size-3" aria-hidden /> Read only
                </span>
              ) : null}
            </div>
          </div>
          {canWrite ? (
            <div className="flex flex-wrap items-center gap-2">
              <Button
                variant="outline"
                onClick={() => setUploading(true)}
                disabled={dataset.status === 'processing'}
                data-testid="dataset-reupload"
              >
                <UploadCloud aria-hidden /> {hasData ? 'Replace data' : 'Upload a file'}
              </Button>
              <Button
                onClick={() => setCreatingDashboard(true)}
                disabled={!hasData}
                data-testid="dataset-create-dashboard"
              >
                <LayoutDashboard aria-hidden /> Create dashboard
              </Button>
            </div>
          ) : null}
        </div>
      </div>

      {dataset.status === 'processing' ? (
        <Card className="flex flex-col gap-2 p-4 sm:px-6">
          <p className="text-sm font-medium text-fg">
            Importing{dataset.progress?.percent != null ? ` · ${Math.floor(dataset.progress.percent)} %` : '…'}
            {dataset.progress ? (
              <span className="font-normal text-fg-muted"> · {formatCount(dataset.progress.rowsDone)} rows so far</span>
            ) : null}
          </p>
          <ProgressBar
            percent={dataset.progress?.percent ?? null}
            label={`Importing ${dataset.name}`}
            testId="ingest-progress"
          />
          {hasData ? (
            <p className="text-xs text-fg-muted">
              Version {dataset.version} stays visible until the new data is ready.
            </p>
          ) : null}
        </Card>
      ) : null}
      {dataset.status === 'failed' ? (
        <Alert variant="danger" title="The last import failed">
          <p data-testid="dataset-failure-reason">{dataset.failureReason ?? 'No reason was given.'}</p>
          {hasData ? (
            <p className="mt-1">The data below is version {dataset.version}, from the last successful import.</p>
          ) : null}
        </Alert>
      ) : null}
      {dataset.status === 'uploaded' && canWrite ? (
        <Alert
          title="The file is uploaded but not imported yet"
          action={
            <Button size="sm" onClick={() => ingest.mutate()} loading={ingest.isPending}>
              <Play aria-hidden /> Start import
            </Button>
          }
        />
      ) : null}

      {hasData ? (
        <>
          <Card>
            <CardHeader title="Rows" id="dataset-rows-heading" />
            <RowsTable dataset={dataset} />
          </Card>
          <section aria-labelledby="dataset-columns-heading" className="flex flex-col gap-3">
            <h2 id="dataset-columns-heading" className="text-base font-semibold text-fg">
              Columns
            </h2>
            <ColumnStatsSection dataset={dataset} />
          </section>
        </>
      ) : dataset.status !== 'processing' ? (
        <Card>
          <EmptyState
            as="h2"
            icon={UploadCloud}
            title="No data yet"
            description={
              canWrite
                ? 'Upload a CSV file; once it is imported, its rows and column statistics appear here.'
                : 'Nobody has uploaded a file to this dataset yet.'
            }
            action={
              canWrite ? (
                <Button onClick={() => setUploading(true)}>
                  <UploadCloud aria-hidden /> Upload a file
                </Button>
              ) : undefined
            }
          />
        </Card>
      ) : null}

      {canWrite ? (
        <>
          <UploadDialog open={uploading} onOpenChange={setUploading} dataset={dataset} />
          <CreateDashboardDialog
            open={creatingDashboard}
            onOpenChange={setCreatingDashboard}
            datasetId={dataset.id}
            defaultName={`${dataset.name} dashboard`}
          />
        </>
      ) : null}
    </div>
  );
}

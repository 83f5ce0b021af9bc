'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Database, MoreHorizontal, Play, Plus, Trash2, UploadCloud } from 'lucide-react';
import type { TDatasetSummary } from '@elasticdash/contracts/datasets/dataset';
import { ZIngestDatasetResponse } from '@elasticdash/contracts/datasets/dataset';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { PageHeader } from '@/components/app/page-header';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { datasetPath, deleteDataset, useDatasets } from '@/lib/datasets/api';
import { formatBytes, formatCount } from '@/lib/datasets/format';
import { dashboardKeys, datasetKeys } from '@/lib/datasets/cache';
import { DatasetStatus } from './dataset-status';
import { UploadDialog } from './upload-dialog';

export const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function datasetHref(tenantId: string, datasetId?: string): string {
  return datasetId ? `/app/${tenantId}/datasets/${datasetId}` : `/app/${tenantId}/datasets`;
}

/** Start the import of an uploaded file whose import was never queued (e.g. the tab closed). */
export function useStartIngest(dataset: Pick<TDatasetSummary, 'id' | 'name'>) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  return useMutation({
    mutationFn: () =>
      api(datasetPath(dataset.id, '/ingest'), { method: 'POST', tenantId, schema: ZIngestDatasetResponse }),
    onSuccess: () => {
      toast({ title: `Importing “${dataset.name}”` });
      void queryClient.invalidateQueries({ queryKey: datasetKeys.list(tenantId) });
      void queryClient.invalidateQueries({ queryKey: datasetKeys.dataset(tenantId, dataset.id) });
    },
    onError: (error) =>
      toast({ variant: 'danger', title: 'Could not start the import', description: errorMessage(error) }),
  });
}

function DatasetActions({ dataset }: { dataset: TDatasetSummary }) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const [uploading, setUploading] = useState(false);
  const ingest = useStartIngest(dataset);
  const remove = useMutation({
    mutationFn: () => deleteDataset(tenantId, dataset.id),
    onSuccess: async () => {
      setConfirming(false);
      toast({ variant: 'success', title: `“${dataset.name}” was deleted` });
      queryClient.removeQueries({ queryKey: datasetKeys.dataset(tenantId, dataset.id) });
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.all(tenantId) });
      await queryClient.invalidateQueries({ queryKey: datasetKeys.list(tenantId) });
    },
  });
  const busy = dataset.status === 'processing';
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Actions for ${dataset.name}`}
            data-testid="dataset-actions"
          >
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem disabled={busy} onSelect={() => setUploading(true)}>
            <UploadCloud aria-hidden /> {dataset.version > 0 ? 'Replace data…' : 'Upload a file…'}
          </DropdownMenuItem>
          {dataset.status === 'uploaded' ? (
            <DropdownMenuItem onSelect={() => ingest.mutate()}>
              <Play aria-hidden /> Start import
            </DropdownMenuItem>
          ) : null}
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="danger" onSelect={() => setConfirming(true)}>
            <Trash2 aria-hidden /> Delete dataset
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <UploadDialog open={uploading} onOpenChange={setUploading} dataset={dataset} />
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) remove.reset();
        }}
        title={`Delete “${dataset.name}”?`}
        description="Its data, uploaded files and every dashboard built on it are deleted. This cannot be undone."
        confirmLabel="Delete dataset"
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
      />
    </>
  );
}

export function DatasetsView() {
  const { tenantId, tenant } = useCurrentTenant();
  const datasets = useDatasets(tenantId);
  const canWrite = hasRole(tenant.role, 'editor');
  const [creating, setCreating] = useState(false);
  const newButton = (testId: string) => (
    <Button onClick={() => setCreating(true)} data-testid={testId}>
      <Plus aria-hidden /> New dataset
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Datasets"
        description={
          canWrite
            ? 'Upload CSV files; they are imported in the background and ready to chart in dashboards.'
            : 'CSV datasets of this workspace. Only editors and above can upload or change them.'
        }
        actions={canWrite ? newButton('new-dataset') : undefined}
      />
      {canWrite ? <UploadDialog open={creating} onOpenChange={setCreating} /> : null}
      <Card>
        {datasets.isPending ? (
          <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading datasets">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} className="h-10 w-full" />
            ))}
          </div>
        ) : datasets.isError ? (
          <ErrorState error={datasets.error} title="Could not load datasets" onRetry={() => void datasets.refetch()} />
        ) : datasets.data.length === 0 ? (
          <EmptyState
            as="h2"
            icon={Database}
            title="No datasets yet"
            description={
              canWrite
                ? 'Upload a CSV file: it goes straight to storage, is imported in the background, and you can follow it live.'
                : 'Nobody has uploaded a dataset in this workspace yet.'
            }
            action={canWrite ? newButton('new-dataset-empty') : undefined}
          />
        ) : (
          <Table data-testid="datasets-table">
            <TableCaption>Datasets of {tenant.name}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Dataset</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Rows</TableHead>
                <TableHead className="hidden text-right md:table-cell">Size</TableHead>
                <TableHead className="hidden md:table-cell">Updated</TableHead>
                {canWrite ? (
                  <TableHead className="w-12">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {datasets.data.map((dataset) => (
                <TableRow
                  key={dataset.id}
                  data-testid="dataset-row"
                  data-dataset-id={dataset.id}
                  data-dataset-name={dataset.name}
                >
                  <TableCell className="max-w-72">
                    <Link
                      href={datasetHref(tenantId, dataset.id)}
                      className="font-medium text-fg underline-offset-4 hover:underline"
                      data-testid="dataset-link"
                    >
                      {dataset.name}
                    </Link>
                    {dataset.fileName ? (
                      <span className="block truncate text-xs text-fg-muted">{dataset.fileName}</span>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <DatasetStatus dataset={dataset} />
                  </TableCell>
                  <TableCell
                    className="hidden text-right text-fg-muted tabular-nums sm:table-cell"
                    data-testid="dataset-rows"
                  >
                    {formatCount(dataset.rowCount)}
                  </TableCell>
                  <TableCell className="hidden text-right text-fg-muted tabular-nums md:table-cell">
                    {formatBytes(dataset.sizeBytes)}
                  </TableCell>
                  <TableCell className="hidden text-fg-muted md:table-cell">
                    <time dateTime={dataset.updatedAt}>{dateFormat.format(new Date(dataset.updatedAt))}</time>
                  </TableCell>
                  {canWrite ? (
                    <TableCell>
                      <DatasetActions dataset={dataset} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}

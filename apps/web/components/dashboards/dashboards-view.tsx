'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BarChart3, MoreHorizontal, Plus, Trash2 } from 'lucide-react';
import type { TDashboardSummary } from '@elasticdash/contracts/datasets/dashboard';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { PageHeader } from '@/components/app/page-header';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { dateFormat, datasetHref } from '@/components/datasets/datasets-view';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api';
import { deleteDashboard, useDashboards, useDatasets } from '@/lib/datasets/api';
import { dashboardKeys } from '@/lib/datasets/cache';
import { CreateDashboardDialog, dashboardHref } from './create-dashboard-dialog';

function DashboardActions({ dashboard }: { dashboard: TDashboardSummary }) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteDashboard(tenantId, dashboard.id),
    onSuccess: async () => {
      setConfirming(false);
      toast({ variant: 'success', title: `“${dashboard.name}” was deleted` });
      queryClient.removeQueries({ queryKey: dashboardKeys.detail(tenantId, dashboard.id) });
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.list(tenantId) });
    },
  });
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${dashboard.name}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem variant="danger" onSelect={() => setConfirming(true)}>
            <Trash2 aria-hidden /> Delete dashboard
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) remove.reset();
        }}
        title={`Delete “${dashboard.name}”?`}
        description="The dashboard and its panels are deleted. The dataset stays."
        confirmLabel="Delete dashboard"
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
      />
    </>
  );
}

export function DashboardsView() {
  const { tenantId, tenant } = useCurrentTenant();
  const dashboards = useDashboards(tenantId);
  const datasets = useDatasets(tenantId);
  const canWrite = hasRole(tenant.role, 'editor');
  const [creating, setCreating] = useState(false);
  const names = new Map((datasets.data ?? []).map((dataset) => [dataset.id, dataset.name]));
  const hasDatasets = (datasets.data?.length ?? 0) > 0;
  const newButton = (testId: string) => (
    <Button onClick={() => setCreating(true)} disabled={datasets.isSuccess && !hasDatasets} data-testid={testId}>
      <Plus aria-hidden /> New dashboard
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Dashboards"
        description={
          canWrite
            ? 'Charts of your datasets, arranged on a grid and shared with the workspace.'
            : 'Dashboards of this workspace. Only editors and above can change them.'
        }
        actions={canWrite ? newButton('new-dashboard') : undefined}
      />
      {canWrite ? <CreateDashboardDialog open={creating} onOpenChange={setCreating} /> : null}
      <Card>
        {dashboards.isPending ? (
          <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading dashboards">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} className="h-10 w-full" />
            ))}
          </div>
        ) : dashboards.isError ? (
          <ErrorState
            error={dashboards.error}
            title="Could not load dashboards"
            onRetry={() => void dashboards.refetch()}
          />
        ) : dashboards.data.length === 0 ? (
          <EmptyState
            as="h2"
            icon={BarChart3}
            title="No dashboards yet"
            description={
              !canWrite
                ? 'Nobody has made a dashboard in this workspace yet.'
                : datasets.isSuccess && !hasDatasets
                  ? 'A dashboard charts a dataset: upload one first.'
                  : 'Create one over a dataset, then add line, bar, pie, number and table panels.'
            }
            action={
              canWrite ? (
                datasets.isSuccess && !hasDatasets ? (
                  <Button asChild>
                    <Link href={datasetHref(tenantId)}>Go to datasets</Link>
                  </Button>
                ) : (
                  newButton('new-dashboard-empty')
                )
              ) : undefined
            }
          />
        ) : (
          <Table data-testid="dashboards-table">
            <TableCaption>Dashboards of {tenant.name}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Dashboard</TableHead>
                <TableHead className="hidden sm:table-cell">Dataset</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Panels</TableHead>
                <TableHead className="hidden md:table-cell">Updated</TableHead>
                {canWrite ? (
                  <TableHead className="w-12">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {dashboards.data.map((dashboard) => (
                <TableRow
                  key={dashboard.id}
                  data-testid="dashboard-row"
                  data-dashboard-id={dashboard.id}
                  data-dashboard-name={dashboard.name}
                >
                  <TableCell>
                    <Link
                      href={dashboardHref(tenantId, dashboard.id)}
                      className="font-medium text-fg underline-offset-4 hover:underline"
                    >
                      {dashboard.name}
                    </Link>
                  </TableCell>
                  <TableCell className="hidden text-fg-muted sm:table-cell">
                    <Link
                      href={datasetHref(tenantId, dashboard.datasetId)}
                      className="underline-offset-4 hover:underline"
                    >
                      {names.get(dashboard.datasetId) ?? 'Dataset'}
                    </Link>
                  </TableCell>
                  <TableCell className="hidden text-right text-fg-muted tabular-nums sm:table-cell">
                    {dashboard.panelCount}
                  </TableCell>
                  <TableCell className="hidden text-fg-muted md:table-cell">
                    <time dateTime={dashboard.updatedAt}>{dateFormat.format(new Date(dashboard.updatedAt))}</time>
                  </TableCell>
                  {canWrite ? (
                    <TableCell>
                      <DashboardActions dashboard={dashboard} />
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

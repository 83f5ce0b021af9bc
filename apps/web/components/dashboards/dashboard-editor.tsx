'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, FileWarning, LayoutDashboard, Lock, Plus, Save } from 'lucide-react';
import {
  ZUpdateDashboardRequest,
  type TDashboard,
  type TPanel,
  type TPanelLayout,
} from '@elasticdash/contracts/datasets/dashboard';
import type { TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { DatasetStatus } from '@/components/datasets/dataset-status';
import { datasetHref } from '@/components/datasets/datasets-view';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { FormError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Loading } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { errorMessage, isApiError } from '@/lib/api';
import { DashboardConflictError, saveDashboard, useDashboard, useDataset } from '@/lib/datasets/api';
import { dashboardKeys } from '@/lib/datasets/cache';
import { clampLayout, newPanelLayout } from '@/lib/datasets/layout';
import { canonicalJson } from '@/lib/datasets/panel-query';
import { dashboardHref } from './create-dashboard-dialog';
import { FiltersBar } from './filters-bar';
import { PanelDialog } from './panel-dialog';
import { PanelGrid, type TPanelActions } from './panel-grid';
import { UnsavedChangesGuard } from '@/components/app/unsaved-guard';

interface TEditable {
  name: string;
  filters: TDatasetFilter[];
  panels: readonly TPanel[];
}

function editableOf(dashboard: TDashboard): TEditable {
  return { name: dashboard.name, filters: dashboard.filters, panels: dashboard.panels };
}

function sameEditable(a: TEditable, b: TEditable): boolean {
  return canonicalJson({ ...a, name: a.name.trim() }) === canonicalJson({ ...b, name: b.name.trim() });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

function ConflictDialog({
  latest,
  onReload,
  onOverwrite,
  onCancel,
  overwriting,
  error,
}: {
  latest: TDashboard | null;
  onReload: () => void;
  onOverwrite: () => void;
  onCancel: () => void;
  overwriting: boolean;
  error: string | null;
}) {
  return (
    <Dialog
      open={latest !== null}
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      {latest ? (
        <DialogContent
          role="alertdialog"
          title="Someone else saved this dashboard"
          description={`Revision ${latest.revision} was saved at ${timeFormat.format(new Date(latest.updatedAt))}, after you opened it. Your changes are not saved yet.`}
          data-testid="dashboard-conflict-dialog"
        >
          <FormError message={error} />
          <DialogFooter>
            <Button variant="ghost" onClick={onCancel}>
              Keep editing
            </Button>
            <Button variant="outline" onClick={onReload} data-testid="dashboard-conflict-reload">
              Reload theirs (discard mine)
            </Button>
            <Button onClick={onOverwrite} loading={overwriting}>
              Overwrite with mine
            </Button>
          </DialogFooter>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function DashboardWorkspace({ initial }: { initial: TDashboard }) {
  const { tenantId, tenant } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const canWrite = hasRole(tenant.role, 'editor');
  const dataset = useDataset(tenantId, initial.datasetId);

  const [saved, setSaved] = useState<TDashboard>(initial);
  const [state, setState] = useState<TEditable>(() => editableOf(initial));
  const [editing, setEditing] = useState<{ panel: TPanel | null; key: number } | null>(null);
  const [conflict, setConflict] = useState<TDashboard | null>(null);
  const [conflictMissing, setConflictMissing] = useState(false);
  const dirty = useMemo(() => !sameEditable(state, editableOf(saved)), [state, saved]);
  const columns = useMemo(() => dataset.data?.columns ?? [], [dataset.data?.columns]);

  const save = useMutation({
    mutationFn: (variables: { sent: TEditable; baseRevision: number }) => {
      const body = ZUpdateDashboardRequest.parse({
        baseRevision: variables.baseRevision,
        name: variables.sent.name,
        filters: variables.sent.filters,
        panels: variables.sent.panels,
      });
      return saveDashboard(tenantId, saved.id, body);
    },
    onSuccess: (dashboard, { sent }) => {
      setSaved(dashboard);
      setConflict(null);
      // Nothing changed while saving: take the server's copy so "clean" is exact.
      setState((current) => (sameEditable(current, sent) ? editableOf(dashboard) : current));
      queryClient.setQueryData(dashboardKeys.detail(tenantId, dashboard.id), { dashboard });
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.list(tenantId) });
      toast({ variant: 'success', title: `Saved revision ${dashboard.revision}` });
    },
    onError: (error) => {
      if (error instanceof DashboardConflictError) {
        if (error.latest) setConflict(error.latest);
        else setConflictMissing(true);
        return;
      }
      if (conflict) return;
      toast({ variant: 'danger', title: 'Could not save the dashboard', description: errorMessage(error) });
    },
  });

  const requestSave = useCallback(
    (baseRevision?: number) => {
      if (!canWrite || save.isPending) return;
      if (!dirty && baseRevision === undefined) {
        toast({ title: `No changes since revision ${saved.revision}` });
        return;
      }
      const check = ZUpdateDashboardRequest.safeParse({
        baseRevision: baseRevision ?? saved.revision,
        name: state.name,
        filters: state.filters,
        panels: state.panels,
      });
      if (!check.success) {
        const issue = check.error.issues[0];
        toast({
          variant: 'danger',
          title: 'Fix this before saving',
          description: issue ? `${issue.path.join('.') || 'dashboard'}: ${issue.message}` : undefined,
        });
        return;
      }
      save.mutate({ sent: state, baseRevision: baseRevision ?? saved.revision });
    },
    [canWrite, dirty, save, saved.revision, state, toast],
  );

  // Ctrl+S / Cmd+S saves.
  const saveRef = useRef(requestSave);
  useEffect(() => {
    saveRef.current = requestSave;
  }, [requestSave]);
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        saveRef.current();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const setPanels = useCallback((update: (panels: readonly TPanel[]) => readonly TPanel[]) => {
    setState((current) => {
      const panels = update(current.panels);
      return panels === current.panels ? current : { ...current, panels };
    });
  }, []);

  const actions = useMemo<TPanelActions>(
    () => ({
      onEdit: (panel) => setEditing({ panel, key: Date.now() }),
      onDuplicate: (panel) =>
        setPanels((panels) => [
          ...panels,
          {
            ...panel,
            id: crypto.randomUUID(),
            title: `${panel.title} (copy)`.slice(0, 120),
            layout: newPanelLayout(panels, panel.type),
          },
        ]),
      onRemove: (panel) => {
        setPanels((panels) => panels.filter((other) => other.id !== panel.id));
        toast({ title: `Removed “${panel.title}”`, description: 'Save to keep the change.' });
      },
      onNudge: (panel, change: Partial<TPanelLayout>) =>
        setPanels((panels) =>
          panels.map((other) =>
            other.id === panel.id ? { ...other, layout: clampLayout({ ...other.layout, ...change }) } : other,
          ),
        ),
    }),
    [setPanels, toast],
  );

  const status = save.isPending
    ? 'Saving…'
    : dirty
      ? `Unsaved changes · revision ${saved.revision}`
      : `Saved · revision ${saved.revision}`;
  const ds = dataset.data;

  return (
    <div className="flex flex-col gap-4" data-testid="dashboard-editor" data-dashboard-id={saved.id}>
      <UnsavedChangesGuard active={canWrite && dirty} what="This dashboard" />
      <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
        <Button variant="ghost" size="icon-sm" asChild>
          <Link href={dashboardHref(tenantId)} aria-label="Back to dashboards">
            <ArrowLeft aria-hidden />
          </Link>
        </Button>
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <h1 className="sr-only">{state.name || 'Dashboard'}</h1>
          <Input
            aria-label="Dashboard name"
            value={state.name}
            readOnly={!canWrite}
            maxLength={120}
            className="h-9 max-w-md border-transparent bg-transparent px-2 text-lg font-semibold hover:border-border focus:border-border-strong read-only:bg-transparent"
            onChange={(event) => {
              const name = event.currentTarget.value;
              setState((current) => ({ ...current, name }));
            }}
            data-testid="dashboard-name"
          />
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 px-2 text-xs text-fg-muted">
            {canWrite ? (
              <span aria-live="polite" data-testid="dashboard-save-status" data-dirty={dirty ? 'true' : 'false'}>
                {status}
              </span>
            ) : (
              <span className="inline-flex items-center gap-1">
                <Lock className="size-3" aria-hidden /> Read only
              </span>
            )}
            {ds ? (
              <span className="inline-flex items-center gap-2">
                Dataset{' '}
                <Link
                  href={datasetHref(tenantId, ds.id)}
                  className="font-medium text-fg underline-offset-4 hover:underline"
                >
                  {ds.name}
                </Link>
                {ds.status !== 'ready' ? <DatasetStatus dataset={ds} compact /> : null}
              </span>
            ) : null}
          </p>
        </div>
        {canWrite ? (
          <div className="flex flex-wrap items-center gap-2">
            <Button
              variant="outline"
              size="sm"
              disabled={!ds || ds.columns.length === 0}
              onClick={() => setEditing({ panel: null, key: Date.now() })}
              data-testid="add-panel"
            >
              <Plus aria-hidden /> Add panel
            </Button>
            <Button
              size="sm"
              variant={dirty ? 'primary' : 'outline'}
              loading={save.isPending}
              onClick={() => requestSave()}
              aria-keyshortcuts="Control+S Meta+S"
              data-testid="dashboard-save"
            >
              <Save aria-hidden /> Save
            </Button>
          </div>
        ) : null}
      </div>

      {ds ? (
        <FiltersBar
          columns={columns}
          filters={state.filters}
          onChange={(filters) => setState((current) => ({ ...current, filters }))}
        />
      ) : null}

      {dataset.isPending ? (
        <Loading label="Loading the dataset…" className="py-12" />
      ) : dataset.isError ? (
        <ErrorState
          error={dataset.error}
          title="Could not load the dataset of this dashboard"
          onRetry={() => void dataset.refetch()}
        />
      ) : ds && ds.version === 0 ? (
        <Card>
          <EmptyState
            as="h2"
            icon={FileWarning}
            title="The dataset has no data yet"
            description="Panels appear once its first import is ready."
          />
        </Card>
      ) : ds && state.panels.length === 0 ? (
        <Card>
          <EmptyState
            as="h2"
            icon={LayoutDashboard}
            title="No panels yet"
            description={
              canWrite
                ? 'Add a panel: a line over time, bars by category, a pie, a single number or a table.'
                : 'Nobody has added panels to this dashboard yet.'
            }
            action={
              canWrite ? (
                <Button onClick={() => setEditing({ panel: null, key: Date.now() })}>
                  <Plus aria-hidden /> Add panel
                </Button>
              ) : undefined
            }
          />
        </Card>
      ) : ds ? (
        <PanelGrid
          panels={state.panels}
          canWrite={canWrite}
          datasetId={ds.id}
          version={ds.version}
          columns={columns}
          dashboardFilters={state.filters}
          actions={actions}
          onPanelsChange={setPanels}
        />
      ) : null}

      {editing && ds ? (
        <PanelDialog
          key={editing.key}
          open
          onOpenChange={(open) => {
            if (!open) setEditing(null);
          }}
          panel={editing.panel}
          columns={columns}
          onSubmit={(values) => {
            const current = editing.panel;
            if (current) {
              setPanels((panels) => panels.map((panel) => (panel.id === current.id ? { ...panel, ...values } : panel)));
            } else {
              setPanels((panels) => [
                ...panels,
                { id: crypto.randomUUID(), ...values, layout: newPanelLayout(panels, values.type) },
              ]);
            }
            setEditing(null);
          }}
        />
      ) : null}

      <ConflictDialog
        latest={conflict}
        overwriting={save.isPending}
        error={
          conflict && save.error && !(save.error instanceof DashboardConflictError) ? errorMessage(save.error) : null
        }
        onCancel={() => setConflict(null)}
        onReload={() => {
          if (!conflict) return;
          setSaved(conflict);
          setState(editableOf(conflict));
          queryClient.setQueryData(dashboardKeys.detail(tenantId, conflict.id), { dashboard: conflict });
          setConflict(null);
          toast({ title: `Loaded revision ${conflict.revision}` });
        }}
        onOverwrite={() => {
          if (conflict) requestSave(conflict.revision);
        }}
      />
      <Dialog open={conflictMissing} onOpenChange={setConflictMissing}>
        <DialogContent
          role="alertdialog"
          title="This dashboard changed or was deleted"
          description="Someone else changed it since you opened it, and it could not be loaded again."
        >
          <DialogFooter>
            <Button asChild variant="outline">
              <Link href={dashboardHref(tenantId)}>Back to dashboards</Link>
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}

/** /dashboards/[dashboardId]: loads the dashboard fresh, then hands it to the editor. */
export function DashboardEditor({ dashboardId }: { dashboardId: string }) {
  const { tenantId } = useCurrentTenant();
  const dashboard = useDashboard(tenantId, dashboardId);
  if (dashboard.isPending || (dashboard.isFetching && !dashboard.isFetchedAfterMount)) {
    return <Loading label="Loading the dashboard…" className="py-12" />;
  }
  if (dashboard.isError) {
    if (isApiError(dashboard.error, 404)) {
      return (
        <EmptyState
          as="h1"
          icon={FileWarning}
          title="Dashboard not found"
          description="It may have been deleted, or it belongs to another workspace."
          action={
            <Button asChild variant="outline">
              <Link href={dashboardHref(tenantId)}>Back to dashboards</Link>
            </Button>
          }
        />
      );
    }
    return (
      <ErrorState
        error={dashboard.error}
        title="Could not load the dashboard"
        onRetry={() => void dashboard.refetch()}
      />
    );
  }
  return <DashboardWorkspace key={`${dashboard.data.id}`} initial={dashboard.data} />;
}

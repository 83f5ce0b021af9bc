'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { ArrowLeft, Download, FileWarning, History, Lock, Rocket, Save, Server } from 'lucide-react';
import type { TDeployment } from '@elasticdash/contracts/deployer/deployment';
import type { TCanvasPosition, TCsJsonDocument, TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import type { TPlan } from '@elasticdash/contracts/plans/plan';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { validatePlan } from '@elasticdash/pg-knowledge/validate';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Input } from '@/components/ui/input';
import { Loading } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { ApiError, errorMessage, isApiError } from '@/lib/api';
import { cn } from '@/lib/cn';
import { deploymentKeys } from '@/lib/deployments/cache';
import { useDeployment } from '@/lib/deployments/queries';
import { busyReason, deploymentStatus, isBusy, isLive } from '@/lib/deployments/status';
import { deployAvailability } from '@/lib/plans/deploy';
import { isDirty, sameDocument } from '@/lib/plans/dirty';
import {
  addPostgres,
  componentIndex,
  emptyDocument,
  exportFileContents,
  exportFileName,
  moveComponent,
  removeComponents,
  uniquePlanName,
  updateComponent,
} from '@/lib/plans/document';
import { collectIssues } from '@/lib/plans/issues';
import {
  createPlan,
  PlanConflictError,
  planKeys,
  restorePlanRevision,
  updatePlan,
  usePlan,
  usePlans,
} from '@/lib/plans/queries';
import { ConflictDialog } from './conflict-dialog';
import { DeployDialog } from './deploy-dialog';
import { DeploymentPanel } from './deployment-panel';
import { PlanCanvas } from './plan-canvas';
import { FieldMessages } from './plan-fields';
import { PropertiesPanel } from './properties-panel';
import { RevisionDrawer } from './revision-drawer';
import { StatusDot } from './status-dot';
import { Tooltip } from './tooltip';
import { UnsavedChangesGuard } from '@/components/app/unsaved-guard';

const NEW_PLAN_NAME = 'Untitled plan';

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

function downloadFile(name: string, contents: string) {
  const url = URL.createObjectURL(new Blob([contents], { type: 'application/json' }));
  const anchor = window.document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  window.document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function DeployButton({
  enabled,
  reason,
  label,
  onDeploy,
}: {
  enabled: boolean;
  reason: string | null;
  label: string;
  onDeploy: () => void;
}) {
  return (
    <Tooltip content={reason ?? `${label} this revision`} align="end">
      {(describedBy) => (
        <Button
          variant={enabled ? 'primary' : 'secondary'}
          aria-disabled={!enabled || undefined}
          aria-describedby={describedBy}
          data-testid="deploy-button"
          className={cn(!enabled && 'cursor-not-allowed opacity-60 hover:bg-muted')}
          onClick={() => {
            if (enabled) onDeploy();
          }}
        >
          <Rocket aria-hidden /> {label}
        </Button>
      )}
    </Tooltip>
  );
}

/** The editor for one plan (or a new one): canvas, properties, save, history, conflicts. */
function PlanWorkspace({ initial, newName }: { initial: TPlan | null; newName: string }) {
  const { tenantId, tenant } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const canWrite = hasRole(tenant.role, 'editor');
  /** Deploying creates real infrastructure: admins and owners (docs/roles.md). */
  const canDeploy = hasRole(tenant.role, 'admin');
  const readOnly = !canWrite;

  const [newBaseline] = useState(() => emptyDocument(newName));
  /** The API's answer about the name (taken in this workspace), for as long as that name is typed. */
  const [nameError, setNameError] = useState<{ name: string; message: string } | null>(null);
  const [saved, setSaved] = useState<TPlan | null>(initial);
  const [document, setDocument] = useState<TCsJsonDocument>(initial?.document ?? newBaseline);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [conflict, setConflict] = useState<TPlan | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [deployOpen, setDeployOpen] = useState(false);
  const [panelOpen, setPanelOpen] = useState(false);
  const deploymentQuery = useDeployment(tenantId, saved?.id ?? null);
  const deployment = deploymentQuery.data ?? null;
  const deploymentView = deploymentStatus(deployment);

  const baseline = saved?.document ?? newBaseline;
  const dirty = useMemo(() => isDirty(baseline, document), [baseline, document]);
  const validation = useMemo(() => validatePlan(document), [document]);
  const issues = useMemo(
    () => collectIssues(document.components.length, validation.errors, validation.warnings),
    [document.components.length, validation],
  );
  const selectedIndex = componentIndex(document, selectedId);
  const selected: TPostgresComponent | null = document.components[selectedIndex] ?? null;

  const afterSave = useCallback(
    (plan: TPlan, sent: TCsJsonDocument, wasNew: boolean) => {
      setSaved(plan);
      setConflict(null);
      // Nothing typed while saving: take the server's copy so that "clean" is exact.
      setDocument((current) => (sameDocument(current, sent) ? plan.document : current));
      queryClient.setQueryData(planKeys.plan(tenantId, plan.id), { plan });
      void queryClient.invalidateQueries({ queryKey: planKeys.all(tenantId), exact: true });
      void queryClient.invalidateQueries({ queryKey: planKeys.revisions(tenantId, plan.id) });
      if (wasNew) {
        // Same page, new address: a reload opens the saved plan (Next keeps the router in sync).
        window.history.replaceState(null, '', `/app/${tenantId}/plans/${plan.id}`);
      }
    },
    [queryClient, tenantId],
  );

  const save = useMutation({
    mutationFn: async ({
      sent,
      planId,
      baseRevision,
    }: {
      sent: TCsJsonDocument;
      planId: string | null;
      baseRevision: number | null;
    }) =>
      planId !== null && baseRevision !== null
        ? updatePlan(tenantId, planId, baseRevision, sent)
        : createPlan(tenantId, sent),
    onSuccess: (plan, { sent, planId }) => {
      afterSave(plan, sent, planId === null);
      toast({ variant: 'success', title: `Saved revision ${plan.revision}` });
    },
    onError: (error, variables) => {
      if (error instanceof PlanConflictError) {
        setConflict(error.latest);
        return;
      }
      if (conflict) return; // shown in the conflict dialog
      const first = error instanceof ApiError ? error.issues[0] : undefined;
      const nameIssue =
        error instanceof ApiError
          ? error.issues.find((issue) => issue.path === 'document.name' || issue.path === 'name')
          : undefined;
      if (nameIssue) setNameError({ name: variables.sent.name, message: nameIssue.message });
      toast({
        variant: 'danger',
        title: 'Could not save the plan',
        description: first ? `${first.path}: ${first.message}` : errorMessage(error),
      });
    },
  });

  const restore = useMutation({
    mutationFn: (revision: number) => {
      if (!saved) throw new Error('The plan is not saved yet.');
      return restorePlanRevision(tenantId, saved.id, revision, saved.revision);
    },
    onSuccess: (plan, revision) => {
      setSaved(plan);
      setDocument(plan.document);
      queryClient.setQueryData(planKeys.plan(tenantId, plan.id), { plan });
      void queryClient.invalidateQueries({ queryKey: planKeys.all(tenantId), exact: true });
      void queryClient.invalidateQueries({ queryKey: planKeys.revisions(tenantId, plan.id) });
      toast({ variant: 'success', title: `Restored revision ${revision} as revision ${plan.revision}` });
    },
  });

  const structuralErrors = validation.document === null ? validation.errors.length : 0;

  const requestSave = useCallback(
    (baseRevision?: number) => {
      if (readOnly || save.isPending) return;
      if (structuralErrors > 0) {
        const first = issues.components.findIndex((component) => component.errorCount > 0);
        if (first >= 0) setSelectedId(document.components[first]?.id ?? null);
        toast({
          variant: 'danger',
          title: `Fix ${plural(structuralErrors, 'error', 'errors')} before saving`,
          description: validation.errors[0]
            ? `${validation.errors[0].path}: ${validation.errors[0].message}`
            : undefined,
        });
        return;
      }
      if (saved && !dirty && baseRevision === undefined) {
        toast({ title: `No changes since revision ${saved.revision}` });
        return;
      }
      save.mutate({ sent: document, planId: saved?.id ?? null, baseRevision: baseRevision ?? saved?.revision ?? null });
    },
    [dirty, document, issues.components, readOnly, save, saved, structuralErrors, toast, validation.errors],
  );

  // Ctrl+S / Cmd+S saves (and never opens the browser's "save page" dialog here).
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

  const onAdd = useCallback(
    (position: TCanvasPosition, via: 'drop' | 'keyboard') => {
      if (readOnly) return;
      const result = addPostgres(document, position);
      setDocument(result.document);
      setSelectedId(result.id);
      if (via === 'keyboard') {
        // Keyboard users continue in the properties panel, on the new node's name.
        requestAnimationFrame(() =>
          window.document
            .querySelector<HTMLInputElement>('[data-testid="properties-panel"] [data-field="name"] input')
            ?.focus(),
        );
      }
    },
    [document, readOnly],
  );
  const onMove = useCallback((id: string, position: TCanvasPosition) => {
    setDocument((current) => moveComponent(current, id, position));
  }, []);
  const onRemove = useCallback(
    (ids: string[]) => {
      if (readOnly) return;
      setDocument((current) => removeComponents(current, ids));
      setSelectedId((current) => (current && ids.includes(current) ? null : current));
    },
    [readOnly],
  );
  const onChangeSelected = useCallback(
    (update: (component: TPostgresComponent) => TPostgresComponent) => {
      if (readOnly || !selectedId) return;
      setDocument((current) => updateComponent(current, selectedId, update));
    },
    [readOnly, selectedId],
  );

  const deploy = deployAvailability({
    canDeploy,
    saved: saved !== null,
    dirty,
    errorCount: validation.errors.length,
    saving: save.isPending,
    busy: deployment && isBusy(deployment) ? busyReason(deployment) : null,
  });

  /** A deploy or destroy was accepted (202): show its state at once; SSE moves it on from here. */
  const afterOperation = useCallback(
    (planId: string, accepted: TDeployment) => {
      queryClient.setQueryData(deploymentKeys.detail(tenantId, planId), accepted);
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.events(tenantId, planId) });
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.list(tenantId) });
    },
    [queryClient, tenantId],
  );

  const status = save.isPending
    ? 'Saving…'
    : !saved
      ? 'Not saved yet'
      : dirty
        ? `Unsaved changes · revision ${saved.revision}`
        : `Saved · revision ${saved.revision}`;

  const firstWithErrors = issues.components.findIndex((component) => component.errorCount > 0);
  const validatorName = issues.document.name ?? { errors: [], warnings: [] };
  const nameMessages =
    nameError && nameError.name === document.name
      ? { errors: [nameError.message, ...validatorName.errors], warnings: validatorName.warnings }
      : validatorName;
  const otherDocumentMessages = Object.entries(issues.document)
    .filter(([key]) => key !== 'name')
    .flatMap(([, messages]) => messages?.errors ?? []);

  return (
    <div className="flex flex-col gap-3 lg:h-[calc(100dvh-3.5rem-4rem)]" data-testid="plan-editor">
      <UnsavedChangesGuard active={canWrite && dirty} what="This plan" />
      <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
        <Button variant="ghost" size="icon-sm" asChild>
          <Link href={`/app/${tenantId}/plans`} aria-label="Back to plans">
            <ArrowLeft aria-hidden />
          </Link>
        </Button>
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <h1 className="sr-only">{document.name || 'Plan'}</h1>
          <Input
            aria-label="Plan name"
            value={document.name}
            readOnly={readOnly}
            maxLength={80}
            aria-invalid={nameMessages.errors.length > 0 || undefined}
            aria-describedby={nameMessages.errors.length > 0 ? 'plan-name-messages' : undefined}
            className="h-9 max-w-md border-transparent bg-transparent px-2 text-lg font-semibold hover:border-border focus:border-border-strong read-only:bg-transparent"
            onChange={(event) => {
              const name = event.currentTarget.value;
              setDocument((current) => ({ ...current, name }));
            }}
          />
          <FieldMessages id="plan-name-messages" messages={nameMessages} />
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 px-2 text-xs text-fg-muted">
            <span aria-live="polite" data-testid="plan-save-status">
              {status}
            </span>
            {validation.errors.length > 0 ? (
              <button
                type="button"
                className="inline-flex items-center gap-1 font-medium text-danger-text underline-offset-2 hover:underline"
                data-testid="plan-error-count"
                onClick={() => {
                  if (firstWithErrors >= 0) setSelectedId(document.components[firstWithErrors]?.id ?? null);
                }}
              >
                <FileWarning className="size-3.5" aria-hidden /> {plural(validation.errors.length, 'error', 'errors')}
              </button>
            ) : document.components.length > 0 ? (
              <span className="text-success-text">No errors</span>
            ) : null}
            {validation.warnings.length > 0 ? (
              <span className="text-warning-text">{plural(validation.warnings.length, 'warning', 'warnings')}</span>
            ) : null}
            {readOnly ? (
              <span className="inline-flex items-center gap-1">
                <Lock className="size-3" aria-hidden /> Read only
              </span>
            ) : null}
            {saved ? (
              <button
                type="button"
                className="inline-flex items-center gap-1 rounded-sm text-left underline-offset-2 hover:underline"
                onClick={() => setPanelOpen(true)}
                aria-haspopup="dialog"
                aria-label={`Deployment: ${deploymentQuery.isError ? 'status unavailable' : deploymentView.label}. Open the deployment panel`}
                data-testid="deployment-open"
              >
                {deploymentQuery.isPending ? (
                  <span className="text-fg-muted">Checking deployment…</span>
                ) : deploymentQuery.isError ? (
                  <span className="text-fg-muted" data-testid="deployment-status" data-status="unknown">
                    Deployment status unavailable
                  </span>
                ) : (
                  <StatusDot status={deploymentView} testId="deployment-status" className="text-xs" />
                )}
              </button>
            ) : null}
          </p>
          <p className="sr-only" aria-live="polite" data-testid="deployment-announcement">
            {saved && deploymentQuery.isSuccess ? deploymentView.announcement : ''}
          </p>
          {otherDocumentMessages.length > 0 ? (
            <FieldMessages id="plan-messages" messages={{ errors: otherDocumentMessages, warnings: [] }} />
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="outline" size="sm" disabled={!saved} onClick={() => setHistoryOpen(true)}>
            <History aria-hidden /> History
          </Button>
          <Button
            variant="outline"
            size="sm"
            onClick={() => downloadFile(exportFileName(document.name), exportFileContents(document))}
          >
            <Download aria-hidden /> Export
          </Button>
          {canWrite ? (
            <Button
              size="sm"
              variant={dirty || !saved ? 'primary' : 'outline'}
              loading={save.isPending}
              onClick={() => requestSave()}
              aria-keyshortcuts="Control+S Meta+S"
              title="Save (Ctrl+S)"
            >
              <Save aria-hidden /> Save
            </Button>
          ) : null}
          <Button
            variant="outline"
            size="sm"
            disabled={!saved}
            onClick={() => setPanelOpen(true)}
            data-testid="deployment-panel-button"
          >
            <Server aria-hidden /> Deployment
          </Button>
          <DeployButton
            enabled={deploy.enabled}
            reason={deploy.reason}
            label={isLive(deployment) ? 'Re-deploy' : 'Deploy'}
            onDeploy={() => setDeployOpen(true)}
          />
        </div>
      </div>

      <div className="flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-border bg-surface lg:flex-row">
        <div className="relative h-[60dvh] min-w-0 lg:h-auto lg:flex-1">
          <ReactFlowProvider>
            <PlanCanvas
              document={document}
              issues={issues}
              selectedId={selected ? selectedId : null}
              readOnly={readOnly}
              onAdd={onAdd}
              onMove={onMove}
              onSelect={setSelectedId}
              onRemove={onRemove}
            />
          </ReactFlowProvider>
        </div>
        <aside
          aria-label="Properties"
          className={cn(
            'bg-surface lg:block lg:w-[22rem] lg:shrink-0 lg:overflow-y-auto lg:border-l lg:border-border',
            selected
              ? 'fixed inset-x-0 bottom-0 z-40 max-h-[80dvh] overflow-y-auto rounded-t-xl border-t border-border shadow-2xl lg:static lg:max-h-none lg:rounded-none lg:border-t-0 lg:shadow-none'
              : 'hidden',
          )}
        >
          {selected ? (
            <PropertiesPanel
              key={selected.id}
              component={selected}
              parsedComponent={validation.document?.components[selectedIndex] ?? null}
              issues={issues.components[selectedIndex]}
              readOnly={readOnly}
              onChange={onChangeSelected}
              onRemove={() => onRemove([selected.id])}
              onClose={() => setSelectedId(null)}
            />
          ) : (
            <div className="flex flex-col gap-3 p-4 text-sm text-fg-muted">
              <h2 className="text-base font-semibold text-fg">Properties</h2>
              <p>
                {document.components.length === 0
                  ? readOnly
                    ? 'This plan is empty.'
                    : 'Add PostgreSQL from the palette: drag it onto the canvas, or focus it and press Enter.'
                  : 'Select a node to see its properties.'}
              </p>
              {document.components.length > 0 ? (
                <ul className="flex flex-col gap-1" aria-label="Components">
                  {document.components.map((component, index) => {
                    const errors = issues.components[index]?.errorCount ?? 0;
                    return (
                      <li key={component.id}>
                        <button
                          type="button"
                          className="flex w-full items-center justify-between gap-2 rounded-md border border-border px-3 py-2 text-left text-fg hover:bg-muted"
                          onClick={() => setSelectedId(component.id)}
                        >
                          <span className="truncate">{component.name || component.id}</span>
                          {errors > 0 ? (
                            <span className="text-xs font-medium text-danger-text">
                              {plural(errors, 'error', 'errors')}
                            </span>
                          ) : null}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </div>
          )}
        </aside>
      </div>

      {saved ? (
        <RevisionDrawer
          open={historyOpen}
          onOpenChange={setHistoryOpen}
          tenantId={tenantId}
          planId={saved.id}
          currentRevision={saved.revision}
          canWrite={canWrite}
          dirty={dirty}
          restoring={restore.isPending}
          restoreError={restore.error}
          onRestore={(revision) =>
            restore.mutateAsync(revision).then(
              () => true,
              () => false,
            )
          }
        />
      ) : null}

      {saved ? (
        <>
          <DeployDialog
            open={deployOpen}
            onOpenChange={setDeployOpen}
            tenantId={tenantId}
            planId={saved.id}
            planName={saved.name}
            revision={saved.revision}
            deployment={deployment}
            onDeployed={(accepted) => {
              afterOperation(saved.id, accepted);
              setDeployOpen(false);
              setPanelOpen(true);
              toast({
                title: `${accepted.state === 'updating' ? 'Re-deploying' : 'Deploying'} revision ${saved.revision}`,
                description: 'Follow the steps in the deployment panel; the status updates live.',
              });
            }}
          />
          <DeploymentPanel
            open={panelOpen}
            onOpenChange={setPanelOpen}
            tenantId={tenantId}
            planId={saved.id}
            deployment={deployment}
            loading={deploymentQuery.isPending}
            error={deploymentQuery.isError ? deploymentQuery.error : null}
            onRetry={() => void deploymentQuery.refetch()}
            canWrite={canDeploy}
            onDestroying={(accepted) => {
              afterOperation(saved.id, accepted);
              toast({ title: `Destroying the deployment of “${accepted.planName}”` });
            }}
          />
        </>
      ) : null}

      <ConflictDialog
        latest={conflict}
        baseRevision={saved?.revision ?? 0}
        mine={document}
        overwriting={save.isPending}
        error={conflict && save.error && !(save.error instanceof PlanConflictError) ? errorMessage(save.error) : null}
        onCancel={() => setConflict(null)}
        onLoadTheirs={() => {
          if (!conflict) return;
          setSaved(conflict);
          setDocument(conflict.document);
          queryClient.setQueryData(planKeys.plan(tenantId, conflict.id), { plan: conflict });
          setConflict(null);
          toast({ title: `Loaded revision ${conflict.revision}` });
        }}
        onOverwrite={() => {
          if (conflict) requestSave(conflict.revision);
        }}
      />
    </div>
  );
}

/** /plans/new (planId null) or /plans/[planId]: loads the plan, then hands it to the workspace. */
export function PlanEditor({ planId }: { planId: string | null }) {
  const { tenantId, tenant } = useCurrentTenant();
  const plan = usePlan(tenantId, planId);
  // A new plan gets a name not used yet (names are unique per workspace).
  const plans = usePlans(tenantId, planId === null);
  const back = (
    <Button asChild variant="outline">
      <Link href={`/app/${tenantId}/plans`}>Back to plans</Link>
    </Button>
  );

  if (planId === null) {
    if (!hasRole(tenant.role, 'editor')) {
      return (
        <EmptyState
          as="h1"
          icon={Lock}
          title="Only editors can create plans"
          description="Ask an admin of this workspace for the editor role."
          action={back}
        />
      );
    }
    if (plans.isPending) return <Loading label="Opening a new plan…" className="py-12" />;
    const taken = plans.data?.map((summary) => summary.name) ?? [];
    return <PlanWorkspace key="new" initial={null} newName={uniquePlanName(NEW_PLAN_NAME, taken)} />;
  }
  if (plan.isPending || (plan.isFetching && !plan.isFetchedAfterMount)) {
    return <Loading label="Loading the plan…" className="py-12" />;
  }
  if (plan.isError) {
    if (isApiError(plan.error, 404)) {
      return (
        <EmptyState
          as="h1"
          icon={FileWarning}
          title="Plan not found"
          description="It may have been deleted, or it belongs to another workspace."
          action={back}
        />
      );
    }
    return <ErrorState error={plan.error} title="Could not load the plan" onRetry={() => void plan.refetch()} />;
  }
  return <PlanWorkspace key={plan.data.id} initial={plan.data} newName={NEW_PLAN_NAME} />;
}

'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import { useRouter } from 'next/navigation';
import { useMutation } from '@tanstack/react-query';
import {
  Activity,
  CheckCircle2,
  Database,
  CircleSlash,
  Eye,
  EyeOff,
  Loader2,
  Server,
  Trash2,
  TriangleAlert,
  X,
  XCircle,
} from 'lucide-react';
import type { TDeployment, TDeploymentCredentialsResponse } from '@elasticdash/contracts/deployer/deployment';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyField } from '@/components/ui/copy-field';
import { ErrorState } from '@/components/ui/error-state';
import { FormError } from '@/components/ui/field';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api';
import { cn } from '@/lib/cn';
import { formatDuration, lastFailure, logRows, type TLogEntry, type TLogRow } from '@/lib/deployments/cache';
import { openInData, revealCredentials, useDeploymentEvents } from '@/lib/deployments/queries';
import { deploymentStatus, failureHint, isBusy, isLive, STATE_LABELS } from '@/lib/deployments/status';
import { BackupsPanel } from './backups-panel';
import { TARGET_LABELS } from './deploy-dialog';
import { DestroyDialog } from './destroy-dialog';
import { StatusDot, ToneDot } from './status-dot';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Settings read back by the monitor, in the order people look for them. */
const HEALTH_SETTINGS = ['server_version', 'max_connections', 'shared_buffers', 'effective_cache_size', 'work_mem'];

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="flex flex-col gap-2" data-testid={testId} aria-label={title}>
      <h3 className="text-sm font-semibold text-fg">{title}</h3>
      {children}
    </section>
  );
}

function StepStatus({ row, busy }: { row: TLogRow; busy: boolean }) {
  switch (row.status) {
    case 'running':
      return busy ? (
        <Badge variant="warning">
          <Loader2 className="size-3 motion-safe:animate-spin" aria-hidden /> running
        </Badge>
      ) : (
        <Badge variant="outline">interrupted</Badge>
      );
    case 'done':
      return (
        <Badge variant="success">
          <CheckCircle2 className="size-3" aria-hidden /> done
        </Badge>
      );
    case 'skipped':
      return (
        <Badge variant="neutral">
          <CircleSlash className="size-3" aria-hidden /> skipped
        </Badge>
      );
    case 'failed':
      return (
        <Badge variant="danger">
          <XCircle className="size-3" aria-hidden /> failed
        </Badge>
      );
    default:
      return null;
  }
}

/** The step log, newest last; follows new lines while scrolled to the bottom. */
function StepLog({ entries, busy }: { entries: readonly TLogEntry[]; busy: boolean }) {
  const rows = logRows(entries);
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const list = listRef.current;
    if (list && stick.current) list.scrollTop = list.scrollHeight;
  }, [rows.length]);
  if (rows.length === 0) return <p className="text-sm text-fg-muted">No steps yet.</p>;
  return (
    <ol
      ref={listRef}
      role="log"
      aria-live="off"
      aria-label="Step log"
      tabIndex={0}
      onScroll={(event) => {
        const list = event.currentTarget;
        stick.current = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
      }}
      className="flex max-h-80 flex-col divide-y divide-border overflow-y-auto rounded-md border border-border"
      data-testid="deployment-log"
    >
      {rows.map((row) => (
        <li
          key={row.key}
          className="flex flex-col gap-0.5 px-3 py-2"
          data-testid="deployment-log-row"
          data-kind={row.kind}
          data-step={row.step ?? undefined}
          data-status={row.status ?? undefined}
          data-state={row.state ?? undefined}
        >
          <span className="flex flex-wrap items-center gap-2 text-xs">
            <time dateTime={row.at} className="text-fg-muted tabular-nums">
              {timeFormat.format(new Date(row.at))}
            </time>
            {row.kind === 'step' ? (
              <>
                <code className="font-mono font-medium text-fg">{row.step}</code>
                <StepStatus row={row} busy={busy} />
                {row.durationMs !== null && row.status !== 'running' ? (
                  <span className="text-fg-muted tabular-nums">{formatDuration(row.durationMs)}</span>
                ) : null}
              </>
            ) : row.kind === 'transition' && row.state ? (
              <span className="inline-flex items-center gap-1.5 font-medium text-fg">
                <ToneDot tone={deploymentStatus({ state: row.state, reason: null }).tone} className="size-2" />
                {STATE_LABELS[row.state]}
              </span>
            ) : (
              <span className="font-medium text-fg-muted">{row.step ?? 'note'}</span>
            )}
          </span>
          {row.message ? (
            <span className={cn('text-xs break-words', row.status === 'failed' ? 'text-danger-text' : 'text-fg-muted')}>
              {row.message}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** Reveals the admin connection string on request (audited); forgotten when the panel closes. */
function ConnectionString({ tenantId, planId }: { tenantId: string; planId: string }) {
  const [credentials, setCredentials] = useState<TDeploymentCredentialsResponse | null>(null);
  const reveal = useMutation({
    mutationFn: () => revealCredentials(tenantId, planId),
    onSuccess: (result) => setCredentials(result),
  });
  if (credentials) {
    return (
      <div className="flex flex-col gap-2" data-testid="deployment-credentials">
        <CopyField
          label="Connection string"
          value={credentials.connectionString}
          testId="deployment-connection-string"
        />
        <Button
          variant="ghost"
          size="sm"
          className="self-start"
          onClick={() => {
            setCredentials(null);
            reveal.reset();
          }}
        >
          <EyeOff aria-hidden /> Hide connection string
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <Button
        variant="outline"
        size="sm"
        className="self-start"
        loading={reveal.isPending}
        onClick={() => reveal.mutate()}
        data-testid="deployment-reveal"
      >
        <Eye aria-hidden /> Show connection string
      </Button>
      <p className="text-xs text-fg-muted">It contains the admin password; every reveal is recorded.</p>
      <FormError message={reveal.error ? errorMessage(reveal.error) : null} />
    </div>
  );
}

/** Registers the database as a Data connection (once) and opens it in the grid. */
function OpenInData({ tenantId, planId }: { tenantId: string; planId: string }) {
  const router = useRouter();
  const open = useMutation({
    mutationFn: () => openInData(tenantId, planId),
    onSuccess: ({ connection }) => router.push(`/app/${tenantId}/data/${connection.id}`),
  });
  return (
    <div className="flex flex-col gap-2">
      <Button
        variant="outline"
        size="sm"
        className="self-start"
        loading={open.isPending}
        onClick={() => open.mutate()}
        data-testid="deployment-open-in-data"
      >
        <Database aria-hidden /> Open in Data
      </Button>
      <FormError message={open.error ? errorMessage(open.error) : null} />
    </div>
  );
}

function Health({ deployment }: { deployment: TDeployment }) {
  const { health } = deployment;
  if (!health) return <p className="text-sm text-fg-muted">No health check yet.</p>;
  const settings = HEALTH_SETTINGS.filter((name) => health.settings[name] !== undefined);
  return (
    <div className="flex flex-col gap-2" data-testid="deployment-health" data-ok={health.ok}>
      <p className="flex flex-wrap items-center gap-2 text-sm">
        {health.ok ? (
          <Badge variant="success">
            <CheckCircle2 className="size-3" aria-hidden /> Healthy
          </Badge>
        ) : (
          <Badge variant="danger">
            <TriangleAlert className="size-3" aria-hidden /> Unhealthy
          </Badge>
        )}
        <span className="text-xs text-fg-muted">
          Last check <time dateTime={health.checkedAt}>{dateFormat.format(new Date(health.checkedAt))}</time>
        </span>
      </p>
      {health.reason ? <p className="text-sm text-danger-text">{health.reason}</p> : null}
      {settings.length > 0 ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
          {settings.map((name) => (
            <div key={name} className="contents" data-setting={name}>
              <dt className="font-mono text-fg-muted">{name}</dt>
              <dd className="font-mono text-fg">{health.settings[name]}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}

function Endpoint({ deployment }: { deployment: TDeployment }) {
  const { endpoint } = deployment;
  if (!endpoint) return <p className="text-sm text-fg-muted">Available once the server is running.</p>;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="deployment-endpoint">
      <dt className="text-fg-muted">Host</dt>
      <dd className="font-mono text-fg" data-testid="deployment-host">
        {host}:{endpoint.port}
      </dd>
      <dt className="text-fg-muted">Database</dt>
      <dd className="font-mono text-fg">{endpoint.database}</dd>
      <dt className="text-fg-muted">User</dt>
      <dd className="font-mono text-fg">{endpoint.user}</dd>
    </dl>
  );
}

/**
 * The plan's deployment in a drawer: its state with colour, what went wrong and what to do, the
 * endpoint and (on request) the connection string, health from the monitor, the live step log,
 * and Destroy behind a typed confirmation.
 */
export function DeploymentPanel({
  open,
  onOpenChange,
  tenantId,
  planId,
  deployment,
  loading,
  error,
  onRetry,
  canWrite,
  onDestroying,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tenantId: string;
  planId: string;
  deployment: TDeployment | null;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  canWrite: boolean;
  onDestroying: (deployment: TDeployment) => void;
}) {
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="animate-fade-in fixed inset-0 z-50 bg-slate-950/40" />
        <DialogPrimitive.Content
          className="fixed inset-y-0 right-0 z-50 flex w-full max-w-md flex-col border-l border-border bg-surface shadow-xl"
          aria-describedby={undefined}
          data-testid="deployment-panel"
        >
          <div className="flex items-center justify-between gap-2 border-b border-border px-4 py-3">
            <DialogPrimitive.Title className="flex items-center gap-2 text-base font-semibold text-fg">
              <Server className="size-4" aria-hidden /> Deployment
            </DialogPrimitive.Title>
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon-sm" aria-label="Close">
                <X aria-hidden />
              </Button>
            </DialogPrimitive.Close>
          </div>
          <div className="flex min-h-0 flex-1 flex-col gap-5 overflow-y-auto p-4">
            {loading ? (
              <div className="flex flex-col gap-2" role="status" aria-label="Loading the deployment">
                <Skeleton className="h-6 w-32" />
                <Skeleton className="h-24 w-full" />
              </div>
            ) : error ? (
              <ErrorState error={error} title="Could not load the deployment" onRetry={onRetry} />
            ) : (
              <PanelBody
                tenantId={tenantId}
                planId={planId}
                deployment={deployment}
                canWrite={canWrite}
                onDestroying={onDestroying}
              />
            )}
          </div>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

function PanelBody({
  tenantId,
  planId,
  deployment,
  canWrite,
  onDestroying,
}: {
  tenantId: string;
  planId: string;
  deployment: TDeployment | null;
  canWrite: boolean;
  onDestroying: (deployment: TDeployment) => void;
}) {
  const events = useDeploymentEvents(tenantId, planId, deployment !== null);
  const [destroying, setDestroying] = useState(false);
  /** After a destroy starts, focus goes to the status (the Destroy button goes away with the server). */
  const statusRef = useRef<HTMLDivElement>(null);
  const destroyStarted = useRef(false);
  const status = deploymentStatus(deployment);
  const busy = isBusy(deployment);
  const entries = events.data ?? [];
  const failure = lastFailure(entries);
  const hint = deployment
    ? failureHint({
        state: deployment.state,
        reason: status.reason,
        failedStep: failure?.step ?? null,
        failedOperation: failure?.operation ?? null,
        healthOk: deployment.health?.ok ?? null,
      })
    : null;

  return (
    <>
      <div
        ref={statusRef}
        tabIndex={-1}
        className="rounded-md outline-none focus-visible:ring-2 focus-visible:ring-accent"
      >
        <Section title="Status" testId="deployment-summary">
          <StatusDot
            // The failure box below says the reason (with the failed step and a hint): not twice.
            status={hint ? { ...status, reason: null } : status}
            testId="deployment-panel-status"
            reasonLines="all"
            className="max-w-none"
          />
          {deployment ? (
            <p className="text-xs text-fg-muted">
              {TARGET_LABELS[deployment.target]}
              {deployment.deployedRevision !== null ? ` · revision ${deployment.deployedRevision} deployed` : ''}
              {deployment.activeOperation
                ? ` · ${deployment.activeOperation.kind} ${deployment.activeOperation.status} (requested by ${deployment.activeOperation.requestedBy})`
                : ''}
            </p>
          ) : (
            <p className="text-sm text-fg-muted">
              This plan has not been deployed. {canWrite ? 'Deploy it to get a running PostgreSQL.' : ''}
            </p>
          )}
        </Section>
      </div>

      {hint && status.reason ? (
        <div data-testid="deployment-failure">
          <Alert variant="danger" title={failure?.step ? `Failed at ${failure.step}: ${status.reason}` : status.reason}>
            <span data-testid="deployment-hint">{hint}</span>
          </Alert>
        </div>
      ) : null}

      {deployment && isLive(deployment) ? (
        <>
          <Section title="Connection" testId="deployment-connection">
            <Endpoint deployment={deployment} />
            {deployment.endpoint && canWrite ? <ConnectionString tenantId={tenantId} planId={planId} /> : null}
            {deployment.endpoint && canWrite && deployment.state === 'running' ? (
              <OpenInData tenantId={tenantId} planId={planId} />
            ) : null}
          </Section>
          <Section title="Health">
            <Health deployment={deployment} />
          </Section>
        </>
      ) : null}

      {deployment ? (
        <Section title="Step log">
          {events.isPending ? (
            <div className="flex flex-col gap-2" role="status" aria-label="Loading the step log">
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-10 w-full" />
            </div>
          ) : events.isError ? (
            <ErrorState
              error={events.error}
              title="Could not load the step log"
              onRetry={() => void events.refetch()}
            />
          ) : (
            <StepLog entries={entries} busy={busy} />
          )}
        </Section>
      ) : null}

      {deployment && deployment.target === 'local' && deployment.state !== 'pending' ? (
        <Section title="Backups" testId="deployment-backups-section">
          <BackupsPanel tenantId={tenantId} planId={planId} deployment={deployment} canWrite={canWrite} />
        </Section>
      ) : null}

      {deployment && isLive(deployment) && canWrite ? (
        <Section title="Destroy">
          <p className="text-sm text-fg-muted">
            Stops and removes the server with its data. The plan stays and can be deployed again.
          </p>
          <Button
            variant="danger"
            size="sm"
            className="self-start"
            disabled={busy}
            title={busy ? 'Wait for the operation in progress to finish.' : undefined}
            onClick={() => {
              destroyStarted.current = false;
              setDestroying(true);
            }}
            data-testid="deployment-destroy"
          >
            <Trash2 aria-hidden /> Destroy…
          </Button>
          <DestroyDialog
            open={destroying}
            onOpenChange={setDestroying}
            tenantId={tenantId}
            planId={planId}
            planName={deployment.planName}
            onDestroying={(result) => {
              destroyStarted.current = true;
              setDestroying(false);
              onDestroying(result);
            }}
            onCloseAutoFocus={(event) => {
              if (!destroyStarted.current) return;
              event.preventDefault();
              statusRef.current?.focus();
            }}
          />
        </Section>
      ) : null}

      {deployment?.state === 'running' && deployment.health?.ok ? (
        <p className="flex items-center gap-1.5 text-xs text-fg-muted">
          <Activity className="size-3.5" aria-hidden /> Watched by the monitor: it turns red with the reason if the
          server stops answering.
        </p>
      ) : null}
    </>
  );
}

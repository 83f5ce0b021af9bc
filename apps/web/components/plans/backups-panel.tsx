'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, CircleSlash, DatabaseBackup, Loader2, RotateCcw, XCircle } from 'lucide-react';
import type { TBackup, TListBackupsResponse } from '@elasticdash/contracts/deployer/backups';
import type { TDeployment } from '@elasticdash/contracts/deployer/deployment';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { FormError } from '@/components/ui/field';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api';
import { cn } from '@/lib/cn';
import { backUpNow, useBackups, validateBackup } from '@/lib/deployments/backups';
import { backupVerdict, formatBytes, upsertBackup } from '@/lib/deployments/backups-cache';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Verdict({ backup }: { backup: TBackup }) {
  const verdict = backupVerdict(backup);
  switch (verdict.tone) {
    case 'ok':
      return (
        <Badge variant="success">
          <CheckCircle2 className="size-3" aria-hidden /> {verdict.label.toLowerCase()}
        </Badge>
      );
    case 'bad':
      return (
        <Badge variant="danger">
          <XCircle className="size-3" aria-hidden /> {verdict.label.toLowerCase()}
        </Badge>
      );
    case 'busy':
      return (
        <Badge variant="warning">
          <Loader2 className="size-3 motion-safe:animate-spin" aria-hidden /> {verdict.label.toLowerCase()}
        </Badge>
      );
    default:
      return (
        <Badge variant="neutral">
          <CircleSlash className="size-3" aria-hidden /> {verdict.label.toLowerCase()}
        </Badge>
      );
  }
}

/** Per table: rows at backup time and after the restore; differing rows first and marked. */
function CountsTable({ backup }: { backup: TBackup }) {
  const source = backup.tableCounts ?? {};
  const restored = backup.validationDetails?.restoredCounts ?? null;
  const bad = new Set(backup.validationDetails?.mismatches.map((m) => m.table) ?? []);
  const tables = Object.keys(source).sort((a, b) => Number(bad.has(b)) - Number(bad.has(a)) || a.localeCompare(b));
  if (tables.length === 0) return <p className="text-xs text-fg-muted">The database had no tables.</p>;
  return (
    <table className="w-full text-xs" data-testid="backup-counts">
      <thead>
        <tr className="text-left text-fg-muted">
          <th className="py-1 pr-2 font-medium">Table</th>
          <th className="py-1 pr-2 text-right font-medium">At backup</th>
          <th className="py-1 text-right font-medium">Restored</th>
        </tr>
      </thead>
      <tbody>
        {tables.map((table) => {
          const differs = bad.has(table);
          const after = restored?.[table];
          return (
            <tr key={table} data-table={table} data-mismatch={differs || undefined}>
              <td className={cn('py-0.5 pr-2 font-mono break-all', differs ? 'text-danger-text' : 'text-fg')}>
                {table}
              </td>
              <td className="py-0.5 pr-2 text-right tabular-nums">{source[table]}</td>
              <td className={cn('py-0.5 text-right tabular-nums', differs ? 'font-medium text-danger-text' : '')}>
                {after === undefined ? (restored ? 'missing' : '—') : after}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function BackupRow({
  backup,
  canWrite,
  canValidate,
  onValidate,
  validating,
}: {
  backup: TBackup;
  canWrite: boolean;
  canValidate: boolean;
  onValidate: () => void;
  validating: boolean;
}) {
  const verdict = backupVerdict(backup);
  const stored = backup.status === 'succeeded' && !backup.expiredAt;
  return (
    <li
      className="flex flex-col gap-1 px-3 py-2"
      data-testid="backup-row"
      data-status={backup.status}
      data-validation={backup.validation}
    >
      <span className="flex flex-wrap items-center gap-2 text-xs">
        <time dateTime={backup.startedAt} className="text-fg tabular-nums">
          {dateFormat.format(new Date(backup.startedAt))}
        </time>
        <Badge variant="outline">{backup.trigger === 'manual' ? 'manual' : 'scheduled'}</Badge>
        <Verdict backup={backup} />
        {backup.sizeBytes !== null ? (
          <span className="text-fg-muted tabular-nums">{formatBytes(backup.sizeBytes)}</span>
        ) : null}
        {backup.totalRows !== null ? (
          <span className="text-fg-muted tabular-nums">
            {backup.tableCount} table{backup.tableCount === 1 ? '' : 's'}, {backup.totalRows} rows
          </span>
        ) : null}
        {backup.expiredAt ? <Badge variant="neutral">expired</Badge> : null}
      </span>
      {verdict.reason ? (
        <span
          className={cn('text-xs break-words', verdict.tone === 'bad' ? 'text-danger-text' : 'text-fg-muted')}
          data-testid="backup-reason"
        >
          {verdict.reason}
        </span>
      ) : null}
      {backup.tableCounts && (backup.validation === 'passed' || backup.validation === 'failed') ? (
        <details className="text-xs" open={backup.validation === 'failed'}>
          <summary className="cursor-pointer text-fg-muted select-none">
            Row counts: at backup vs restored
            {backup.validationDetails?.durationMs != null
              ? ` (restore ${Math.round(backup.validationDetails.durationMs / 100) / 10} s)`
              : ''}
          </summary>
          <div className="mt-1">
            <CountsTable backup={backup} />
          </div>
        </details>
      ) : null}
      {canWrite && stored && backup.validation !== 'pending' ? (
        <Button
          variant="ghost"
          size="sm"
          className="self-start"
          disabled={!canValidate}
          loading={validating}
          onClick={onValidate}
          data-testid="backup-validate"
        >
          <RotateCcw aria-hidden /> Validate again
        </Button>
      ) : null}
    </li>
  );
}

function scheduleLine(schedule: TListBackupsResponse['schedule']): string {
  if (!schedule) return 'The deployed plan has no backup settings.';
  if (!schedule.enabled) return 'Scheduled backups are off in the plan; you can still back up now.';
  return `Scheduled: "${schedule.cron}" (UTC), kept ${schedule.retentionDays} day${schedule.retentionDays === 1 ? '' : 's'}${
    schedule.validateByRestore ? ', each validated by a test restore' : ''
  }.`;
}

/**
 * The deployment's backups: every run with its trigger, size and verdict (a failed backup or a
 * failed validation is red with its reason, never hidden), the per-table counts behind each
 * validation, "Back up now" and "Validate again" for admins. Live over `deployment.backup`.
 */
export function BackupsPanel({
  tenantId,
  planId,
  deployment,
  canWrite,
}: {
  tenantId: string;
  planId: string;
  deployment: TDeployment;
  canWrite: boolean;
}) {
  const queryClient = useQueryClient();
  const backups = useBackups(tenantId, planId, true);
  const create = useMutation({
    mutationFn: () => backUpNow(tenantId, planId),
    onSuccess: (backup) => upsertBackup(queryClient, tenantId, planId, backup),
  });
  const validate = useMutation({
    mutationFn: (backupId: string) => validateBackup(tenantId, planId, backupId),
    onSuccess: (backup) => upsertBackup(queryClient, tenantId, planId, backup),
  });
  const list = backups.data?.backups ?? [];
  const running = list.find((b) => b.status === 'running');
  const live = deployment.state === 'running';
  const blocked = !live
    ? 'Backups need a running database.'
    : running
      ? 'A backup is running; wait for it to finish.'
      : null;

  return (
    <div className="flex flex-col gap-2" data-testid="deployment-backups">
      {backups.data ? <p className="text-xs text-fg-muted">{scheduleLine(backups.data.schedule)}</p> : null}
      {canWrite ? (
        <div className="flex flex-col gap-1">
          <Button
            variant="outline"
            size="sm"
            className="self-start"
            disabled={blocked !== null}
            title={blocked ?? undefined}
            loading={create.isPending}
            onClick={() => create.mutate()}
            data-testid="backup-now"
          >
            <DatabaseBackup aria-hidden /> Back up now
          </Button>
          <FormError message={create.error ? errorMessage(create.error) : null} />
        </div>
      ) : null}
      {backups.isPending ? (
        <div className="flex flex-col gap-2" role="status" aria-label="Loading the backups">
          <Skeleton className="h-10 w-full" />
        </div>
      ) : backups.isError ? (
        <ErrorState error={backups.error} title="Could not load the backups" onRetry={() => void backups.refetch()} />
      ) : list.length === 0 ? (
        <p className="text-sm text-fg-muted">No backups yet.</p>
      ) : (
        <ol
          aria-label="Backups"
          aria-live="polite"
          className="flex max-h-96 flex-col divide-y divide-border overflow-y-auto rounded-md border border-border"
          data-testid="backup-list"
        >
          {list.map((backup) => (
            <BackupRow
              key={backup.id}
              backup={backup}
              canWrite={canWrite}
              canValidate={live}
              validating={validate.isPending && validate.variables === backup.id}
              onValidate={() => validate.mutate(backup.id)}
            />
          ))}
        </ol>
      )}
      <FormError message={validate.error ? errorMessage(validate.error) : null} />
    </div>
  );
}

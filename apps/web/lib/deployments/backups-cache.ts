import type { QueryClient } from '@tanstack/react-query';
import type { TBackup, TListBackupsResponse } from '@elasticdash/contracts/deployer/backups';
import type { TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';

/*
 * Backups in the query cache (pure, unit-tested in tests/unit/web-backups.test.ts). No relative
 * import, so the unit tests load this file as it is.
 */

/** Only what is used, so tests pass a small fake (the same as cache.ts's). */
type TCacheWriter = Pick<QueryClient, 'setQueryData' | 'invalidateQueries'>;

export const backupKeys = {
  /** Under `deploymentKeys.plan(…)` (checked by the unit test): a reset of the deployment caches refetches it. */
  list: (tenantId: string, planId: string) =>
    ['tenant', tenantId, 'deployments', 'by-plan', planId, 'backups'] as const,
};

/** Puts a backup the API just returned at the top of the cached list (or replaces it there). */
export function upsertBackup(client: TCacheWriter, tenantId: string, planId: string, backup: TBackup): void {
  client.setQueryData<TListBackupsResponse | null>(backupKeys.list(tenantId, planId), (old) => {
    if (!old) return old;
    const rest = old.backups.filter((b) => b.id !== backup.id);
    const known = old.backups.some((b) => b.id === backup.id);
    return {
      ...old,
      backups: known ? old.backups.map((b) => (b.id === backup.id ? backup : b)) : [backup, ...rest],
    };
  });
}

/**
 * `deployment.backup`: the row's status, validation and reason change at once (red or green with
 * no request), then the list is refetched for what the event does not carry (size, per-table
 * details).
 */
export function applyBackupEvent(client: TCacheWriter, tenantId: string, envelope: TRealtimeEnvelope): void {
  const { event } = envelope;
  if (event.type !== 'deployment.backup') return;
  client.setQueryData<TListBackupsResponse | null>(backupKeys.list(tenantId, event.planId), (old) => {
    if (!old) return old;
    return {
      ...old,
      backups: old.backups.map((b) =>
        b.id === event.backupId
          ? {
              ...b,
              status: event.status,
              validation: event.validation,
              error: event.status === 'failed' ? event.message : b.error,
            }
          : b,
      ),
    };
  });
  void client.invalidateQueries({ queryKey: backupKeys.list(tenantId, event.planId) });
}

/** 1.2 MB, 840 kB, 512 B (decimal units, like S3 consoles). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export type TBackupTone = 'ok' | 'busy' | 'bad' | 'neutral';

/** What a row says in one line: a failed backup or a failed validation is red, with the reason. */
export function backupVerdict(backup: TBackup): { tone: TBackupTone; label: string; reason: string | null } {
  if (backup.status === 'running') return { tone: 'busy', label: 'Backing up', reason: null };
  if (backup.status === 'failed') {
    return { tone: 'bad', label: 'Backup failed', reason: backup.error ?? 'no reason was recorded' };
  }
  switch (backup.validation) {
    case 'passed':
      return { tone: 'ok', label: 'Validation passed', reason: null };
    case 'failed':
      return {
        tone: 'bad',
        label: 'Validation failed',
        reason: backup.validationDetails?.message ?? 'the restore did not reproduce the backup',
      };
    case 'pending':
      return { tone: 'busy', label: 'Validating', reason: null };
    default:
      return {
        tone: 'neutral',
        label: 'Not validated',
        reason: backup.validationDetails?.message ?? null,
      };
  }
}

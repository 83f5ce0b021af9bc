import type { TBackupTableMismatch } from '@elasticdash/contracts/deployer/backups';

/*
 * The pure rules of backups (unit-tested in backup-rules.spec.ts): where an object goes, what a
 * restore must show, and what retention may delete.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(value: string, what: string): string {
  if (!UUID.test(value)) throw new Error(`not a ${what} id: ${value}`);
  return value.toLowerCase();
}

/**
 * `backups/<tenantId>/<deploymentId>/<timestamp>-<backupId>.dump` in the platform bucket. Only ids
 * and the time go into the key (never a plan-supplied prefix), so one tenant cannot address
 * another's objects; the timestamp first makes a listing sort by age.
 */
export function backupObjectKey(tenantId: string, deploymentId: string, backupId: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return `${backupDeploymentPrefix(tenantId, deploymentId)}${stamp}-${uuid(backupId, 'backup')}.dump`;
}

export function backupDeploymentPrefix(tenantId: string, deploymentId: string): string {
  return `backups/${uuid(tenantId, 'tenant')}/${uuid(deploymentId, 'deployment')}/`;
}

/** The scratch database a backup is restored into (≤ 63 bytes, a plain identifier). */
export function scratchDatabaseName(backupId: string): string {
  return `ed_restore_${uuid(backupId, 'backup').replace(/-/g, '')}`;
}

export interface CountComparison {
  passed: boolean;
  mismatches: TBackupTableMismatch[];
  message: string;
}

/**
 * Every table counted at dump time must be in the restore with the same number of rows. Tables
 * only in the restore cannot happen (the restore is of that dump) and are ignored.
 */
export function compareCounts(source: Record<string, number>, restored: Record<string, number>): CountComparison {
  const mismatches: TBackupTableMismatch[] = [];
  for (const table of Object.keys(source).sort()) {
    const expected = source[table] ?? 0;
    const actual = restored[table];
    if (actual === undefined) mismatches.push({ table, source: expected, restored: null });
    else if (actual !== expected) mismatches.push({ table, source: expected, restored: actual });
  }
  const tables = Object.keys(source).length;
  if (mismatches.length === 0) {
    const rows = Object.values(source).reduce((sum, n) => sum + n, 0);
    return {
      passed: true,
      mismatches,
      message: `restored ${tables} table${tables === 1 ? '' : 's'} with the same row counts (${rows} rows)`,
    };
  }
  const shown = mismatches
    .slice(0, 5)
    .map((m) =>
      m.restored === null
        ? `${m.table}: ${m.source} at backup, missing after the restore`
        : `${m.table}: ${m.source} at backup, ${m.restored} restored`,
    );
  const more = mismatches.length > 5 ? `; and ${mismatches.length - 5} more` : '';
  return { passed: false, mismatches, message: `row counts differ: ${shown.join('; ')}${more}` };
}

export interface RetentionRow {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  validation: 'pending' | 'passed' | 'failed' | 'skipped';
  startedAt: Date;
  objectKey: string | null;
  expiredAt: Date | null;
}

/**
 * The backups whose objects retention deletes: succeeded, not expired yet, started more than
 * `retentionDays` ago, and neither the newest successful backup nor the newest one that passed
 * validation (a deployment always keeps something to restore, however old).
 */
export function expiredBackups(rows: readonly RetentionRow[], retentionDays: number, now: Date): RetentionRow[] {
  const days = Math.max(1, retentionDays);
  const cutoff = now.getTime() - days * 24 * 3600 * 1000;
  const live = rows.filter((r) => r.status === 'succeeded' && r.expiredAt === null && r.objectKey !== null);
  const newest = (list: RetentionRow[]) =>
    list.reduce<RetentionRow | null>((best, r) => (!best || r.startedAt > best.startedAt ? r : best), null);
  const keep = new Set<string>();
  const latest = newest(live);
  if (latest) keep.add(latest.id);
  const latestPassed = newest(live.filter((r) => r.validation === 'passed'));
  if (latestPassed) keep.add(latestPassed.id);
  return live.filter((r) => !keep.has(r.id) && r.startedAt.getTime() < cutoff);
}

/** The last lines of a tool's stderr, for an error message (bounded). */
export function lastLines(text: string, n = 4): string {
  return text.trim().split('\n').filter(Boolean).slice(-n).join(' | ').slice(0, 600);
}

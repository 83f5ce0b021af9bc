import { describe, expect, it } from 'vitest';
import type { TBackup, TListBackupsResponse } from '@elasticdash/contracts/deployer/backups';
import type { TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';
import {
  applyBackupEvent,
  backupKeys,
  backupVerdict,
  formatBytes,
  upsertBackup,
} from '../../apps/web/lib/deployments/backups-cache.js';
import { deploymentKeys, type TCacheWriter } from '../../apps/web/lib/deployments/cache.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const PLAN = '22222222-2222-4222-8222-222222222222';
const DEPLOYMENT = '44444444-4444-4444-8444-444444444444';
const B1 = '33333333-3333-4333-8333-333333333333';
const B2 = '55555555-5555-4555-8555-555555555555';

function backup(id: string, patch: Partial<TBackup> = {}): TBackup {
  return {
    id,
    deploymentId: DEPLOYMENT,
    trigger: 'manual',
    status: 'running',
    error: null,
    bucket: null,
    objectKey: null,
    sizeBytes: null,
    tableCounts: null,
    tableCount: null,
    totalRows: null,
    validation: 'pending',
    validationDetails: null,
    validatedAt: null,
    startedAt: '2026-11-22T07:00:00.000Z',
    finishedAt: null,
    expiredAt: null,
    ...patch,
  };
}

/** A cache with setQueryData/invalidateQueries that records what happened. */
function fakeCache(initial: TListBackupsResponse | null) {
  const data = new Map<string, unknown>([[JSON.stringify(backupKeys.list(TENANT, PLAN)), initial]]);
  const invalidated: unknown[] = [];
  const client = {
    setQueryData: (key: readonly unknown[], update: (old: unknown) => unknown) => {
      const k = JSON.stringify(key);
      data.set(k, update(data.get(k)));
    },
    invalidateQueries: async (filters: { queryKey: readonly unknown[] }) => {
      invalidated.push(filters.queryKey);
    },
  } as unknown as TCacheWriter;
  return {
    client,
    invalidated,
    list: () => data.get(JSON.stringify(backupKeys.list(TENANT, PLAN))) as TListBackupsResponse | null,
  };
}

function envelope(event: TRealtimeEnvelope['event']): TRealtimeEnvelope {
  return { id: '1-0', tenantId: TENANT, at: '2026-11-22T07:00:01.000Z', requestId: null, event };
}

describe('backup cache', () => {
  it('keys live under the plan deployment keys (a deployment reset refetches them)', () => {
    expect(backupKeys.list(TENANT, PLAN).slice(0, 5)).toEqual([...deploymentKeys.plan(TENANT, PLAN)]);
  });

  it('deployment.backup turns the row red with the reason at once, then refetches the list', () => {
    const cache = fakeCache({ backups: [backup(B1), backup(B2, { status: 'succeeded' })], schedule: null });
    applyBackupEvent(
      cache.client,
      TENANT,
      envelope({
        type: 'deployment.backup',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        backupId: B1,
        status: 'failed',
        validation: 'skipped',
        message: 'pg_dump failed: permission denied for sequence s',
      }),
    );
    const [first, second] = cache.list()!.backups;
    expect(first).toMatchObject({
      status: 'failed',
      validation: 'skipped',
      error: 'pg_dump failed: permission denied for sequence s',
    });
    expect(second).toMatchObject({ status: 'succeeded' });
    expect(cache.invalidated).toEqual([backupKeys.list(TENANT, PLAN)]);
  });

  it('ignores other events and leaves an unloaded list alone', () => {
    const cache = fakeCache(null);
    applyBackupEvent(
      cache.client,
      TENANT,
      envelope({
        type: 'deployment.step',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        operationId: B1,
        step: 'start',
        status: 'done',
        message: 'done: started',
        durationMs: 1,
      }),
    );
    expect(cache.invalidated).toEqual([]);
    expect(cache.list()).toBeNull();
  });

  it('upsertBackup puts a new backup first and replaces a known one', () => {
    const cache = fakeCache({ backups: [backup(B2, { status: 'succeeded' })], schedule: null });
    upsertBackup(cache.client, TENANT, PLAN, backup(B1));
    expect(cache.list()!.backups.map((b) => b.id)).toEqual([B1, B2]);
    upsertBackup(cache.client, TENANT, PLAN, backup(B2, { status: 'succeeded', validation: 'pending' }));
    expect(cache.list()!.backups.map((b) => [b.id, b.validation])).toEqual([
      [B1, 'pending'],
      [B2, 'pending'],
    ]);
  });
});

describe('backupVerdict', () => {
  it('a failed backup is red with its error', () => {
    expect(backupVerdict(backup(B1, { status: 'failed', error: 'boom', validation: 'skipped' }))).toEqual({
      tone: 'bad',
      label: 'Backup failed',
      reason: 'boom',
    });
  });
  it('a failed validation is red with the mismatch message', () => {
    const v = backupVerdict(
      backup(B1, {
        status: 'succeeded',
        validation: 'failed',
        validationDetails: {
          message: 'row counts differ: public.orders: 1000 at backup, 998 restored',
          scratchDatabase: 'x',
          tablesCompared: 1,
          mismatches: [{ table: 'public.orders', source: 1000, restored: 998 }],
          restoredCounts: { 'public.orders': 998 },
          durationMs: 10,
        },
      }),
    );
    expect(v).toEqual({
      tone: 'bad',
      label: 'Validation failed',
      reason: 'row counts differ: public.orders: 1000 at backup, 998 restored',
    });
  });
  it('passed, pending, running', () => {
    expect(backupVerdict(backup(B1, { status: 'succeeded', validation: 'passed' })).label).toBe('Validation passed');
    expect(backupVerdict(backup(B1, { status: 'succeeded', validation: 'pending' })).tone).toBe('busy');
    expect(backupVerdict(backup(B1)).label).toBe('Backing up');
  });
});

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect([formatBytes(null), formatBytes(512), formatBytes(840_000), formatBytes(1_234_567)]).toEqual([
      '—',
      '512 B',
      '840 kB',
      '1.2 MB',
    ]);
  });
});

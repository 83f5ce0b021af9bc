import { describe, expect, it } from 'vitest';
import type {
  TDeployment,
  TDeploymentEventRecord,
  TListDeploymentsResponse,
} from '@elasticdash/contracts/deployer/deployment';
import type { TRealtimeEnvelope, TRealtimeEvent } from '@elasticdash/contracts/realtime/event';
import {
  appendLive,
  applyDeploymentEvent,
  deploymentKeys,
  entryFromRecord,
  formatDuration,
  lastFailure,
  logRows,
  mergeLog,
  messageBody,
  resetDeploymentCaches,
  stepStatusOf,
  type TCacheWriter,
  type TLiveStep,
  type TLogEntry,
} from '../../apps/web/lib/deployments/cache.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const PLAN = '22222222-2222-4222-8222-222222222222';
const DEPLOYMENT = '44444444-4444-4444-8444-444444444444';
const OP = '33333333-3333-4333-8333-333333333333';
const OP2 = '55555555-5555-4555-8555-555555555555';

let nextId = 1;
function record(partial: Partial<TDeploymentEventRecord>): TDeploymentEventRecord {
  return {
    id: nextId++,
    operationId: OP,
    at: '2026-11-22T05:00:00.000Z',
    kind: 'step',
    state: null,
    step: null,
    message: '',
    durationMs: null,
    ...partial,
  };
}

function live(id: string, partial: Partial<TLiveStep>): TLiveStep {
  return {
    id,
    at: '2026-11-22T05:00:01.000Z',
    operationId: OP,
    step: 'initdb',
    status: 'started',
    message: 'started',
    durationMs: null,
    ...partial,
  };
}

describe('step messages', () => {
  it('reads the status prefix the worker writes and strips it for display', () => {
    expect(stepStatusOf('started')).toBe('started');
    expect(stepStatusOf('done: port 40123, directory /x')).toBe('done');
    expect(stepStatusOf('skipped: done in an earlier run of this operation')).toBe('skipped');
    expect(stepStatusOf('failed: initdb exited with 1')).toBe('failed');
    expect(stepStatusOf('deploy started')).toBeNull();
    expect(stepStatusOf('doneness')).toBeNull();
    expect(messageBody({ kind: 'step', message: 'done: PostgreSQL started on port 5433' })).toBe(
      'PostgreSQL started on port 5433',
    );
    expect(messageBody({ kind: 'transition', message: 'done: not a step' })).toBe('done: not a step');
    expect(entryFromRecord(record({ step: 'x', message: 'something' })).status).toBe('done');
    expect(entryFromRecord(record({ kind: 'transition', state: 'running', message: 'deploy finished' })).status).toBe(
      null,
    );
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2400)).toBe('2.4 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
  });
});

describe('merging the stored log with live steps', () => {
  it('keeps records in id order, then live steps no record covers', () => {
    const started = record({ id: 11, step: 'initdb', message: 'started' });
    const transition = record({ id: 10, kind: 'transition', state: 'provisioning', message: 'deploy started' });
    const previous: TLogEntry[] = [];
    const withLive = appendLive(
      appendLive(previous, live('1-0', {})),
      live('2-0', { status: 'done', message: 'done: initialised', durationMs: 900 }),
    );
    const merged = mergeLog([started, transition], withLive);
    expect(merged.map((entry) => entry.key)).toEqual(['r:10', 'r:11', 'l:2-0']);
    expect(merged[2]).toMatchObject({ source: 'live', status: 'done', durationMs: 900 });
  });

  it('drops every live step once its record is fetched, and keeps records only', () => {
    const log = appendLive([], live('1-0', {}));
    const merged = mergeLog([record({ id: 20, step: 'initdb', message: 'started' })], log);
    expect(merged.map((entry) => entry.key)).toEqual(['r:20']);
  });

  it('matches records and live steps one to one (a resumed operation starts a step twice)', () => {
    const log = appendLive(
      mergeLog([record({ id: 30, step: 'start', message: 'started' })], []),
      live('9-0', { step: 'start' }),
    );
    // The live "started" looks like the stored one: kept out until a refetch tells them apart.
    expect(log.map((entry) => entry.key)).toEqual(['r:30']);
    const resumed = mergeLog(
      [record({ id: 30, step: 'start', message: 'started' }), record({ id: 31, step: 'start', message: 'started' })],
      [...log, entryFromRecord(record({ id: 99 }))].filter((entry) => entry.source === 'live'),
    );
    expect(resumed.map((entry) => entry.key)).toEqual(['r:30', 'r:31']);
    // Two identical live steps and one record: one live step stays.
    const twoLive: TLogEntry[] = [
      { ...entryFromRecord(record({ step: 'start', message: 'started' })), key: 'l:1-0', source: 'live' },
      { ...entryFromRecord(record({ step: 'start', message: 'started' })), key: 'l:2-0', source: 'live' },
    ];
    expect(mergeLog([record({ id: 40, step: 'start', message: 'started' })], twoLive).map((e) => e.key)).toEqual([
      'r:40',
      'l:2-0',
    ]);
  });

  it('ignores a replayed SSE event and a step of another operation is not a duplicate', () => {
    const once = appendLive([], live('1-0', {}));
    expect(appendLive(once, live('1-0', {}))).toBe(once);
    const other = appendLive(once, live('2-0', { operationId: OP2 }));
    expect(other).toHaveLength(2);
  });
});

describe('log rows', () => {
  it('folds a step start and its finish into one row with the duration', () => {
    const entries = mergeLog([
      record({ id: 1, kind: 'transition', state: 'provisioning', message: 'deploy started' }),
      record({ id: 2, step: 'allocate', message: 'started', at: '2026-11-22T05:00:00.100Z' }),
      record({ id: 3, step: 'allocate', message: 'done: port 40123', durationMs: 12 }),
      record({ id: 4, step: 'initdb', message: 'started' }),
    ]);
    const rows = logRows(entries);
    expect(rows.map((row) => [row.kind, row.step, row.status, row.message])).toEqual([
      ['transition', null, null, 'deploy started'],
      ['step', 'allocate', 'done', 'port 40123'],
      ['step', 'initdb', 'running', ''],
    ]);
    expect(rows[1]).toMatchObject({ key: 'r:2', at: '2026-11-22T05:00:00.100Z', durationMs: 12 });
  });

  it('keeps one row when a resumed step starts again, and shows a finish without a start', () => {
    const rows = logRows(
      mergeLog([
        record({ id: 1, step: 'start', message: 'started' }),
        record({ id: 2, step: 'start', message: 'started' }),
        record({ id: 3, step: 'start', message: 'failed: pg_ctl exited with 1', durationMs: 300 }),
        record({
          id: 4,
          step: 'configure',
          message: 'skipped: done in an earlier run of this operation',
          durationMs: 0,
        }),
      ]),
    );
    expect(rows.map((row) => [row.step, row.status, row.message])).toEqual([
      ['start', 'failed', 'pg_ctl exited with 1'],
      ['configure', 'skipped', 'done in an earlier run of this operation'],
    ]);
  });
});

describe('last failure', () => {
  it('names the failed step and operation of the latest operation only', () => {
    const failedFirst = [
      record({ id: 1, operationId: OP, step: 'configure', message: 'failed: bad parameter' }),
      record({ id: 2, operationId: OP, kind: 'transition', state: 'failed', message: 'deploy failed' }),
    ];
    expect(lastFailure(mergeLog(failedFirst))).toEqual({
      step: 'configure',
      operation: 'deploy',
      message: 'bad parameter',
    });
    const fixedLater = mergeLog([
      ...failedFirst,
      record({ id: 3, operationId: OP2, kind: 'transition', state: 'updating', message: 're-deploy started' }),
      record({ id: 4, operationId: OP2, kind: 'transition', state: 'running', message: 're-deploy finished' }),
      // A monitor verdict carries no operation: the latest operation is still OP2.
      record({ id: 5, operationId: null, kind: 'transition', state: 'running', message: 'healthy again' }),
    ]);
    expect(lastFailure(fixedLater)).toBeNull();
    const destroyFailed = mergeLog([
      record({ id: 6, operationId: OP2, kind: 'transition', state: 'failed', message: 'destroy failed' }),
    ]);
    expect(lastFailure(destroyFailed)).toEqual({ step: null, operation: 'destroy', message: null });
    expect(lastFailure([])).toBeNull();
  });
});

class FakeCache {
  readonly data = new Map<string, unknown>();
  readonly invalidated: (readonly unknown[])[] = [];

  setQueryData<T>(key: readonly unknown[], update: T | ((old: T | undefined) => T | undefined)): T | undefined {
    const id = JSON.stringify(key);
    const next =
      typeof update === 'function' ? (update as (old: T | undefined) => T | undefined)(this.data.get(id) as T) : update;
    if (next !== undefined) this.data.set(id, next);
    return next;
  }

  get<T>(key: readonly unknown[]): T | undefined {
    return this.data.get(JSON.stringify(key)) as T | undefined;
  }

  invalidateQueries(filters?: { queryKey?: readonly unknown[] }): Promise<void> {
    if (filters?.queryKey) this.invalidated.push(filters.queryKey);
    return Promise.resolve();
  }

  isInvalidated(key: readonly unknown[]): boolean {
    return this.invalidated.some((prefix) =>
      prefix.every((part, index) => JSON.stringify(part) === JSON.stringify(key[index])),
    );
  }

  get writer(): TCacheWriter {
    return this as unknown as TCacheWriter;
  }
}

function deployment(partial: Partial<TDeployment> = {}): TDeployment {
  return {
    id: DEPLOYMENT,
    planId: PLAN,
    planName: 'orders',
    target: 'local',
    state: 'provisioning',
    reason: null,
    deployedRevision: null,
    endpoint: null,
    health: null,
    activeOperation: {
      id: OP,
      kind: 'deploy',
      status: 'running',
      planRevision: 1,
      error: null,
      requestedBy: 'ops@example.test',
      createdAt: '2026-11-22T05:00:00.000Z',
      finishedAt: null,
    },
    createdAt: '2026-11-22T05:00:00.000Z',
    updatedAt: '2026-11-22T05:00:00.000Z',
    ...partial,
  };
}

function envelope(id: string, event: TRealtimeEvent): TRealtimeEnvelope {
  return { id, tenantId: TENANT, at: '2026-11-22T05:00:05.000Z', requestId: null, event };
}

const health = { ok: true, reason: null, checkedAt: '2026-11-22T05:00:05.000Z', settings: { max_connections: '40' } };

describe('cache updates from deployment events', () => {
  it('sets state, reason and health at once on deployment.status and refetches list and deployment', () => {
    const cache = new FakeCache();
    cache.writer.setQueryData(deploymentKeys.detail(TENANT, PLAN), deployment());
    cache.writer.setQueryData<TListDeploymentsResponse>(deploymentKeys.list(TENANT), {
      deployments: [deployment(), deployment({ id: OP2, planId: OP2 })],
    });

    applyDeploymentEvent(
      cache.writer,
      TENANT,
      envelope('1-0', {
        type: 'deployment.status',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        state: 'running',
        reason: null,
        health,
      }),
    );

    const detail = cache.get<TDeployment>(deploymentKeys.detail(TENANT, PLAN));
    expect(detail).toMatchObject({ state: 'running', reason: null, health, activeOperation: null });
    expect(detail?.updatedAt).toBe('2026-11-22T05:00:05.000Z');
    const list = cache.get<TListDeploymentsResponse>(deploymentKeys.list(TENANT));
    expect(list?.deployments.map((item) => item.state)).toEqual(['running', 'provisioning']);
    expect(cache.isInvalidated(deploymentKeys.list(TENANT))).toBe(true);
    expect(cache.isInvalidated(deploymentKeys.detail(TENANT, PLAN))).toBe(true);
    expect(cache.isInvalidated(deploymentKeys.events(TENANT, PLAN))).toBe(true);
    expect(cache.isInvalidated(deploymentKeys.detail(TENANT, OP2))).toBe(false);
  });

  it('keeps the active operation while on its way, and clears the endpoint when destroyed', () => {
    const cache = new FakeCache();
    cache.writer.setQueryData(deploymentKeys.detail(TENANT, PLAN), deployment());
    applyDeploymentEvent(
      cache.writer,
      TENANT,
      envelope('1-0', {
        type: 'deployment.status',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        state: 'configuring',
        reason: null,
        health: null,
      }),
    );
    expect(cache.get<TDeployment>(deploymentKeys.detail(TENANT, PLAN))?.activeOperation?.id).toBe(OP);

    cache.writer.setQueryData(
      deploymentKeys.detail(TENANT, PLAN),
      deployment({
        state: 'destroying',
        endpoint: { host: '127.0.0.1', port: 5433, database: 'app', user: 'app_admin' },
      }),
    );
    applyDeploymentEvent(
      cache.writer,
      TENANT,
      envelope('2-0', {
        type: 'deployment.status',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        state: 'destroyed',
        reason: null,
        health: null,
      }),
    );
    expect(cache.get<TDeployment>(deploymentKeys.detail(TENANT, PLAN))).toMatchObject({
      state: 'destroyed',
      endpoint: null,
      activeOperation: null,
    });
  });

  it('leaves a "not deployed" (null) deployment for the refetch', () => {
    const cache = new FakeCache();
    cache.writer.setQueryData(deploymentKeys.detail(TENANT, PLAN), null);
    applyDeploymentEvent(
      cache.writer,
      TENANT,
      envelope('1-0', {
        type: 'deployment.status',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        state: 'pending',
        reason: null,
        health: null,
      }),
    );
    expect(cache.get(deploymentKeys.detail(TENANT, PLAN))).toBeNull();
    expect(cache.isInvalidated(deploymentKeys.detail(TENANT, PLAN))).toBe(true);
  });

  it('appends deployment.step to the cached log without a request, once', () => {
    const cache = new FakeCache();
    cache.writer.setQueryData(
      deploymentKeys.events(TENANT, PLAN),
      mergeLog([record({ id: 1, step: 'allocate', message: 'started' })]),
    );
    const step: TRealtimeEvent = {
      type: 'deployment.step',
      deploymentId: DEPLOYMENT,
      planId: PLAN,
      operationId: OP,
      step: 'allocate',
      status: 'done',
      message: 'done: port 40123',
      durationMs: 15,
    };
    applyDeploymentEvent(cache.writer, TENANT, envelope('7-0', step));
    applyDeploymentEvent(cache.writer, TENANT, envelope('7-0', step));
    const log = cache.get<TLogEntry[]>(deploymentKeys.events(TENANT, PLAN)) ?? [];
    expect(log.map((entry) => entry.key)).toEqual(['r:1', 'l:7-0']);
    expect(logRows(log)).toMatchObject([{ step: 'allocate', status: 'done', durationMs: 15, message: 'port 40123' }]);
    expect(cache.invalidated).toEqual([]);
  });

  it('loads the log when a step arrives for a plan that was "not deployed"', () => {
    const cache = new FakeCache();
    cache.writer.setQueryData(deploymentKeys.events(TENANT, PLAN), null);
    applyDeploymentEvent(
      cache.writer,
      TENANT,
      envelope('1-0', {
        type: 'deployment.step',
        deploymentId: DEPLOYMENT,
        planId: PLAN,
        operationId: OP,
        step: 'allocate',
        status: 'started',
        message: 'started',
        durationMs: null,
      }),
    );
    expect(cache.get(deploymentKeys.events(TENANT, PLAN))).toBeNull();
    expect(cache.isInvalidated(deploymentKeys.events(TENANT, PLAN))).toBe(true);
  });

  it('ignores dataset events, and a reset refetches everything of deployments', () => {
    const cache = new FakeCache();
    applyDeploymentEvent(
      cache.writer,
      TENANT,
      envelope('1-0', {
        type: 'dataset.status',
        datasetId: PLAN,
        status: 'ready',
        failureReason: null,
        version: 1,
        rowCount: 3,
      }),
    );
    expect(cache.invalidated).toEqual([]);
    resetDeploymentCaches(cache.writer, TENANT);
    expect(cache.isInvalidated(deploymentKeys.events(TENANT, PLAN))).toBe(true);
    expect(cache.isInvalidated(deploymentKeys.list(TENANT))).toBe(true);
  });
});

import type { QueryClient } from '@tanstack/react-query';
import type {
  TDeployment,
  TDeploymentEventRecord,
  TDeploymentState,
  TListDeploymentsResponse,
  TOperationKind,
} from '@elasticdash/contracts/deployer/deployment';
import type { TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';

// ---- the step log (pure) -----------------------------------------------------------------------

/**
 * The step log of a deployment (pure, unit-tested): the stored events (GET …/deployment/events)
 * plus the steps that arrived live over SSE (`deployment.step`) since, without duplicates.
 *
 * A live step carries no record id, but it carries exactly the message the worker stores (the
 * worker writes the row, then publishes), so a live entry and its record share a signature:
 * operation, kind, step and message. A refetch keeps live entries that no fetched record covers
 * (they happened after the snapshot) and drops the rest.
 */

export type TStepStatus = 'started' | 'done' | 'skipped' | 'failed';
export type TLogKind = TDeploymentEventRecord['kind'];

export interface TLogEntry {
  /** `r:<record id>` or `l:<SSE event id>`: stable React keys. */
  key: string;
  source: 'record' | 'live';
  operationId: string | null;
  at: string;
  kind: TLogKind;
  state: TDeploymentState | null;
  step: string | null;
  /** For steps: from the live event, or the `started` / `done: …` prefix of a stored message. */
  status: TStepStatus | null;
  message: string;
  durationMs: number | null;
}

/** The live `deployment.step` event as it arrives (envelope id and time, event fields). */
export interface TLiveStep {
  id: string;
  at: string;
  operationId: string;
  step: string;
  status: TStepStatus;
  message: string;
  durationMs: number | null;
}

const STATUS_PREFIX = /^(started|done|skipped|failed)(?::\s*|$)/;

export function stepStatusOf(message: string): TStepStatus | null {
  const match = STATUS_PREFIX.exec(message);
  return match ? (match[1] as TStepStatus) : null;
}

/** The message without its `done: ` prefix (the status is shown separately). */
export function messageBody(entry: Pick<TLogEntry, 'message' | 'kind'>): string {
  if (entry.kind !== 'step') return entry.message;
  return entry.message.replace(STATUS_PREFIX, '');
}

export function entryFromRecord(record: TDeploymentEventRecord): TLogEntry {
  return {
    key: `r:${record.id}`,
    source: 'record',
    operationId: record.operationId,
    at: record.at,
    kind: record.kind,
    state: record.state,
    step: record.step,
    status: record.kind === 'step' ? (stepStatusOf(record.message) ?? 'done') : null,
    message: record.message,
    durationMs: record.durationMs,
  };
}

export function entryFromLive(live: TLiveStep): TLogEntry {
  return {
    key: `l:${live.id}`,
    source: 'live',
    operationId: live.operationId,
    at: live.at,
    kind: 'step',
    state: null,
    step: live.step,
    status: live.status,
    message: live.message,
    durationMs: live.durationMs,
  };
}

function signature(entry: TLogEntry): string {
  return [entry.operationId ?? '', entry.kind, entry.step ?? '', entry.message].join('\u0000');
}

/**
 * Records (sorted by id, oldest first) followed by the live entries of `previous` that no record
 * covers. Each record covers at most one live entry with its signature.
 */
export function mergeLog(
  records: readonly TDeploymentEventRecord[],
  previous?: readonly TLogEntry[] | null,
): TLogEntry[] {
  const stored = [...records].sort((a, b) => a.id - b.id).map(entryFromRecord);
  const uncovered = new Map<string, number>();
  for (const entry of stored) uncovered.set(signature(entry), (uncovered.get(signature(entry)) ?? 0) + 1);
  const live: TLogEntry[] = [];
  for (const entry of previous ?? []) {
    if (entry.source !== 'live') continue;
    const sig = signature(entry);
    const count = uncovered.get(sig) ?? 0;
    if (count > 0) uncovered.set(sig, count - 1);
    else live.push(entry);
  }
  return [...stored, ...live];
}

/**
 * Appends a live step unless the log has it already (the same SSE id after a replay, or its
 * record from a fetch that raced the event). Returns the same array when nothing changes.
 */
export function appendLive(entries: readonly TLogEntry[], live: TLiveStep): readonly TLogEntry[] {
  const entry = entryFromLive(live);
  const sig = signature(entry);
  if (entries.some((existing) => existing.key === entry.key || signature(existing) === sig)) return entries;
  return [...entries, entry];
}

export type TRowStatus = TStepStatus | 'running';

/** One line of the step log as shown: a step's start and finish are one row. */
export interface TLogRow {
  key: string;
  kind: TLogKind;
  at: string;
  operationId: string | null;
  step: string | null;
  /** Steps: running (started, not finished yet), done, skipped or failed. */
  status: TRowStatus | null;
  state: TDeploymentState | null;
  /** Without the status prefix. */
  message: string;
  durationMs: number | null;
}

export function logRows(entries: readonly TLogEntry[]): TLogRow[] {
  const rows: TLogRow[] = [];
  const open = new Map<string, number>();
  for (const entry of entries) {
    const base: TLogRow = {
      key: entry.key,
      kind: entry.kind,
      at: entry.at,
      operationId: entry.operationId,
      step: entry.step,
      status: null,
      state: entry.state,
      message: messageBody(entry),
      durationMs: entry.durationMs,
    };
    if (entry.kind !== 'step' || !entry.step) {
      rows.push(base);
      continue;
    }
    const stepKey = `${entry.operationId ?? ''}\u0000${entry.step}`;
    const openIndex = open.get(stepKey);
    if (entry.status === 'started') {
      // A second "started" (a resumed operation) keeps the row that is already open.
      if (openIndex === undefined) {
        open.set(stepKey, rows.length);
        rows.push({ ...base, status: 'running', message: '' });
      }
      continue;
    }
    const finished: TLogRow = { ...base, status: entry.status ?? 'done' };
    const current = openIndex === undefined ? undefined : rows[openIndex];
    if (openIndex !== undefined && current) {
      rows[openIndex] = { ...finished, key: current.key, at: current.at };
      open.delete(stepKey);
    } else {
      rows.push(finished);
    }
  }
  return rows;
}

const FAILED_TRANSITION = /^(deploy|redeploy|destroy) failed$/;

export interface TLastFailure {
  /** The step that failed, when the failure happened in a step. */
  step: string | null;
  operation: TOperationKind | null;
  /** The failed step's message, without the prefix. */
  message: string | null;
}

/** What failed in the latest operation of the log (null when it did not fail). */
export function lastFailure(entries: readonly TLogEntry[]): TLastFailure | null {
  let latestOp: string | null = null;
  for (let index = entries.length - 1; index >= 0; index--) {
    const operationId = entries[index]?.operationId;
    if (operationId) {
      latestOp = operationId;
      break;
    }
  }
  if (!latestOp) return null;
  let step: TLogEntry | null = null;
  let operation: TOperationKind | null = null;
  for (const entry of entries) {
    if (entry.operationId !== latestOp) continue;
    if (entry.kind === 'step' && entry.status === 'failed') step = entry;
    const match = entry.kind === 'transition' ? FAILED_TRANSITION.exec(entry.message) : null;
    if (match) operation = match[1] as TOperationKind;
  }
  if (!step && !operation) return null;
  return { step: step?.step ?? null, operation, message: step ? messageBody(step) : null };
}

/** 850 ms, 2.4 s, 1 min 5 s. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

// ---- the query cache ---------------------------------------------------------------------------

/**
 * Query keys of deployments, under ['tenant', tenantId] like every workspace key. Everything about
 * one plan's deployment (the deployment, its step log) sits under `deploymentKeys.plan(…)`.
 *
 * Cached shapes: `list` holds the API answer; `detail` holds the deployment or null (404: the
 * plan was never deployed); `events` holds the merged step log (`TLogEntry[]`) or null.
 */
export const deploymentKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'deployments'] as const,
  list: (tenantId: string) => [...deploymentKeys.all(tenantId), 'list'] as const,
  plan: (tenantId: string, planId: string) => [...deploymentKeys.all(tenantId), 'by-plan', planId] as const,
  detail: (tenantId: string, planId: string) => [...deploymentKeys.plan(tenantId, planId), 'detail'] as const,
  events: (tenantId: string, planId: string) => [...deploymentKeys.plan(tenantId, planId), 'events'] as const,
};

/** Only what is used, so tests pass a small fake. */
export type TCacheWriter = Pick<QueryClient, 'setQueryData' | 'invalidateQueries'>;

/** States after which no operation is in progress any more. */
const SETTLED = new Set<TDeployment['state']>(['running', 'failed', 'destroyed']);

/**
 * What a live deployment event does to the cache. `deployment.status` patches the state, reason
 * and health at once (the dot changes colour with no request), then refetches the list, the
 * deployment (endpoint, active operation) and its log (the transition's record).
 * `deployment.step` appends to the cached step log in place.
 */
export function applyDeploymentEvent(client: TCacheWriter, tenantId: string, envelope: TRealtimeEnvelope): void {
  const { event } = envelope;
  switch (event.type) {
    case 'deployment.status': {
      const settled = SETTLED.has(event.state);
      const patch = (deployment: TDeployment): TDeployment => ({
        ...deployment,
        state: event.state,
        reason: event.reason,
        health: event.health,
        activeOperation: settled ? null : deployment.activeOperation,
        endpoint: event.state === 'destroyed' ? null : deployment.endpoint,
        updatedAt: envelope.at,
      });
      client.setQueryData<TDeployment | null>(deploymentKeys.detail(tenantId, event.planId), (old) =>
        old && old.planId === event.planId ? patch(old) : old,
      );
      client.setQueryData<TListDeploymentsResponse>(deploymentKeys.list(tenantId), (old) =>
        old
          ? {
              ...old,
              deployments: old.deployments.map((deployment) =>
                deployment.planId === event.planId ? patch(deployment) : deployment,
              ),
            }
          : old,
      );
      void client.invalidateQueries({ queryKey: deploymentKeys.list(tenantId) });
      void client.invalidateQueries({ queryKey: deploymentKeys.plan(tenantId, event.planId) });
      return;
    }
    case 'deployment.step': {
      let missing = false;
      client.setQueryData<TLogEntry[] | null>(deploymentKeys.events(tenantId, event.planId), (old) => {
        if (!old) {
          missing = true;
          return old;
        }
        return appendLive(old, {
          id: envelope.id,
          at: envelope.at,
          operationId: event.operationId,
          step: event.step,
          status: event.status,
          message: event.message,
          durationMs: event.durationMs,
        }) as TLogEntry[];
      });
      // The log was not loaded, or was "not deployed" when it was: load it now.
      if (missing) void client.invalidateQueries({ queryKey: deploymentKeys.events(tenantId, event.planId) });
      return;
    }
    default:
      return;
  }
}

/** After a gap the server could not replay (`event: reset`): everything deployments-related is refetched. */
export function resetDeploymentCaches(client: TCacheWriter, tenantId: string): void {
  void client.invalidateQueries({ queryKey: deploymentKeys.all(tenantId) });
}

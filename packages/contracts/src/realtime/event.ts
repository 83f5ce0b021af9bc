import { z } from 'zod';
import { ZDatasetProgress, ZDatasetStatus } from '../datasets/dataset.js';
import { ZBackupStatus, ZBackupValidation } from '../deployer/backups.js';
import { ZDeploymentHealth, ZDeploymentState } from '../deployer/deployment.js';

/**
 * Live events. A producer appends to the tenant's Redis stream (a short replay buffer) and
 * publishes on one channel in the same atomic step; svc-realtime fans out per tenant over SSE.
 * Later products add their event types to this union.
 */
export const RealtimeRedis = {
  /** Pub/sub channel carrying every `TRealtimeEnvelope` as JSON. */
  channel: 'ed:events',
  /** Per-tenant stream (replay buffer for `Last-Event-ID`). */
  streamKey: (tenantId: string) => `ed:events:${tenantId}`,
  /** Approximate number of events kept per tenant for replay. */
  streamMaxLen: 1000,
} as const;

export const ZDatasetProgressEvent = z.object({
  type: z.literal('dataset.progress'),
  datasetId: z.uuid(),
  progress: ZDatasetProgress,
});

export const ZDatasetStatusEvent = z.object({
  type: z.literal('dataset.status'),
  datasetId: z.uuid(),
  status: ZDatasetStatus,
  failureReason: z.string().nullable(),
  version: z.number().int().min(0),
  rowCount: z.number().int().min(0).nullable(),
});

/** A deployment changed state (also on monitor verdicts: `health`). */
export const ZDeploymentStatusEvent = z.object({
  type: z.literal('deployment.status'),
  deploymentId: z.uuid(),
  planId: z.uuid(),
  state: ZDeploymentState,
  reason: z.string().nullable(),
  health: ZDeploymentHealth.nullable(),
});

/** One step of an operation started, finished or failed (the live step log). */
export const ZDeploymentStepEvent = z.object({
  type: z.literal('deployment.step'),
  deploymentId: z.uuid(),
  planId: z.uuid(),
  operationId: z.uuid(),
  step: z.string(),
  status: z.enum(['started', 'done', 'skipped', 'failed']),
  message: z.string(),
  durationMs: z.number().int().min(0).nullable(),
});

/** A backup started, finished or failed, or its validation by restore has a verdict. */
export const ZDeploymentBackupEvent = z.object({
  type: z.literal('deployment.backup'),
  deploymentId: z.uuid(),
  planId: z.uuid(),
  backupId: z.uuid(),
  status: ZBackupStatus,
  validation: ZBackupValidation,
  /** The failure in words: the dump's error, or why validation failed. */
  message: z.string().nullable(),
});

export const ZRealtimeEvent = z
  .discriminatedUnion('type', [
    ZDatasetProgressEvent,
    ZDatasetStatusEvent,
    ZDeploymentStatusEvent,
    ZDeploymentStepEvent,
    ZDeploymentBackupEvent,
  ])
  .meta({ id: 'RealtimeEvent' });
export type TRealtimeEvent = z.infer<typeof ZRealtimeEvent>;
export type TRealtimeEventType = TRealtimeEvent['type'];

/** What travels on the channel and in each SSE `data:` line. `id` is the Redis stream id. */
export const ZRealtimeEnvelope = z
  .object({
    id: z.string().regex(/^[0-9]+-[0-9]+$/),
    tenantId: z.uuid(),
    at: z.iso.datetime(),
    requestId: z.string().nullable(),
    event: ZRealtimeEvent,
  })
  .meta({ id: 'RealtimeEnvelope' });
export type TRealtimeEnvelope = z.infer<typeof ZRealtimeEnvelope>;

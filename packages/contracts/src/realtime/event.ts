import { z } from 'zod';
import { ZDatasetProgress, ZDatasetStatus } from '../datasets/dataset.js';

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

export const ZRealtimeEvent = z
  .discriminatedUnion('type', [ZDatasetProgressEvent, ZDatasetStatusEvent])
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

import { z } from 'zod';

/** BullMQ queues (one per job family) and their payloads. */
export const Queues = {
  datasetIngest: 'dataset-ingest',
} as const;

/** `dataset.ingest`: the BullMQ job id is `ingestId`, so enqueueing twice runs once. */
export const ZDatasetIngestJob = z.object({
  tenantId: z.uuid(),
  datasetId: z.uuid(),
  ingestId: z.uuid(),
  requestId: z.string().nullable(),
});
export type TDatasetIngestJob = z.infer<typeof ZDatasetIngestJob>;

export const INGEST_JOB_NAME = 'dataset.ingest';

/**
 * Options of every `dataset.ingest` job: the producer (svc-datasets) and the worker's job
 * reconciler (which re-enqueues jobs Redis lost) must add identical jobs.
 */
export const INGEST_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { count: 1_000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5_000, age: 30 * 24 * 3600 },
} as const;

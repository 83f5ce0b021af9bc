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

import { Injectable, Logger } from '@nestjs/common';
import { type TIngestDatasetResponse, ZIngestDatasetResponse } from '@elasticdash/contracts/datasets/dataset';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, notFound, serviceUnavailable } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { DatasetsRepository } from '../datasets/datasets.repository.js';
import { DATASET_NOT_FOUND } from '../datasets/datasets.service.js';
import { Transactions } from '../db/database.js';
import { IngestQueue } from '../infra/ingest-queue.js';
import { StatusEvents } from '../infra/status-events.js';
import { UploadsRepository } from '../uploads/uploads.repository.js';
import { IngestsRepository } from './ingests.repository.js';

export const UPLOAD_FIRST = 'Upload a file first';

/** Starts the ingest of a dataset's latest upload: one at a time per dataset, run by the worker. */
@Injectable()
export class IngestsService {
  private readonly logger = new Logger('IngestsService');

  constructor(
    private readonly transactions: Transactions,
    private readonly datasets: DatasetsRepository,
    private readonly uploads: UploadsRepository,
    private readonly ingests: IngestsRepository,
    private readonly queue: IngestQueue,
    private readonly events: StatusEvents,
  ) {}

  /**
   * Records the attempt (`target_version` = one above any version used so far), shows the
   * dataset as processing, then enqueues `dataset.ingest` with `jobId = ingestId`. When the
   * queue is unreachable the attempt is marked failed and the dataset restored.
   */
  async start(ctx: TTenantContext, datasetId: string): Promise<TIngestDatasetResponse> {
    const { ingest, previous, processing } = await this.transactions.run(async (tx) => {
      const dataset = await this.datasets.lock(ctx.tenantId, datasetId, tx);
      if (!dataset) throw notFound(DATASET_NOT_FOUND);
      const active = await this.ingests.active(datasetId, tx);
      if (active) {
        throw conflict(
          `This dataset is already being ingested (ingest ${active.id}, ${active.status} since ${active.createdAt.toISOString()}); wait for it to finish`,
          { ingestId: active.id, status: active.status },
        );
      }
      const upload = dataset.latestUploadId
        ? await this.uploads.find(ctx.tenantId, datasetId, dataset.latestUploadId, tx)
        : undefined;
      if (!upload || upload.status !== 'completed') throw conflict(UPLOAD_FIRST);
      const targetVersion = Math.max(await this.ingests.maxTargetVersion(datasetId, tx), dataset.version) + 1;
      const created = await this.ingests.insert(
        { tenantId: ctx.tenantId, datasetId, uploadId: upload.id, targetVersion, requestId: ctx.requestId },
        tx,
      );
      const updated = await this.datasets.setStatus(
        datasetId,
        { status: 'processing', progress: { rowsDone: 0, percent: 0 }, failureReason: null },
        tx,
      );
      return { ingest: created, previous: dataset, processing: updated };
    });
    await this.events.publish(ctx.tenantId, processing, ctx.requestId);
    try {
      await this.queue.enqueue({ tenantId: ctx.tenantId, datasetId, ingestId: ingest.id, requestId: ctx.requestId });
    } catch (error) {
      this.logger.error(
        `could not enqueue ingest ${ingest.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
      await this.ingests.failQueued(ingest.id, 'The ingest could not be queued');
      const restored = await this.datasets.setStatus(datasetId, {
        status: previous.status,
        progress: previous.progress,
        failureReason: previous.failureReason,
      });
      await this.events.publish(ctx.tenantId, restored, ctx.requestId);
      throw serviceUnavailable('The ingest queue is unavailable; try again shortly');
    }
    return respond(ZIngestDatasetResponse, { status: 'processing', datasetId });
  }
}

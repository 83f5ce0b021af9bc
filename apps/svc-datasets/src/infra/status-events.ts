import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import type { DatasetRow } from '../datasets/datasets.repository.js';

/** The realtime publisher (on the shared Redis connection). */
export const REALTIME = Symbol('REALTIME');

/** Publishes `dataset.status` for the browser (best effort: a Redis hiccup never fails the request). */
@Injectable()
export class StatusEvents {
  private readonly logger = new Logger('StatusEvents');

  constructor(@Inject(REALTIME) private readonly realtime: RealtimePublisher) {}

  async publish(tenantId: string, dataset: DatasetRow, requestId: string | null): Promise<void> {
    try {
      await this.realtime.publish(
        tenantId,
        {
          type: 'dataset.status',
          datasetId: dataset.id,
          status: dataset.status,
          failureReason: dataset.failureReason,
          version: dataset.version,
          rowCount: dataset.rowCount,
        },
        requestId,
      );
    } catch (error) {
      this.logger.warn(
        `could not publish dataset.status for ${dataset.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

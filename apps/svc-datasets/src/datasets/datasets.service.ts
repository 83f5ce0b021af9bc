import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type TCreateDatasetRequest,
  type TDatasetResponse,
  type TListDatasetsResponse,
  type TUpdateDatasetRequest,
  ZDatasetResponse,
  ZListDatasetsResponse,
} from '@elasticdash/contracts/datasets/dataset';
import { isPgError, PgErrorCode } from '@elasticdash/db/errors';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, notFound } from '@elasticdash/service-kit/errors';
import { unwrapQueryError } from '@elasticdash/service-kit/exception-filter';
import { respond } from '@elasticdash/service-kit/validation';
import { DataRepository } from '../data/data.repository.js';
import { QueryCache } from '../data/query-cache.js';
import { Transactions } from '../db/database.js';
import { IngestsRepository } from '../ingests/ingests.repository.js';
import { IngestQueue } from '../infra/ingest-queue.js';
import { ObjectStorage } from '../infra/object-storage.js';
import { toDataset, toDatasetSummary } from './datasets.mapper.js';
import { DatasetsRepository } from './datasets.repository.js';

export const DATASET_NOT_FOUND = 'No dataset with this id in this workspace';

/** The 409 for a dataset name already used in the tenant (unique ignoring case). */
function nameTaken(error: unknown, name: string | undefined): unknown {
  const cause = unwrapQueryError(error);
  if (
    isPgError(cause, PgErrorCode.uniqueViolation) &&
    (cause as { constraint?: string }).constraint === 'datasets_tenant_name_key'
  ) {
    const message = `A dataset named "${name}" already exists in this workspace; choose another name`;
    return conflict(message, { issues: [{ path: 'name', message }] });
  }
  return error;
}

@Injectable()
export class DatasetsService {
  private readonly logger = new Logger('DatasetsService');

  constructor(
    private readonly transactions: Transactions,
    private readonly datasets: DatasetsRepository,
    private readonly ingests: IngestsRepository,
    private readonly data: DataRepository,
    private readonly cache: QueryCache,
    private readonly queue: IngestQueue,
    @Inject(ObjectStorage) private readonly storage: ObjectStorage,
  ) {}

  async list(ctx: TTenantContext): Promise<TListDatasetsResponse> {
    const rows = await this.datasets.list(ctx.tenantId);
    return respond(ZListDatasetsResponse, { datasets: rows.map(toDatasetSummary) });
  }

  async get(ctx: TTenantContext, datasetId: string): Promise<TDatasetResponse> {
    const row = await this.datasets.find(ctx.tenantId, datasetId);
    if (!row) throw notFound(DATASET_NOT_FOUND);
    return respond(ZDatasetResponse, { dataset: toDataset(row) });
  }

  async create(ctx: TTenantContext, body: TCreateDatasetRequest): Promise<TDatasetResponse> {
    try {
      const row = await this.datasets.insert({
        tenantId: ctx.tenantId,
        name: body.name,
        description: body.description,
      });
      return respond(ZDatasetResponse, { dataset: toDataset(row) });
    } catch (error) {
      throw nameTaken(error, body.name);
    }
  }

  async update(ctx: TTenantContext, datasetId: string, body: TUpdateDatasetRequest): Promise<TDatasetResponse> {
    try {
      const row = await this.datasets.update(ctx.tenantId, datasetId, body);
      if (!row) throw notFound(DATASET_NOT_FOUND);
      return respond(ZDatasetResponse, { dataset: toDataset(row) });
    } catch (error) {
      throw nameTaken(error, body.name);
    }
  }

  /**
   * Deletes the dataset row (uploads, ingests, stats and dashboards cascade), then its data
   * tables, cached results and uploaded objects. The last two are best effort: a failure is
   * logged and never undoes the delete.
   */
  async delete(ctx: TTenantContext, datasetId: string): Promise<void> {
    const removed = await this.transactions.run(async (tx) => {
      const dataset = await this.datasets.lock(ctx.tenantId, datasetId, tx);
      if (!dataset) return undefined;
      const objects = await this.datasets.uploadObjects(ctx.tenantId, datasetId, tx);
      const maxTarget = await this.ingests.maxTargetVersion(datasetId, tx);
      const queued = await this.ingests.queuedIds(datasetId, tx);
      await this.datasets.delete(ctx.tenantId, datasetId, tx);
      return { objects, queued, maxVersion: Math.max(dataset.version, maxTarget) };
    });
    if (!removed) throw notFound(DATASET_NOT_FOUND);
    await this.queue.discard(removed.queued).catch((error: unknown) => {
      this.logger.warn(`could not drop queued ingests of deleted dataset ${datasetId}: ${String(error)}`);
    });
    await this.data.dropTables(ctx.tenantId, datasetId, removed.maxVersion);
    await this.cache.purge(ctx.tenantId, datasetId);
    await Promise.all(
      removed.objects.map(async (object) => {
        try {
          if (object.status === 'pending' && object.s3UploadId) {
            await this.storage.abortMultipart(object.objectKey, object.s3UploadId);
          }
          await this.storage.delete(object.objectKey);
        } catch (error) {
          this.logger.warn(
            `could not delete s3 object ${object.objectKey} of deleted dataset ${datasetId}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }),
    );
  }
}

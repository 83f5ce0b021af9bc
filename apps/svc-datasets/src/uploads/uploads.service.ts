import { randomUUID } from 'node:crypto';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type TDatasetResponse, ZDatasetResponse } from '@elasticdash/contracts/datasets/dataset';
import {
  type TCompleteUploadRequest,
  type TCreateUploadRequest,
  type TCreateUploadResponse,
  ZCreateUploadResponse,
} from '@elasticdash/contracts/datasets/upload';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { badRequest, conflict, notFound, validationFailed } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { toDataset } from '../datasets/datasets.mapper.js';
import { DatasetsRepository } from '../datasets/datasets.repository.js';
import { DATASET_NOT_FOUND } from '../datasets/datasets.service.js';
import { Transactions } from '../db/database.js';
import { DATASETS_ENV, type TDatasetsEnv } from '../env.js';
import { isMissingObject, ObjectStorage } from '../infra/object-storage.js';
import { StatusEvents } from '../infra/status-events.js';
import {
  displayFileName,
  formatBytes,
  humanBytes,
  isAcceptedUploadType,
  partSizeFor,
  uploadContentType,
} from './upload-plan.js';
import { type UploadRow, UploadsRepository } from './uploads.repository.js';

export const UPLOAD_NOT_FOUND = 'No upload with this id for this dataset';
const URL_TTL_SECONDS = 3600;

/** Presigned uploads of a dataset's CSV: browser → S3 directly, this service only signs and checks. */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger('UploadsService');

  constructor(
    private readonly transactions: Transactions,
    private readonly datasets: DatasetsRepository,
    private readonly uploads: UploadsRepository,
    private readonly events: StatusEvents,
    @Inject(ObjectStorage) private readonly storage: ObjectStorage,
    @Inject(DATASETS_ENV) private readonly env: TDatasetsEnv,
  ) {}

  async create(ctx: TTenantContext, datasetId: string, body: TCreateUploadRequest): Promise<TCreateUploadResponse> {
    if (!(await this.datasets.find(ctx.tenantId, datasetId))) throw notFound(DATASET_NOT_FOUND);
    const limit = this.env.DATASET_MAX_UPLOAD_BYTES;
    if (body.sizeBytes > limit) {
      const message = `The file is ${humanBytes(body.sizeBytes)} (${formatBytes(body.sizeBytes)}); the limit is ${humanBytes(limit)} (${formatBytes(limit)})`;
      throw validationFailed([{ path: 'sizeBytes', message }], message);
    }
    if (!isAcceptedUploadType(body.contentType)) {
      const message = `Only CSV, TSV or plain-text files can be uploaded (got ${body.contentType.slice(0, 100)})`;
      throw validationFailed([{ path: 'contentType', message }], message);
    }
    const uploadId = randomUUID();
    const objectKey = ObjectStorage.objectKey(ctx.tenantId, datasetId, uploadId);
    const contentType = uploadContentType(body.contentType);
    const fileName = displayFileName(body.fileName);
    const expiresAt = new Date(Date.now() + URL_TTL_SECONDS * 1000).toISOString();
    const base = { id: uploadId, tenantId: ctx.tenantId, datasetId, objectKey, fileName, sizeBytes: body.sizeBytes };

    if (body.sizeBytes <= this.env.UPLOAD_SINGLE_PUT_MAX_BYTES) {
      const url = await this.storage.presignPut(objectKey, contentType, body.sizeBytes, URL_TTL_SECONDS);
      await this.uploads.insert({ ...base, mode: 'single' });
      return respond(ZCreateUploadResponse, {
        mode: 'single',
        uploadId,
        url,
        headers: { 'Content-Type': contentType },
        expiresAt,
      });
    }

    const partSize = partSizeFor(body.sizeBytes, this.env.UPLOAD_PART_SIZE_BYTES);
    const partCount = Math.ceil(body.sizeBytes / partSize);
    const s3UploadId = await this.storage.createMultipart(objectKey, contentType);
    await this.uploads.insert({ ...base, mode: 'multipart', s3UploadId });
    const parts = await Promise.all(
      Array.from({ length: partCount }, async (_, index) => ({
        partNumber: index + 1,
        url: await this.storage.presignPart(objectKey, s3UploadId, index + 1, URL_TTL_SECONDS),
      })),
    );
    return respond(ZCreateUploadResponse, { mode: 'multipart', uploadId, partSize, parts, expiresAt });
  }

  /**
   * Checks the uploaded object (single: it exists with the declared size; multipart: S3
   * assembles the parts) and makes it the dataset's latest upload. Calling it again is a no-op.
   */
  async complete(
    ctx: TTenantContext,
    datasetId: string,
    uploadId: string,
    body: TCompleteUploadRequest,
  ): Promise<TDatasetResponse> {
    const upload = await this.uploads.find(ctx.tenantId, datasetId, uploadId);
    if (!upload) throw notFound(UPLOAD_NOT_FOUND);
    if (upload.status === 'aborted') throw conflict('This upload was abandoned; start a new upload');
    if (upload.status === 'pending') await this.assemble(upload, body);

    const { dataset, changed } = await this.transactions.run(async (tx) => {
      const locked = await this.datasets.lock(ctx.tenantId, datasetId, tx);
      if (!locked) throw notFound(DATASET_NOT_FOUND);
      const current = await this.uploads.lock(ctx.tenantId, datasetId, uploadId, tx);
      if (!current) throw notFound(UPLOAD_NOT_FOUND);
      if (current.status === 'aborted') throw conflict('This upload was abandoned; start a new upload');
      if (current.status === 'completed') return { dataset: locked, changed: false };
      await this.uploads.setStatus(uploadId, 'completed', tx);
      const attached = await this.datasets.attachUpload(
        datasetId,
        { id: uploadId, fileName: current.fileName, sizeBytes: current.sizeBytes },
        tx,
      );
      return { dataset: attached, changed: attached.status !== locked.status };
    });
    if (changed) await this.events.publish(ctx.tenantId, dataset, ctx.requestId);
    return respond(ZDatasetResponse, { dataset: toDataset(dataset) });
  }

  private async assemble(upload: UploadRow, body: TCompleteUploadRequest): Promise<void> {
    if (upload.mode === 'multipart') {
      if (!upload.s3UploadId) throw new Error(`multipart upload ${upload.id} has no S3 upload id`);
      const parts = [...new Map(body.parts.map((part) => [part.partNumber, part])).values()].sort(
        (a, b) => a.partNumber - b.partNumber,
      );
      if (parts.length === 0) {
        throw validationFailed([{ path: 'parts', message: 'List the ETag of every uploaded part' }]);
      }
      try {
        await this.storage.completeMultipart(upload.objectKey, upload.s3UploadId, parts);
      } catch (error) {
        // NoSuchUpload after a concurrent complete is fine when the object is there; checked below.
        if (!isMissingObject(error)) {
          if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode ?? 500) < 500) {
            throw badRequest(`S3 refused to assemble the parts: ${error.message}`, { s3Code: error.name });
          }
          throw error;
        }
      }
    }
    const size = await this.storage.size(upload.objectKey);
    if (size === null) {
      throw badRequest(
        upload.mode === 'single'
          ? 'The file has not been uploaded yet: PUT it to the presigned URL first'
          : 'The multipart upload is gone: start a new upload',
      );
    }
    if (size !== upload.sizeBytes) {
      throw badRequest(
        `The uploaded file has ${formatBytes(size)} but ${formatBytes(upload.sizeBytes)} were declared; upload it again`,
        { declaredBytes: upload.sizeBytes, uploadedBytes: size },
      );
    }
  }

  /** Abandons a pending upload and frees what S3 holds for it. */
  async abort(ctx: TTenantContext, datasetId: string, uploadId: string): Promise<void> {
    const upload = await this.uploads.find(ctx.tenantId, datasetId, uploadId);
    if (!upload) throw notFound(UPLOAD_NOT_FOUND);
    if (upload.status === 'aborted') return;
    if (upload.status === 'completed') {
      throw conflict('This upload is complete and may be ingested; upload a new file to replace it');
    }
    // S3 refusing (4xx: already gone, not supported by a local server) does not keep the upload
    // alive; an unreachable S3 does (retry later). The bucket's lifecycle rule reaps leftover parts.
    const refused = (error: unknown) => {
      if (!(error instanceof S3ServiceException) || (error.$metadata.httpStatusCode ?? 500) >= 500) throw error;
      if (!isMissingObject(error))
        this.logger.warn(`S3 refused to free upload ${upload.id}: ${error.name} ${error.message}`);
    };
    if (upload.mode === 'multipart' && upload.s3UploadId) {
      await this.storage.abortMultipart(upload.objectKey, upload.s3UploadId).catch(refused);
    }
    await this.storage.delete(upload.objectKey).catch(refused);
    await this.uploads.setStatus(uploadId, 'aborted');
  }
}

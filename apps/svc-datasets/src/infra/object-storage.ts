import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createS3Client } from '@elasticdash/service-kit/s3';
import { DATASETS_ENV, type TDatasetsEnv } from '../env.js';

/** The S3 client used for server-side calls (not for presigning). */
export const S3_CLIENT = Symbol('S3_CLIENT');

export function isMissingObject(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return (
    error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    error.name === 'NoSuchUpload' ||
    error.$metadata.httpStatusCode === 404
  );
}

/**
 * The bucket of dataset uploads. Presigned URLs are made with the public client (the endpoint
 * browsers reach); everything else with the internal one. Object keys are always built by the
 * service from ids, never from a user's file name.
 */
@Injectable()
export class ObjectStorage implements OnApplicationShutdown {
  private readonly presigner: S3Client;
  readonly bucket: string;

  constructor(
    @Inject(S3_CLIENT) private readonly s3: S3Client,
    @Inject(DATASETS_ENV) env: TDatasetsEnv,
  ) {
    this.presigner = createS3Client(env, { public: true });
    this.bucket = env.S3_BUCKET;
  }

  static objectKey(tenantId: string, datasetId: string, uploadId: string): string {
    return `tenants/${tenantId}/datasets/${datasetId}/uploads/${uploadId}.csv`;
  }

  /** A presigned PutObject URL; Content-Type and Content-Length are signed. */
  presignPut(key: string, contentType: string, sizeBytes: number, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: sizeBytes }),
      { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
    );
  }

  async createMultipart(key: string, contentType: string): Promise<string> {
    const answer = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    if (!answer.UploadId) throw new Error('CreateMultipartUpload answered without an UploadId');
    return answer.UploadId;
  }

  presignPart(key: string, s3UploadId: string, partNumber: number, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: s3UploadId, PartNumber: partNumber }),
      { expiresIn },
    );
  }

  async completeMultipart(
    key: string,
    s3UploadId: string,
    parts: { partNumber: number; etag: string }[],
  ): Promise<void> {
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: s3UploadId,
        MultipartUpload: { Parts: parts.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag })) },
      }),
    );
  }

  async abortMultipart(key: string, s3UploadId: string): Promise<void> {
    try {
      await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: s3UploadId }));
    } catch (error) {
      if (!isMissingObject(error)) throw error;
    }
  }

  /** The object's size in bytes, or null when there is no such object. */
  async size(key: string): Promise<number | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  onApplicationShutdown(): void {
    this.presigner.destroy();
    this.s3.destroy();
  }
}

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** S3's minimum part size is 5 MiB (except the last part). */
export const PART_SIZE = 8 * 1024 * 1024;

/**
 * Streams `body` into one object without knowing its size up front and without a temporary file:
 * small bodies become one PutObject, larger ones a multipart upload of PART_SIZE parts (at most
 * one part in memory). A failed upload is aborted, so no half object is left behind.
 */
export async function uploadStream(
  s3: S3Client,
  bucket: string,
  key: string,
  body: AsyncIterable<Buffer>,
  options: { contentType?: string; partSize?: number } = {},
): Promise<number> {
  const partSize = options.partSize ?? PART_SIZE;
  const contentType = options.contentType ?? 'application/octet-stream';
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let uploadId: string | undefined;
  const parts: { ETag: string | undefined; PartNumber: number }[] = [];

  const flush = async () => {
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    if (!uploadId) {
      const created = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }),
      );
      uploadId = created.UploadId;
      if (!uploadId) throw new Error('S3 returned no upload id');
    }
    const PartNumber = parts.length + 1;
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: chunk }),
    );
    parts.push({ ETag: part.ETag, PartNumber });
  };

  try {
    for await (const chunk of body) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      total += chunk.length;
      if (pendingBytes >= partSize) await flush();
    }
    if (!uploadId) {
      const whole = Buffer.concat(pending, pendingBytes);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: whole,
          ContentLength: whole.length,
          ContentType: contentType,
        }),
      );
      return total;
    }
    if (pendingBytes > 0) await flush();
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return total;
  } catch (error) {
    if (uploadId) {
      await s3
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
        .catch(() => undefined);
    }
    throw error;
  }
}

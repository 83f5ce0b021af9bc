import { z } from 'zod';

/** One presigned PUT up to this size; multipart with presigned parts above it. */
export const SINGLE_PUT_MAX_BYTES = 100 * 1024 * 1024;
/** The largest file accepted (the server may be configured lower, never higher than S3 allows). */
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024 * 1024;

export const ZCreateUploadRequest = z
  .object({
    fileName: z.string().trim().min(1, 'File name is required').max(255, 'File name must be at most 255 characters'),
    sizeBytes: z
      .number()
      .int()
      .min(1, 'The file is empty')
      .max(UPLOAD_MAX_BYTES, `The file is larger than the ${UPLOAD_MAX_BYTES / 1024 ** 3} GB limit`),
    contentType: z.string().max(200).default('text/csv'),
  })
  .meta({ id: 'CreateUploadRequest' });
export type TCreateUploadRequest = z.infer<typeof ZCreateUploadRequest>;

export const ZPresignedPart = z.object({ partNumber: z.number().int().min(1).max(10_000), url: z.url() });
export type TPresignedPart = z.infer<typeof ZPresignedPart>;

export const ZCreateUploadResponse = z
  .discriminatedUnion('mode', [
    z.object({
      mode: z.literal('single'),
      uploadId: z.uuid(),
      url: z.url(),
      /** Headers the browser must send with the PUT (e.g. Content-Type). */
      headers: z.record(z.string(), z.string()),
      expiresAt: z.iso.datetime(),
    }),
    z.object({
      mode: z.literal('multipart'),
      uploadId: z.uuid(),
      partSize: z
        .number()
        .int()
        .min(5 * 1024 * 1024),
      parts: z.array(ZPresignedPart),
      expiresAt: z.iso.datetime(),
    }),
  ])
  .meta({ id: 'CreateUploadResponse' });
export type TCreateUploadResponse = z.infer<typeof ZCreateUploadResponse>;

/** Multipart: the ETag S3 returned for each part (the browser reads it from the PUT response). */
export const ZCompleteUploadRequest = z
  .object({
    parts: z
      .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
      .default([]),
  })
  .meta({ id: 'CompleteUploadRequest' });
export type TCompleteUploadRequest = z.infer<typeof ZCompleteUploadRequest>;

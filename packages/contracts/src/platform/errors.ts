import { z } from 'zod';

/** Stable, machine-readable error codes shared by every service and the web app. */
export const ErrorCode = {
  validation: 'validation_failed',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  rateLimited: 'rate_limited',
  csrf: 'csrf_failed',
  unavailable: 'service_unavailable',
  internal: 'internal_error',
  badRequest: 'bad_request',
  payloadTooLarge: 'payload_too_large',
} as const;
export type TErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ZFieldIssue = z.object({
  /** Dotted path of the offending field, e.g. `components.0.network.port`. */
  path: z.string(),
  message: z.string(),
});
export type TFieldIssue = z.infer<typeof ZFieldIssue>;

/** The one error body every 4xx/5xx answer carries. */
export const ZErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'ErrorResponse' });
export type TErrorResponse = z.infer<typeof ZErrorResponse>;

/** Turns zod issues into `{ path, message }` pairs; the root is reported as `(root)`. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): TFieldIssue[] {
  return issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

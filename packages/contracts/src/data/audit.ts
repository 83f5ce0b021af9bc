import { z } from 'zod';

/** Metadata of one write; never the values written. */
export const ZAuditEntry = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime(),
    userId: z.uuid(),
    userEmail: z.string(),
    connectionId: z.uuid(),
    schema: z.string(),
    table: z.string(),
    action: z.enum(['insert', 'update', 'delete']),
    /** Primary keys of the rows touched (as text). */
    primaryKeys: z.array(z.record(z.string(), z.string())),
    /** Columns written (update/insert). */
    columns: z.array(z.string()),
    requestId: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZListAuditResponse = z
  .object({ entries: z.array(ZAuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'ListAuditResponse' });
export type TListAuditResponse = z.infer<typeof ZListAuditResponse>;

export const MAX_AUDIT_PAGE_SIZE = 200;

/** `GET /connections/:connectionId/audit?after=<cursor>&limit=`: newest first. */
export const ZListAuditQuery = z.object({
  /** Opaque cursor from the previous page's `nextCursor`. */
  after: z.string().min(1).max(200).optional(),
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_AUDIT_PAGE_SIZE, `limit must be at most ${MAX_AUDIT_PAGE_SIZE}`)
    .default(50),
});
export type TListAuditQuery = z.infer<typeof ZListAuditQuery>;

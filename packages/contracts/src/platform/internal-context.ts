import { z } from 'zod';
import { ZRole } from './roles.js';

/** Header carrying the gateway-signed context token to downstream services. */
export const INTERNAL_CONTEXT_HEADER = 'x-internal-context';
export const REQUEST_ID_HEADER = 'x-request-id';
export const TENANT_ID_HEADER = 'x-tenant-id';
export const CSRF_HEADER = 'x-csrf-token';

/** Claims of the short-lived token the gateway signs for each downstream call. */
export const ZInternalContext = z.object({
  requestId: z.string().min(1),
  userId: z.uuid().nullable(),
  email: z.string().nullable(),
  userName: z.string().nullable(),
  sessionId: z.uuid().nullable(),
  tenantId: z.uuid().nullable(),
  role: ZRole.nullable(),
});
export type TInternalContext = z.infer<typeof ZInternalContext>;

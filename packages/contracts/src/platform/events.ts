import { z } from 'zod';

/**
 * Redis pub/sub channels used to drop caches across instances the moment the source of truth
 * changes (a membership edit, a revoked session).
 */
export const CacheChannel = {
  membershipChanged: 'ed:membership-changed',
  sessionsRevoked: 'ed:sessions-revoked',
} as const;

export const ZMembershipChangedEvent = z.object({
  tenantId: z.uuid(),
  /** null when every membership of the tenant changed (tenant deleted). */
  userId: z.uuid().nullable(),
});
export type TMembershipChangedEvent = z.infer<typeof ZMembershipChangedEvent>;

export const ZSessionsRevokedEvent = z.object({
  userId: z.uuid(),
  /** The revoked session ids; empty means "every session of this user". */
  sessionIds: z.array(z.uuid()),
});
export type TSessionsRevokedEvent = z.infer<typeof ZSessionsRevokedEvent>;

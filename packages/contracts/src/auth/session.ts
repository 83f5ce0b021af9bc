import { z } from 'zod';
import { ZUser } from './user.js';

export const ZSessionSummary = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'SessionSummary' });
export type TSessionSummary = z.infer<typeof ZSessionSummary>;

export const ZListSessionsResponse = z
  .object({ sessions: z.array(ZSessionSummary) })
  .meta({ id: 'ListSessionsResponse' });
export type TListSessionsResponse = z.infer<typeof ZListSessionsResponse>;

/** Internal: the gateway resolves a session cookie to its user. */
export const ZResolveSessionRequest = z.object({ token: z.string().min(1).max(200) });
export type TResolveSessionRequest = z.infer<typeof ZResolveSessionRequest>;

export const ZResolveSessionResponse = z.object({
  sessionId: z.uuid(),
  user: ZUser,
  expiresAt: z.iso.datetime(),
});
export type TResolveSessionResponse = z.infer<typeof ZResolveSessionResponse>;

/** Client metadata the gateway passes along when a session is created. */
export const ZSessionClientInfo = z.object({
  userAgent: z.string().max(512).nullable(),
  ip: z.string().max(64).nullable(),
});
export type TSessionClientInfo = z.infer<typeof ZSessionClientInfo>;

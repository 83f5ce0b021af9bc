import { z } from 'zod';
import { ZLoginRequest, ZSignupRequest, ZUser } from './user.js';

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

/** Internal: the gateway creates an account and its first session in one call. */
export const ZInternalSignupRequest = ZSignupRequest.extend({ client: ZSessionClientInfo });
export type TInternalSignupRequest = z.infer<typeof ZInternalSignupRequest>;

/** Internal: the gateway exchanges credentials for a session. */
export const ZInternalLoginRequest = ZLoginRequest.extend({ client: ZSessionClientInfo });
export type TInternalLoginRequest = z.infer<typeof ZInternalLoginRequest>;

/** Path parameters of `DELETE /me/sessions/:sessionId`. */
export const ZSessionIdParams = z.object({ sessionId: z.uuid('Session id must be a UUID') });
export type TSessionIdParams = z.infer<typeof ZSessionIdParams>;

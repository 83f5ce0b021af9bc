import { z } from 'zod';
import { ZEmail } from '../auth/user.js';
import { ZRole } from '../platform/roles.js';

export const INVITATION_TTL_DAYS = 7;

export const ZInvitation = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    email: z.string(),
    role: ZRole,
    invitedBy: z.uuid(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Invitation' });
export type TInvitation = z.infer<typeof ZInvitation>;

export const ZCreateInvitationRequest = z
  .object({
    email: ZEmail,
    /** Owners are made by transferring ownership, never by invitation. */
    role: ZRole.exclude(['owner']),
  })
  .meta({ id: 'CreateInvitationRequest' });
export type TCreateInvitationRequest = z.infer<typeof ZCreateInvitationRequest>;

/** The token is returned once, at creation, so the inviter can copy the link. */
export const ZCreateInvitationResponse = z
  .object({ invitation: ZInvitation, token: z.string() })
  .meta({ id: 'CreateInvitationResponse' });
export type TCreateInvitationResponse = z.infer<typeof ZCreateInvitationResponse>;

export const ZListInvitationsResponse = z
  .object({ invitations: z.array(ZInvitation) })
  .meta({ id: 'ListInvitationsResponse' });
export type TListInvitationsResponse = z.infer<typeof ZListInvitationsResponse>;

export const ZInvitationParams = z.object({ invitationId: z.uuid('invitationId must be a UUID') });
export type TInvitationParams = z.infer<typeof ZInvitationParams>;

export const ZInvitationTokenParams = z.object({
  token: z.string().min(20, 'token is malformed').max(200, 'token is malformed'),
});
export type TInvitationTokenParams = z.infer<typeof ZInvitationTokenParams>;

/** What an invitee sees before accepting. */
export const ZInvitationPreviewResponse = z
  .object({
    tenantName: z.string(),
    email: z.string(),
    role: ZRole,
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'InvitationPreviewResponse' });
export type TInvitationPreviewResponse = z.infer<typeof ZInvitationPreviewResponse>;

export const ZAcceptInvitationRequest = z
  .object({ token: z.string().min(20, 'token is malformed').max(200, 'token is malformed') })
  .meta({ id: 'AcceptInvitationRequest' });
export type TAcceptInvitationRequest = z.infer<typeof ZAcceptInvitationRequest>;

/**
 * Error codes of `POST /invitations/accept` beyond the shared ones: the link was valid once
 * but can no longer be used (answered with 410 Gone). Unknown or revoked links answer 404
 * `not_found`, a link sent to another address 403 `forbidden`, an existing member 409 `conflict`.
 */
export const InvitationErrorCode = {
  expired: 'invitation_expired',
  alreadyAccepted: 'invitation_already_accepted',
} as const;
export type TInvitationErrorCode = (typeof InvitationErrorCode)[keyof typeof InvitationErrorCode];

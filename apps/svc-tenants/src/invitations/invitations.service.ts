import { HttpStatus, Injectable } from '@nestjs/common';
import {
  INVITATION_TTL_DAYS,
  InvitationErrorCode,
  type TAcceptInvitationRequest,
  type TCreateInvitationRequest,
  type TCreateInvitationResponse,
  type TInvitation,
  type TInvitationPreviewResponse,
  type TListInvitationsResponse,
  ZCreateInvitationResponse,
  ZInvitationPreviewResponse,
  ZListInvitationsResponse,
} from '@elasticdash/contracts/tenants/invitation';
import { type TTenantResponse, ZTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import { isPgError, PgErrorCode } from '@elasticdash/db/errors';
import type { TTenantContext, TUserContext } from '@elasticdash/service-kit/access';
import { AppError, conflict, forbidden, notFound } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { memberSnapshot } from '../memberships/member-snapshot.js';
import { MembershipsRepository } from '../memberships/memberships.repository.js';
import { MembershipsService } from '../memberships/memberships.service.js';
import { toMyTenant } from '../tenants/tenants.mapper.js';
import { hashInvitationToken, newInvitationToken } from './invitation-token.js';
import { type InvitationRow, type InvitationWithTenant, InvitationsRepository } from './invitations.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function toInvitation(row: InvitationRow): TInvitation {
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    role: row.role,
    invitedBy: row.invitedBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** Why a token found in the table can no longer be used, or null when it can. */
function unusableReason(invitation: InvitationRow, now: Date): 'revoked' | 'accepted' | 'expired' | null {
  if (invitation.revokedAt) return 'revoked';
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}

const INVALID_LINK = 'This invitation link is not valid; ask for a new invitation';
const REVOKED = 'This invitation was revoked; ask for a new invitation';
const ACCEPTED = 'This invitation has already been accepted';
const expiredMessage = (invitation: InvitationRow) =>
  `This invitation expired on ${invitation.expiresAt.toISOString()}; ask for a new invitation`;

@Injectable()
export class InvitationsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly invitations: InvitationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly membershipsService: MembershipsService,
  ) {}

  async listPending(ctx: TTenantContext): Promise<TListInvitationsResponse> {
    await this.membershipsService.requireRole(ctx.tenantId, ctx.userId, 'admin');
    const rows = await this.invitations.listPending(ctx.tenantId, new Date());
    return respond(ZListInvitationsResponse, { invitations: rows.map(toInvitation) });
  }

  /** Invites an address; a previous open invitation to the same address is revoked. */
  async create(ctx: TTenantContext, body: TCreateInvitationRequest): Promise<TCreateInvitationResponse> {
    const token = newInvitationToken();
    const now = new Date();
    try {
      const row = await this.transactions.run(async (tx) => {
        await this.membershipsService.requireRole(ctx.tenantId, ctx.userId, 'admin', tx);
        if (await this.memberships.existsWithEmail(ctx.tenantId, body.email, tx)) {
          throw conflict(`${body.email} is already a member of this workspace`);
        }
        await this.invitations.revokeOpenForEmail(ctx.tenantId, body.email, now, tx);
        return this.invitations.insert(
          {
            tenantId: ctx.tenantId,
            email: body.email,
            role: body.role,
            tokenHash: hashInvitationToken(token),
            invitedBy: ctx.userId,
            createdAt: now,
            expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS),
          },
          tx,
        );
      });
      return respond(ZCreateInvitationResponse, { invitation: toInvitation(row), token });
    } catch (error) {
      if (isPgError(error, PgErrorCode.uniqueViolation)) {
        throw conflict(`Another invitation to ${body.email} was created at the same time; reload and try again`);
      }
      throw error;
    }
  }

  async revoke(ctx: TTenantContext, invitationId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.membershipsService.requireRole(ctx.tenantId, ctx.userId, 'admin', tx);
      if (!(await this.invitations.revoke(ctx.tenantId, invitationId, new Date(), tx))) {
        throw notFound('No pending invitation with this id in this workspace');
      }
    });
  }

  /** What the holder of a link is invited to; 404 for any link that cannot be accepted. */
  async preview(token: string): Promise<TInvitationPreviewResponse> {
    const found = await this.invitations.findByTokenHash(hashInvitationToken(token));
    if (!found) throw notFound(INVALID_LINK);
    const reason = unusableReason(found.invitation, new Date());
    if (reason === 'revoked') throw notFound(REVOKED);
    if (reason === 'accepted') throw notFound(ACCEPTED);
    if (reason === 'expired') throw notFound(expiredMessage(found.invitation));
    return respond(ZInvitationPreviewResponse, {
      tenantName: found.tenant.name,
      email: found.invitation.email,
      role: found.invitation.role,
      expiresAt: found.invitation.expiresAt.toISOString(),
    });
  }

  /** Joins the tenant; the invitation must have been sent to the caller's own address. */
  async accept(ctx: TUserContext, body: TAcceptInvitationRequest): Promise<TTenantResponse> {
    let accepted: InvitationWithTenant;
    try {
      accepted = await this.transactions.run(async (tx) => {
        const now = new Date();
        const found = await this.invitations.findByTokenHash(hashInvitationToken(body.token), { lock: tx });
        if (!found) throw notFound(INVALID_LINK);
        const { invitation } = found;
        const reason = unusableReason(invitation, now);
        if (reason === 'revoked') throw notFound(REVOKED);
        if (reason === 'accepted') throw new AppError(HttpStatus.GONE, InvitationErrorCode.alreadyAccepted, ACCEPTED);
        if (reason === 'expired') {
          throw new AppError(HttpStatus.GONE, InvitationErrorCode.expired, expiredMessage(invitation));
        }
        const snapshot = memberSnapshot(ctx);
        if (snapshot.email !== invitation.email) {
          throw forbidden(
            `This invitation was sent to ${invitation.email}; sign in with that address to accept it (you are signed in as ${snapshot.email})`,
          );
        }
        if (await this.memberships.find(invitation.tenantId, ctx.userId, tx)) {
          throw conflict(`You are already a member of ${found.tenant.name}`);
        }
        await this.memberships.insert({ tenantId: invitation.tenantId, ...snapshot, role: invitation.role }, tx);
        await this.invitations.markAccepted(invitation.id, now, tx);
        return found;
      });
    } catch (error) {
      if (isPgError(error, PgErrorCode.uniqueViolation)) throw conflict('You are already a member of this workspace');
      if (isPgError(error, PgErrorCode.foreignKeyViolation)) throw notFound('This workspace no longer exists');
      throw error;
    }
    await this.membershipsService.publishChanged([{ tenantId: accepted.tenant.id, userId: ctx.userId }]);
    return respond(ZTenantResponse, { tenant: toMyTenant(accepted.tenant, accepted.invitation.role) });
  }
}

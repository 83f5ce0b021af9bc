import { Injectable } from '@nestjs/common';
import {
  type TChangeMemberRoleRequest,
  type TListMembersResponse,
  type TMemberResponse,
  ZListMembersResponse,
  ZMemberResponse,
} from '@elasticdash/contracts/tenants/member';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { notFound } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { assertActorRole, assertCanChangeRole, assertCanRemove } from '../memberships/membership-rules.js';
import { MembershipsRepository } from '../memberships/memberships.repository.js';
import { MembershipsService } from '../memberships/memberships.service.js';
import { toMember } from './members.mapper.js';
import { MembersRepository } from './members.repository.js';

const UNKNOWN_MEMBER = 'No member with this id in this workspace';

@Injectable()
export class MembersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly members: MembersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly membershipsService: MembershipsService,
  ) {}

  async list(ctx: TTenantContext): Promise<TListMembersResponse> {
    await this.membershipsService.requireRole(ctx.tenantId, ctx.userId, 'viewer');
    const rows = await this.members.list(ctx.tenantId);
    return respond(ZListMembersResponse, { members: rows.map(toMember) });
  }

  async changeRole(ctx: TTenantContext, userId: string, body: TChangeMemberRoleRequest): Promise<TMemberResponse> {
    const { member, changed } = await this.transactions.run(async (tx) => {
      const locked = await this.membershipsService.lockForChange(tx, ctx.tenantId, ctx.userId, userId);
      assertActorRole(locked.actor.role, 'admin');
      if (!locked.target) throw notFound(UNKNOWN_MEMBER);
      assertCanChangeRole({
        actorRole: locked.actor.role,
        targetRole: locked.target.role,
        newRole: body.role,
        ownerCount: locked.ownerCount,
        targetIsActor: userId === ctx.userId,
      });
      if (locked.target.role === body.role) return { member: locked.target, changed: false };
      const updated = await this.memberships.setRole(ctx.tenantId, userId, body.role, tx);
      if (!updated) throw notFound(UNKNOWN_MEMBER);
      return { member: updated, changed: true };
    });
    if (changed) await this.membershipsService.publishChanged([{ tenantId: ctx.tenantId, userId }]);
    return respond(ZMemberResponse, { member: toMember(member) });
  }

  async remove(ctx: TTenantContext, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const locked = await this.membershipsService.lockForChange(tx, ctx.tenantId, ctx.userId, userId);
      assertActorRole(locked.actor.role, 'admin');
      if (!locked.target) throw notFound(UNKNOWN_MEMBER);
      assertCanRemove({
        actorRole: locked.actor.role,
        targetRole: locked.target.role,
        ownerCount: locked.ownerCount,
        targetIsActor: userId === ctx.userId,
      });
      await this.memberships.remove(ctx.tenantId, userId, tx);
    });
    await this.membershipsService.publishChanged([{ tenantId: ctx.tenantId, userId }]);
  }
}

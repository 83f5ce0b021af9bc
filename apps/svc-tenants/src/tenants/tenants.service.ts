import { Injectable } from '@nestjs/common';
import {
  type TCreateTenantRequest,
  type TListMyTenantsResponse,
  type TRenameTenantRequest,
  type TTenantResponse,
  type TTransferOwnershipRequest,
  ZListMyTenantsResponse,
  ZTenantResponse,
} from '@elasticdash/contracts/tenants/tenant';
import type { TTenantContext, TUserContext } from '@elasticdash/service-kit/access';
import { badRequest, forbidden, notFound } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { InvitationsRepository } from '../invitations/invitations.repository.js';
import { assertActorRole, assertCanLeave } from '../memberships/membership-rules.js';
import { MembershipsRepository } from '../memberships/memberships.repository.js';
import { MembershipsService } from '../memberships/memberships.service.js';
import { memberSnapshot } from '../memberships/member-snapshot.js';
import { toMyTenant } from './tenants.mapper.js';
import { TenantsRepository } from './tenants.repository.js';

@Injectable()
export class TenantsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly tenants: TenantsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly membershipsService: MembershipsService,
  ) {}

  async listMine(ctx: TUserContext): Promise<TListMyTenantsResponse> {
    const rows = await this.tenants.listForUser(ctx.userId);
    return respond(ZListMyTenantsResponse, { tenants: rows.map((row) => toMyTenant(row, row.role)) });
  }

  /** Creates a tenant with the caller as its first owner. */
  async create(ctx: TUserContext, body: TCreateTenantRequest): Promise<TTenantResponse> {
    const tenant = await this.transactions.run(async (tx) => {
      const row = await this.tenants.insert(body.name, tx);
      await this.memberships.insert({ tenantId: row.id, ...memberSnapshot(ctx), role: 'owner' }, tx);
      return row;
    });
    return respond(ZTenantResponse, { tenant: toMyTenant(tenant, 'owner') });
  }

  async get(ctx: TTenantContext): Promise<TTenantResponse> {
    const row = await this.tenants.findForMember(ctx.tenantId, ctx.userId);
    // Same answer as the gateway's: a deleted workspace has no members left.
    if (!row) throw forbidden('You are not a member of this workspace');
    return respond(ZTenantResponse, { tenant: toMyTenant(row, row.role) });
  }

  async rename(ctx: TTenantContext, body: TRenameTenantRequest): Promise<TTenantResponse> {
    const result = await this.transactions.run(async (tx) => {
      const actor = await this.membershipsService.requireRole(ctx.tenantId, ctx.userId, 'admin', tx);
      const row = await this.tenants.rename(ctx.tenantId, body.name, tx);
      if (!row) throw notFound('Workspace not found');
      return toMyTenant(row, actor.role);
    });
    return respond(ZTenantResponse, { tenant: result });
  }

  /** Deletes the tenant with its memberships and invitations; every member's cached membership is dropped. */
  async delete(ctx: TTenantContext): Promise<void> {
    await this.transactions.run(async (tx) => {
      const { actor } = await this.membershipsService.lockForChange(tx, ctx.tenantId, ctx.userId);
      assertActorRole(actor.role, 'owner');
      await this.invitations.removeAllOfTenant(ctx.tenantId, tx);
      await this.memberships.removeAllOfTenant(ctx.tenantId, tx);
      if (!(await this.tenants.delete(ctx.tenantId, tx))) throw notFound('Workspace not found');
    });
    await this.membershipsService.publishChanged([{ tenantId: ctx.tenantId, userId: null }]);
  }

  /** Makes another member an owner; the caller keeps `previousOwnerRole`. */
  async transferOwnership(ctx: TTenantContext, body: TTransferOwnershipRequest): Promise<TTenantResponse> {
    if (body.userId === ctx.userId) {
      throw badRequest('You already own this workspace; choose another member to transfer ownership to');
    }
    const tenant = await this.transactions.run(async (tx) => {
      const { actor, target } = await this.membershipsService.lockForChange(tx, ctx.tenantId, ctx.userId, body.userId);
      if (actor.role !== 'owner') throw forbidden('Only an owner can transfer ownership');
      if (!target) throw notFound('That user is not a member of this workspace; invite them first');
      await this.memberships.setRole(ctx.tenantId, target.userId, 'owner', tx);
      await this.memberships.setRole(ctx.tenantId, actor.userId, body.previousOwnerRole, tx);
      const row = await this.tenants.findForMember(ctx.tenantId, ctx.userId, tx);
      if (!row) throw notFound('Workspace not found');
      return toMyTenant(row, row.role);
    });
    await this.membershipsService.publishChanged([
      { tenantId: ctx.tenantId, userId: body.userId },
      { tenantId: ctx.tenantId, userId: ctx.userId },
    ]);
    return respond(ZTenantResponse, { tenant });
  }

  /** The caller leaves the tenant; the last owner cannot. */
  async leave(ctx: TTenantContext): Promise<void> {
    await this.transactions.run(async (tx) => {
      const { actor, ownerCount } = await this.membershipsService.lockForChange(tx, ctx.tenantId, ctx.userId);
      assertCanLeave(actor.role, ownerCount);
      await this.memberships.remove(ctx.tenantId, ctx.userId, tx);
    });
    await this.membershipsService.publishChanged([{ tenantId: ctx.tenantId, userId: ctx.userId }]);
  }
}

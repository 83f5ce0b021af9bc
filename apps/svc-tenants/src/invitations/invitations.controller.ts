import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  type TAcceptInvitationRequest,
  type TCreateInvitationRequest,
  type TCreateInvitationResponse,
  type TInvitationParams,
  type TInvitationPreviewResponse,
  type TInvitationTokenParams,
  type TListInvitationsResponse,
  ZAcceptInvitationRequest,
  ZCreateInvitationRequest,
  ZInvitationParams,
  ZInvitationTokenParams,
} from '@elasticdash/contracts/tenants/invitation';
import type { TTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import {
  TenantCtx,
  TenantRole,
  type TTenantContext,
  type TUserContext,
  UserCtx,
} from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { InvitationsService } from './invitations.service.js';

@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @TenantRole('admin')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListInvitationsResponse> {
    return this.invitations.listPending(ctx);
  }

  @Post()
  @TenantRole('admin')
  @HttpCode(201)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZCreateInvitationRequest)) body: TCreateInvitationRequest,
  ): Promise<TCreateInvitationResponse> {
    return this.invitations.create(ctx, body);
  }

  /** Any signed-in user holding the link (they are not a member yet). */
  @Get('by-token/:token')
  preview(
    @Param(new ZodPipe(ZInvitationTokenParams)) params: TInvitationTokenParams,
  ): Promise<TInvitationPreviewResponse> {
    return this.invitations.preview(params.token);
  }

  @Post('accept')
  @HttpCode(200)
  accept(
    @UserCtx() ctx: TUserContext,
    @Body(new ZodPipe(ZAcceptInvitationRequest)) body: TAcceptInvitationRequest,
  ): Promise<TTenantResponse> {
    return this.invitations.accept(ctx, body);
  }

  @Delete(':invitationId')
  @TenantRole('admin')
  @HttpCode(204)
  revoke(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZInvitationParams)) params: TInvitationParams,
  ): Promise<void> {
    return this.invitations.revoke(ctx, params.invitationId);
  }
}

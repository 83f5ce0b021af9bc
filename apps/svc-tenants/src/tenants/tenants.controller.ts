import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  type TCreateTenantRequest,
  type TListMyTenantsResponse,
  type TRenameTenantRequest,
  type TTenantResponse,
  type TTransferOwnershipRequest,
  ZCreateTenantRequest,
  ZRenameTenantRequest,
  ZTransferOwnershipRequest,
} from '@elasticdash/contracts/tenants/tenant';
import {
  TenantCtx,
  TenantRole,
  type TTenantContext,
  type TUserContext,
  UserCtx,
} from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { TenantsService } from './tenants.service.js';

/** `/tenants`: the caller's workspaces (no tenant context). `/tenant`: the workspace in the token. */
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get('tenants')
  listMine(@UserCtx() ctx: TUserContext): Promise<TListMyTenantsResponse> {
    return this.tenants.listMine(ctx);
  }

  @Post('tenants')
  @HttpCode(201)
  create(
    @UserCtx() ctx: TUserContext,
    @Body(new ZodPipe(ZCreateTenantRequest)) body: TCreateTenantRequest,
  ): Promise<TTenantResponse> {
    return this.tenants.create(ctx, body);
  }

  @Get('tenant')
  @TenantRole('viewer')
  get(@TenantCtx() ctx: TTenantContext): Promise<TTenantResponse> {
    return this.tenants.get(ctx);
  }

  @Patch('tenant')
  @TenantRole('admin')
  rename(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZRenameTenantRequest)) body: TRenameTenantRequest,
  ): Promise<TTenantResponse> {
    return this.tenants.rename(ctx, body);
  }

  @Delete('tenant')
  @TenantRole('owner')
  @HttpCode(204)
  delete(@TenantCtx() ctx: TTenantContext): Promise<void> {
    return this.tenants.delete(ctx);
  }

  @Post('tenant/transfer-ownership')
  @TenantRole('owner')
  @HttpCode(200)
  transferOwnership(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZTransferOwnershipRequest)) body: TTransferOwnershipRequest,
  ): Promise<TTenantResponse> {
    return this.tenants.transferOwnership(ctx, body);
  }

  @Post('tenant/leave')
  @TenantRole('viewer')
  @HttpCode(204)
  leave(@TenantCtx() ctx: TTenantContext): Promise<void> {
    return this.tenants.leave(ctx);
  }
}

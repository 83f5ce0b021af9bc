import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import {
  type TChangeMemberRoleRequest,
  type TListMembersResponse,
  type TMemberParams,
  type TMemberResponse,
  ZChangeMemberRoleRequest,
  ZMemberParams,
} from '@elasticdash/contracts/tenants/member';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { MembersService } from './members.service.js';

@Controller('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @TenantRole('viewer')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListMembersResponse> {
    return this.members.list(ctx);
  }

  @Patch(':userId')
  @TenantRole('admin')
  changeRole(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZMemberParams)) params: TMemberParams,
    @Body(new ZodPipe(ZChangeMemberRoleRequest)) body: TChangeMemberRoleRequest,
  ): Promise<TMemberResponse> {
    return this.members.changeRole(ctx, params.userId, body);
  }

  @Delete(':userId')
  @TenantRole('admin')
  @HttpCode(204)
  remove(@TenantCtx() ctx: TTenantContext, @Param(new ZodPipe(ZMemberParams)) params: TMemberParams): Promise<void> {
    return this.members.remove(ctx, params.userId);
  }
}

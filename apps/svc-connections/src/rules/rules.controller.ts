import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ZConnectionParams } from '@elasticdash/contracts/data/connection';
import {
  type TPutTableRulesRequest,
  type TTableRulesResponse,
  ZPutTableRulesRequest,
} from '@elasticdash/contracts/data/rules';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { RulesService } from './rules.service.js';

@Controller('connections/:connectionId/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @TenantRole('admin')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: { connectionId: string },
  ): Promise<TTableRulesResponse> {
    return this.rules.get(ctx, params.connectionId);
  }

  @Put()
  @TenantRole('admin')
  put(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: { connectionId: string },
    @Body(new ZodPipe(ZPutTableRulesRequest)) body: TPutTableRulesRequest,
  ): Promise<TTableRulesResponse> {
    return this.rules.put(ctx, params.connectionId, body);
  }
}

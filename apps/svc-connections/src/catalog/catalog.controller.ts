import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { TCatalogResponse } from '@elasticdash/contracts/data/catalog';
import { ZConnectionParams } from '@elasticdash/contracts/data/connection';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { CatalogService } from './catalog.service.js';

@Controller('connections/:connectionId/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @TenantRole('viewer')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: { connectionId: string },
  ): Promise<TCatalogResponse> {
    return this.catalog.getCatalog(ctx, params.connectionId);
  }

  @Post('refresh')
  @TenantRole('editor')
  @HttpCode(200)
  refresh(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: { connectionId: string },
  ): Promise<TCatalogResponse> {
    return this.catalog.refresh(ctx, params.connectionId);
  }
}

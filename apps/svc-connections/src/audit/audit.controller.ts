import { Controller, Get, Param, Query } from '@nestjs/common';
import { type TListAuditQuery, type TListAuditResponse, ZListAuditQuery } from '@elasticdash/contracts/data/audit';
import { ZConnectionParams } from '@elasticdash/contracts/data/connection';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { AuditService } from './audit.service.js';

@Controller('connections/:connectionId/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @TenantRole('admin')
  list(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: { connectionId: string },
    @Query(new ZodPipe(ZListAuditQuery)) query: TListAuditQuery,
  ): Promise<TListAuditResponse> {
    return this.audit.list(ctx, params.connectionId, query);
  }
}

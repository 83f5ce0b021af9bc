import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { TOpenInDataResponse } from '@elasticdash/contracts/deployer/data-connection';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { type TPlanParams, ZPlanParams } from '../deployments/deployments.params.js';
import { InternalToken } from '../infra/internal-token.js';
import { DataConnectionService } from './data-connection.service.js';

@Controller('v1/plans/:planId/deployment/open-in-data')
export class DataConnectionController {
  constructor(private readonly dataConnections: DataConnectionService) {}

  /** Admin: it uses the admin credentials (svc-connections checks the caller may create connections too). */
  @Post()
  @TenantRole('admin')
  @HttpCode(200)
  open(
    @TenantCtx() ctx: TTenantContext,
    @InternalToken() token: string,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
  ): Promise<TOpenInDataResponse> {
    return this.dataConnections.openInData(ctx, token, params.planId);
  }
}

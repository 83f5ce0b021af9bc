import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { TDeploymentCredentialsResponse } from '@elasticdash/contracts/deployer/deployment';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { type TPlanParams, ZPlanParams } from '../deployments/deployments.params.js';
import { CredentialsService } from './credentials.service.js';

/** POST (not GET): a reveal is an audited action, never cached or prefetched. */
@Controller('v1/plans/:planId/deployment/credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Post()
  @TenantRole('admin')
  @HttpCode(200)
  reveal(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
  ): Promise<TDeploymentCredentialsResponse> {
    return this.credentials.reveal(ctx, params.planId);
  }
}

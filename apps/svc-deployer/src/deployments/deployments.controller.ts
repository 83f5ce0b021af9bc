import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  type TDeploymentResponse,
  type TDeployPlanRequest,
  type TDestroyDeploymentRequest,
  type TListDeploymentEventsResponse,
  type TListDeploymentsResponse,
  ZDeployPlanRequest,
  ZDestroyDeploymentRequest,
} from '@elasticdash/contracts/deployer/deployment';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { InternalToken } from '../infra/internal-token.js';
import { type TPlanParams, ZPlanParams } from './deployments.params.js';
import { DeploymentsService } from './deployments.service.js';

/** Deployments of the workspace in the token: viewers read, editors deploy and destroy. */
@Controller('v1')
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Get('deployments')
  @TenantRole('viewer')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListDeploymentsResponse> {
    return this.deployments.list(ctx);
  }

  /** 202: queued; progress arrives as `deployment.status` / `deployment.step` events. 409 while another operation runs. */
  @Post('plans/:planId/deploy')
  @TenantRole('admin')
  @HttpCode(202)
  deploy(
    @TenantCtx() ctx: TTenantContext,
    @InternalToken() token: string,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
    @Body(new ZodPipe(ZDeployPlanRequest)) body: TDeployPlanRequest,
  ): Promise<TDeploymentResponse> {
    return this.deployments.deploy(ctx, token, params.planId, body);
  }

  @Get('plans/:planId/deployment')
  @TenantRole('viewer')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
  ): Promise<TDeploymentResponse> {
    return this.deployments.get(ctx, params.planId);
  }

  @Get('plans/:planId/deployment/events')
  @TenantRole('viewer')
  events(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
  ): Promise<TListDeploymentEventsResponse> {
    return this.deployments.events(ctx, params.planId);
  }

  @Post('plans/:planId/deployment/destroy')
  @TenantRole('admin')
  @HttpCode(202)
  destroy(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
    @Body(new ZodPipe(ZDestroyDeploymentRequest)) body: TDestroyDeploymentRequest,
  ): Promise<TDeploymentResponse> {
    return this.deployments.destroy(ctx, params.planId, body);
  }
}

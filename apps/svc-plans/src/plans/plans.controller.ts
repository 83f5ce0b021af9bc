import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import {
  type TCreatePlanRequest,
  type TImportPlanRequest,
  type TListPlansResponse,
  type TPlanResponse,
  type TUpdatePlanRequest,
  ZCreatePlanRequest,
  ZImportPlanRequest,
  ZPlanParams,
  ZUpdatePlanRequest,
} from '@elasticdash/contracts/plans/plan';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { PlansService } from './plans.service.js';

type PlanParams = z.infer<typeof ZPlanParams>;

/** Plans of the workspace in the token: viewers read, editors and above write. */
@Controller('v1/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @TenantRole('viewer')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListPlansResponse> {
    return this.plans.list(ctx);
  }

  @Post()
  @TenantRole('editor')
  @HttpCode(201)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZCreatePlanRequest)) body: TCreatePlanRequest,
  ): Promise<TPlanResponse> {
    return this.plans.create(ctx, body);
  }

  /** A cs-json file; 400 `validation_failed` listing every structural problem when it is not cs-json v1. */
  @Post('import')
  @TenantRole('editor')
  @HttpCode(201)
  import(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZImportPlanRequest)) body: TImportPlanRequest,
  ): Promise<TPlanResponse> {
    return this.plans.import(ctx, body);
  }

  @Get(':planId')
  @TenantRole('viewer')
  get(@TenantCtx() ctx: TTenantContext, @Param(new ZodPipe(ZPlanParams)) params: PlanParams): Promise<TPlanResponse> {
    return this.plans.get(ctx, params.planId);
  }

  /** Saves a new revision; 409 with `details.latest` when `baseRevision` is not the latest. */
  @Put(':planId')
  @TenantRole('editor')
  update(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: PlanParams,
    @Body(new ZodPipe(ZUpdatePlanRequest)) body: TUpdatePlanRequest,
  ): Promise<TPlanResponse> {
    return this.plans.update(ctx, params.planId, body);
  }

  @Delete(':planId')
  @TenantRole('editor')
  @HttpCode(204)
  delete(@TenantCtx() ctx: TTenantContext, @Param(new ZodPipe(ZPlanParams)) params: PlanParams): Promise<void> {
    return this.plans.delete(ctx, params.planId);
  }

  /** The latest document as a `<name>.cs.json` download. */
  @Get(':planId/export')
  @TenantRole('viewer')
  async export(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: PlanParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { disposition, body } = await this.plans.export(ctx, params.planId);
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', disposition)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff');
    return body;
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  type TListPlanRevisionsResponse,
  type TPlanDiffResponse,
  type TPlanResponse,
  type TPlanRevisionResponse,
  type TRestorePlanRevisionRequest,
  ZPlanDiffQuery,
  ZPlanParams,
  ZPlanRevisionParams,
  ZRestorePlanRevisionRequest,
} from '@elasticdash/contracts/plans/plan';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import type { z } from 'zod';
import { RevisionsService } from './revisions.service.js';

type PlanParams = z.infer<typeof ZPlanParams>;
type PlanRevisionParams = z.infer<typeof ZPlanRevisionParams>;
type PlanDiffQuery = z.infer<typeof ZPlanDiffQuery>;

/** A plan's immutable revisions: viewers read history and diffs, editors restore. */
@Controller('v1/plans/:planId')
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get('revisions')
  @TenantRole('viewer')
  list(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: PlanParams,
  ): Promise<TListPlanRevisionsResponse> {
    return this.revisions.list(ctx, params.planId);
  }

  @Get('revisions/:revision')
  @TenantRole('viewer')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanRevisionParams)) params: PlanRevisionParams,
  ): Promise<TPlanRevisionResponse> {
    return this.revisions.get(ctx, params.planId, params.revision);
  }

  @Get('diff')
  @TenantRole('viewer')
  diff(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: PlanParams,
    @Query(new ZodPipe(ZPlanDiffQuery)) query: PlanDiffQuery,
  ): Promise<TPlanDiffResponse> {
    return this.revisions.diff(ctx, params.planId, query.from, query.to);
  }

  /** A new revision equal to `revision`; 409 with `details.latest` when `baseRevision` is stale. */
  @Post('revisions/:revision/restore')
  @TenantRole('editor')
  @HttpCode(200)
  restore(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanRevisionParams)) params: PlanRevisionParams,
    @Body(new ZodPipe(ZRestorePlanRevisionRequest)) body: TRestorePlanRevisionRequest,
  ): Promise<TPlanResponse> {
    return this.revisions.restore(ctx, params.planId, params.revision, body);
  }
}

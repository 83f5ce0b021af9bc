import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  type TCreateDashboardRequest,
  type TDashboardResponse,
  type TListDashboardsResponse,
  type TUpdateDashboardRequest,
  ZCreateDashboardRequest,
  ZUpdateDashboardRequest,
} from '@elasticdash/contracts/datasets/dashboard';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { z } from 'zod';
import { type TDashboardParams, ZDashboardParams } from '../datasets/datasets.params.js';
import { DashboardsService } from './dashboards.service.js';

const ZListDashboardsQuery = z.object({ datasetId: z.uuid('datasetId must be a UUID').optional() });

/** Dashboards of the workspace: viewers read, editors and above write. */
@Controller('dashboards')
export class DashboardsController {
  constructor(private readonly dashboards: DashboardsService) {}

  /** `?datasetId=` narrows the list to one dataset's dashboards. */
  @Get()
  @TenantRole('viewer')
  list(
    @TenantCtx() ctx: TTenantContext,
    @Query(new ZodPipe(ZListDashboardsQuery)) query: z.infer<typeof ZListDashboardsQuery>,
  ): Promise<TListDashboardsResponse> {
    return this.dashboards.list(ctx, query.datasetId);
  }

  @Post()
  @TenantRole('editor')
  @HttpCode(201)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZCreateDashboardRequest)) body: TCreateDashboardRequest,
  ): Promise<TDashboardResponse> {
    return this.dashboards.create(ctx, body);
  }

  @Get(':dashboardId')
  @TenantRole('viewer')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDashboardParams)) params: TDashboardParams,
  ): Promise<TDashboardResponse> {
    return this.dashboards.get(ctx, params.dashboardId);
  }

  /** Saves name, filters and panels; 409 with `details.latest` when `baseRevision` is stale. */
  @Put(':dashboardId')
  @TenantRole('editor')
  update(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDashboardParams)) params: TDashboardParams,
    @Body(new ZodPipe(ZUpdateDashboardRequest)) body: TUpdateDashboardRequest,
  ): Promise<TDashboardResponse> {
    return this.dashboards.update(ctx, params.dashboardId, body);
  }

  @Delete(':dashboardId')
  @TenantRole('editor')
  @HttpCode(204)
  delete(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDashboardParams)) params: TDashboardParams,
  ): Promise<void> {
    return this.dashboards.delete(ctx, params.dashboardId);
  }
}

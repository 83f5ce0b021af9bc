import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  type TCreateDatasetRequest,
  type TDatasetResponse,
  type TListDatasetsResponse,
  type TUpdateDatasetRequest,
  ZCreateDatasetRequest,
  ZUpdateDatasetRequest,
} from '@elasticdash/contracts/datasets/dataset';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { type TDatasetParams, ZDatasetParams } from './datasets.params.js';
import { DatasetsService } from './datasets.service.js';

/** Datasets of the workspace in the token: viewers read, editors and above write. */
@Controller('datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @Get()
  @TenantRole('viewer')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListDatasetsResponse> {
    return this.datasets.list(ctx);
  }

  @Post()
  @TenantRole('editor')
  @HttpCode(201)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZCreateDatasetRequest)) body: TCreateDatasetRequest,
  ): Promise<TDatasetResponse> {
    return this.datasets.create(ctx, body);
  }

  @Get(':datasetId')
  @TenantRole('viewer')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
  ): Promise<TDatasetResponse> {
    return this.datasets.get(ctx, params.datasetId);
  }

  @Patch(':datasetId')
  @TenantRole('editor')
  update(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
    @Body(new ZodPipe(ZUpdateDatasetRequest)) body: TUpdateDatasetRequest,
  ): Promise<TDatasetResponse> {
    return this.datasets.update(ctx, params.datasetId, body);
  }

  /** Deletes the dataset with its data tables, uploads and dashboards. */
  @Delete(':datasetId')
  @TenantRole('editor')
  @HttpCode(204)
  delete(@TenantCtx() ctx: TTenantContext, @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams): Promise<void> {
    return this.datasets.delete(ctx, params.datasetId);
  }
}

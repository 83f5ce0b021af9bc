import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import type { TDatasetResponse } from '@elasticdash/contracts/datasets/dataset';
import {
  type TCompleteUploadRequest,
  type TCreateUploadRequest,
  type TCreateUploadResponse,
  ZCompleteUploadRequest,
  ZCreateUploadRequest,
} from '@elasticdash/contracts/datasets/upload';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { type TDatasetParams, type TUploadParams, ZDatasetParams, ZUploadParams } from '../datasets/datasets.params.js';
import { UploadsService } from './uploads.service.js';

/** Presigned uploads into a dataset (editors and above). */
@Controller('datasets/:datasetId/uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  @TenantRole('editor')
  @HttpCode(201)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
    @Body(new ZodPipe(ZCreateUploadRequest)) body: TCreateUploadRequest,
  ): Promise<TCreateUploadResponse> {
    return this.uploads.create(ctx, params.datasetId, body);
  }

  @Post(':uploadId/complete')
  @TenantRole('editor')
  @HttpCode(200)
  complete(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZUploadParams)) params: TUploadParams,
    @Body(new ZodPipe(ZCompleteUploadRequest)) body: TCompleteUploadRequest,
  ): Promise<TDatasetResponse> {
    return this.uploads.complete(ctx, params.datasetId, params.uploadId, body);
  }

  @Delete(':uploadId')
  @TenantRole('editor')
  @HttpCode(204)
  abort(@TenantCtx() ctx: TTenantContext, @Param(new ZodPipe(ZUploadParams)) params: TUploadParams): Promise<void> {
    return this.uploads.abort(ctx, params.datasetId, params.uploadId);
  }
}

import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { TIngestDatasetResponse } from '@elasticdash/contracts/datasets/dataset';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { type TDatasetParams, ZDatasetParams } from '../datasets/datasets.params.js';
import { IngestsService } from './ingests.service.js';

@Controller('datasets/:datasetId/ingest')
export class IngestsController {
  constructor(private readonly ingests: IngestsService) {}

  /** 202: queued; progress and the outcome arrive as `dataset.status` events. */
  @Post()
  @TenantRole('editor')
  @HttpCode(202)
  start(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
  ): Promise<TIngestDatasetResponse> {
    return this.ingests.start(ctx, params.datasetId);
  }
}

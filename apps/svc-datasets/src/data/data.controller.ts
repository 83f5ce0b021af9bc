import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { TDatasetStatsResponse } from '@elasticdash/contracts/datasets/dataset';
import {
  type TDatasetRowsPage,
  type TDatasetRowsQuery,
  type TPanelQuery,
  type TPanelQueryResult,
  ZDatasetRowsQuery,
  ZPanelQuery,
} from '@elasticdash/contracts/datasets/query';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import type { FastifyReply } from 'fastify';
import { type TDatasetParams, ZDatasetParams } from '../datasets/datasets.params.js';
import { DataService } from './data.service.js';

/** Reading a dataset's live data: rows, statistics, panel aggregates (viewers and above). */
@Controller('datasets/:datasetId')
export class DataController {
  constructor(private readonly data: DataService) {}

  @Get('rows')
  @TenantRole('viewer')
  rows(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
    @Query(new ZodPipe(ZDatasetRowsQuery)) query: TDatasetRowsQuery,
  ): Promise<TDatasetRowsPage> {
    return this.data.rows(ctx, params.datasetId, query);
  }

  @Get('stats')
  @TenantRole('viewer')
  stats(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
  ): Promise<TDatasetStatsResponse> {
    return this.data.stats(ctx, params.datasetId);
  }

  /** A panel's aggregate; the statement is cancelled when the client goes away first. */
  @Post('query')
  @TenantRole('viewer')
  @HttpCode(200)
  query(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZDatasetParams)) params: TDatasetParams,
    @Body(new ZodPipe(ZPanelQuery)) body: TPanelQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TPanelQueryResult> {
    const controller = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) controller.abort();
    };
    reply.raw.once('close', onClose);
    return this.data.query(ctx, params.datasetId, body, controller.signal).finally(() => {
      reply.raw.off('close', onClose);
    });
  }
}

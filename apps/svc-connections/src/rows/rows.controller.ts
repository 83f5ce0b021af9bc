import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ZConnectionParams } from '@elasticdash/contracts/data/connection';
import {
  type TCountRowsRequest,
  type TDeleteRowsRequest,
  type TInsertRowRequest,
  type TRowResponse,
  type TRowsPage,
  type TRowsQueryRequest,
  type TUpdateRowRequest,
  ZCountRowsRequest,
  ZCountRowsResponse,
  ZDeleteRowsRequest,
  ZDeleteRowsResponse,
  ZInsertRowRequest,
  ZRowsQueryRequest,
  ZUpdateRowRequest,
} from '@elasticdash/contracts/data/rows';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import type { z } from 'zod';
import { RowsService } from './rows.service.js';

type TConnectionParams = z.infer<typeof ZConnectionParams>;

/** Rows of one table of a customer connection: browse (viewer), write (editor). */
@Controller('connections/:connectionId/rows')
export class RowsController {
  constructor(private readonly rows: RowsService) {}

  @Post('query')
  @HttpCode(200)
  @TenantRole('viewer')
  query(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: TConnectionParams,
    @Body(new ZodPipe(ZRowsQueryRequest)) body: TRowsQueryRequest,
  ): Promise<TRowsPage> {
    return this.rows.query(ctx, params.connectionId, body);
  }

  @Post('count')
  @HttpCode(200)
  @TenantRole('viewer')
  count(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: TConnectionParams,
    @Body(new ZodPipe(ZCountRowsRequest)) body: TCountRowsRequest,
  ): Promise<z.infer<typeof ZCountRowsResponse>> {
    return this.rows.count(ctx, params.connectionId, body);
  }

  @Post('update')
  @HttpCode(200)
  @TenantRole('editor')
  update(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: TConnectionParams,
    @Body(new ZodPipe(ZUpdateRowRequest)) body: TUpdateRowRequest,
  ): Promise<TRowResponse> {
    return this.rows.update(ctx, params.connectionId, body);
  }

  @Post('insert')
  @HttpCode(201)
  @TenantRole('editor')
  insert(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: TConnectionParams,
    @Body(new ZodPipe(ZInsertRowRequest)) body: TInsertRowRequest,
  ): Promise<TRowResponse> {
    return this.rows.insert(ctx, params.connectionId, body);
  }

  @Post('delete')
  @HttpCode(200)
  @TenantRole('editor')
  delete(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: TConnectionParams,
    @Body(new ZodPipe(ZDeleteRowsRequest)) body: TDeleteRowsRequest,
  ): Promise<z.infer<typeof ZDeleteRowsResponse>> {
    return this.rows.delete(ctx, params.connectionId, body);
  }
}

import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ZConnectionParams } from '@elasticdash/contracts/data/connection';
import { ZExportQuery } from '@elasticdash/contracts/data/rows';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { ExportService } from './export.service.js';

/** CSV export of a whole view, streamed. */
@Controller('connections/:connectionId/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get()
  @TenantRole('viewer')
  async csv(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: z.infer<typeof ZConnectionParams>,
    @Query(new ZodPipe(ZExportQuery)) query: z.infer<typeof ZExportQuery>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const { disposition, body } = await this.exports.csv(ctx, params.connectionId, query.view);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', disposition)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff');
    return body;
  }
}

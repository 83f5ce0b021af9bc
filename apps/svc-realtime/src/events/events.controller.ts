import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventsService } from './events.service.js';

/**
 * `GET /events`: the workspace's live events as server-sent events. `Last-Event-ID` (or
 * `?lastEventId=` for clients that cannot set headers) replays what was missed first.
 */
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @TenantRole('viewer')
  stream(
    @TenantCtx() ctx: TTenantContext,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.events.open(ctx, request, reply, { header: lastEventId, query: lastEventIdQuery });
  }
}

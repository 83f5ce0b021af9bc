import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  type TListSessionsResponse,
  type TResolveSessionRequest,
  type TResolveSessionResponse,
  type TSessionIdParams,
  ZResolveSessionRequest,
  ZSessionIdParams,
} from '@elasticdash/contracts/auth/session';
import { ServiceOnly, type TUserContext, UserCtx } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { SessionsService } from './sessions.service.js';

@Controller()
export class SessionsController {
  constructor(@Inject(SessionsService) private readonly sessions: SessionsService) {}

  /** Gateway: session cookie → user. */
  @Post('internal/sessions/resolve')
  @ServiceOnly()
  @HttpCode(200)
  resolve(@Body(new ZodPipe(ZResolveSessionRequest)) body: TResolveSessionRequest): Promise<TResolveSessionResponse> {
    return this.sessions.resolve(body.token);
  }

  /** Gateway: ends the session carried in the internal context. */
  @Post('internal/logout')
  @HttpCode(204)
  logout(@UserCtx() ctx: TUserContext): Promise<void> {
    return this.sessions.logout(ctx);
  }

  @Get('me/sessions')
  list(@UserCtx() ctx: TUserContext): Promise<TListSessionsResponse> {
    return this.sessions.list(ctx);
  }

  @Delete('me/sessions/:sessionId')
  @HttpCode(204)
  revoke(@UserCtx() ctx: TUserContext, @Param(new ZodPipe(ZSessionIdParams)) params: TSessionIdParams): Promise<void> {
    return this.sessions.revoke(ctx, params.sessionId);
  }
}

import { Body, Controller, Get, HttpCode, Inject, Patch, Post } from '@nestjs/common';
import { type TInternalSignupRequest, ZInternalSignupRequest } from '@elasticdash/contracts/auth/session';
import {
  type TChangePasswordRequest,
  type TMeResponse,
  type TSessionIssued,
  type TUpdateProfileRequest,
  ZChangePasswordRequest,
  ZUpdateProfileRequest,
} from '@elasticdash/contracts/auth/user';
import { ServiceOnly, type TUserContext, UserCtx } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { UsersService } from './users.service.js';

@Controller()
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  /** Gateway: create an account and its first session. */
  @Post('internal/signup')
  @ServiceOnly()
  @HttpCode(201)
  signup(@Body(new ZodPipe(ZInternalSignupRequest)) body: TInternalSignupRequest): Promise<TSessionIssued> {
    return this.users.signup(body);
  }

  @Get('me')
  me(@UserCtx() ctx: TUserContext): Promise<TMeResponse> {
    return this.users.me(ctx);
  }

  @Patch('me')
  updateProfile(
    @UserCtx() ctx: TUserContext,
    @Body(new ZodPipe(ZUpdateProfileRequest)) body: TUpdateProfileRequest,
  ): Promise<TMeResponse> {
    return this.users.updateProfile(ctx, body);
  }

  @Post('me/password')
  @HttpCode(204)
  changePassword(
    @UserCtx() ctx: TUserContext,
    @Body(new ZodPipe(ZChangePasswordRequest)) body: TChangePasswordRequest,
  ): Promise<void> {
    return this.users.changePassword(ctx, body);
  }
}

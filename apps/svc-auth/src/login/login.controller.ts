import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { type TInternalLoginRequest, ZInternalLoginRequest } from '@elasticdash/contracts/auth/session';
import type { TSessionIssued } from '@elasticdash/contracts/auth/user';
import { ServiceOnly } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { LoginService } from './login.service.js';

@Controller()
export class LoginController {
  constructor(@Inject(LoginService) private readonly login: LoginService) {}

  /** Gateway: credentials → session. */
  @Post('internal/login')
  @ServiceOnly()
  @HttpCode(200)
  logIn(@Body(new ZodPipe(ZInternalLoginRequest)) body: TInternalLoginRequest): Promise<TSessionIssued> {
    return this.login.login(body);
  }
}

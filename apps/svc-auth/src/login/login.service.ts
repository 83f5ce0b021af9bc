import { Inject, Injectable } from '@nestjs/common';
import type { TInternalLoginRequest } from '@elasticdash/contracts/auth/session';
import { type TSessionIssued, ZSessionIssued } from '@elasticdash/contracts/auth/user';
import { unauthenticated } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { LoginThrottleService } from '../login-throttle/login-throttle.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { toUser } from '../users/users.mapper.js';
import { UsersService } from '../users/users.service.js';

@Injectable()
export class LoginService {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(LoginThrottleService) private readonly throttle: LoginThrottleService,
  ) {}

  /**
   * Wrong password and unknown email are indistinguishable (same answer, same argon2 cost); a
   * locked email answers 429 before any password is checked.
   */
  async login(request: TInternalLoginRequest): Promise<TSessionIssued> {
    await this.throttle.assertNotLocked(request.email);
    const user = await this.users.verifyCredentials(request.email, request.password);
    if (!user) {
      await this.throttle.recordFailure(request.email);
      throw unauthenticated('Invalid email or password');
    }
    await this.throttle.reset(request.email);
    const session = await this.sessions.issue(user.id, request.client);
    return respond(ZSessionIssued, { user: toUser(user), session });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { TInternalSignupRequest } from '@elasticdash/contracts/auth/session';
import {
  type TChangePasswordRequest,
  type TMeResponse,
  type TSessionIssued,
  type TUpdateProfileRequest,
  ZMeResponse,
  ZSessionIssued,
} from '@elasticdash/contracts/auth/user';
import type { TUserContext } from '@elasticdash/service-kit/access';
import { conflict, unauthenticated, validationFailed } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { LoginThrottleService } from '../login-throttle/login-throttle.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { toUser, type UserRow } from './users.mapper.js';
import { UsersRepository } from './users.repository.js';

const EMAIL_TAKEN = 'An account with this email already exists';

@Injectable()
export class UsersService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(LoginThrottleService) private readonly throttle: LoginThrottleService,
  ) {}

  /** Creates the account and its first session. */
  async signup(request: TInternalSignupRequest): Promise<TSessionIssued> {
    const passwordHash = await this.hasher.hash(request.password);
    const user = await this.users.create({
      email: request.email,
      name: request.name,
      passwordHash,
      now: new Date(),
    });
    if (!user) throw conflict(EMAIL_TAKEN, { issues: [{ path: 'email', message: EMAIL_TAKEN }] });
    const session = await this.sessions.issue(user.id, request.client);
    return respond(ZSessionIssued, { user: toUser(user), session });
  }

  /**
   * The user whose password this is, or null. Costs one argon2 verification whether or not the
   * email is registered, so response time does not reveal which addresses have accounts.
   */
  async verifyCredentials(email: string, password: string): Promise<UserRow | null> {
    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.hasher.verifyAgainstDummy(password);
      return null;
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) return null;
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.hasher.hash(password), new Date());
    }
    return user;
  }

  async me(ctx: TUserContext): Promise<TMeResponse> {
    return respond(ZMeResponse, { user: toUser(await this.currentUser(ctx)) });
  }

  async updateProfile(ctx: TUserContext, request: TUpdateProfileRequest): Promise<TMeResponse> {
    const user = await this.users.updateName(ctx.userId, request.name, new Date());
    if (!user) throw unauthenticated('This account no longer exists');
    return respond(ZMeResponse, { user: toUser(user) });
  }

  /** Checks the current password (with the login backoff), stores the new one, ends my other sessions. */
  async changePassword(ctx: TUserContext, request: TChangePasswordRequest): Promise<void> {
    const user = await this.currentUser(ctx);
    await this.throttle.assertNotLocked(user.email);
    if (!(await this.hasher.verify(user.passwordHash, request.currentPassword))) {
      await this.throttle.recordFailure(user.email);
      throw validationFailed(
        [{ path: 'currentPassword', message: 'Current password is incorrect' }],
        'Current password is incorrect',
      );
    }
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(request.newPassword), new Date());
    await this.throttle.reset(user.email);
    await this.sessions.revokeOthers(user.id, ctx.sessionId);
  }

  private async currentUser(ctx: TUserContext): Promise<UserRow> {
    const user = await this.users.findById(ctx.userId);
    if (!user) throw unauthenticated('This account no longer exists');
    return user;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { tooManyRequests } from '@elasticdash/service-kit/errors';
import { FAILURE_WINDOW_MS, lockSecondsAfter, retryAfterSeconds } from './lockout-policy.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';

/**
 * Backoff on password checks, keyed by normalised email and applied the same way whether or
 * not an account exists, so it neither leaks which emails are registered nor spares them.
 */
@Injectable()
export class LoginThrottleService {
  constructor(@Inject(LoginThrottleRepository) private readonly attempts: LoginThrottleRepository) {}

  /** 429 with Retry-After while the email is locked; call before checking any password. */
  async assertNotLocked(email: string): Promise<void> {
    const now = new Date();
    const row = await this.attempts.find(email);
    if (row?.lockedUntil && row.lockedUntil > now) {
      const seconds = retryAfterSeconds(row.lockedUntil, now);
      throw tooManyRequests(`Too many failed attempts. Try again in ${seconds} seconds.`, seconds);
    }
  }

  async recordFailure(email: string): Promise<void> {
    const now = new Date();
    const failures = await this.attempts.recordFailure(email, now, new Date(now.getTime() - FAILURE_WINDOW_MS));
    const lockSeconds = lockSecondsAfter(failures);
    if (lockSeconds > 0) await this.attempts.lockUntil(email, new Date(now.getTime() + lockSeconds * 1000));
  }

  async reset(email: string): Promise<void> {
    await this.attempts.clear(email);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, isNull, lt, or } from 'drizzle-orm';
import { DB, type Db, run } from '../db/database.js';
import { loginAttempts, sessions } from '../db/schema.js';

@Injectable()
export class HousekeepingRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Failure counters past the counting window and not locked: they no longer count for anything. */
  async purgeLoginAttempts(windowStart: Date, now: Date): Promise<number> {
    const rows = await run(
      this.db
        .delete(loginAttempts)
        .where(
          and(
            lt(loginAttempts.lastFailureAt, windowStart),
            or(isNull(loginAttempts.lockedUntil), lt(loginAttempts.lockedUntil, now)),
          ),
        )
        .returning({ email: loginAttempts.email }),
    );
    return rows.length;
  }

  /** Sessions that expired (or were revoked) before `before`: no cookie can use them any more. */
  async purgeSessions(before: Date): Promise<number> {
    const rows = await run(
      this.db
        .delete(sessions)
        .where(or(lt(sessions.expiresAt, before), lt(sessions.revokedAt, before)))
        .returning({ id: sessions.id }),
    );
    return rows.length;
  }
}

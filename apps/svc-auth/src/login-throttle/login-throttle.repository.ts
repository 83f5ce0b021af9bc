import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { DB, type Db, run } from '../db/database.js';
import { loginAttempts } from '../db/schema.js';

export type LoginAttemptsRow = typeof loginAttempts.$inferSelect;

@Injectable()
export class LoginThrottleRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async find(email: string): Promise<LoginAttemptsRow | null> {
    const rows = await run(this.db.select().from(loginAttempts).where(eq(loginAttempts.email, email)).limit(1));
    return rows[0] ?? null;
  }

  /**
   * Counts one more failure atomically and returns the new consecutive count; the count
   * restarts at 1 when the previous failure is older than `windowStart`.
   */
  async recordFailure(email: string, now: Date, windowStart: Date): Promise<number> {
    const rows = await run(
      this.db
        .insert(loginAttempts)
        .values({ email, failures: 1, lastFailureAt: now, lockedUntil: null })
        .onConflictDoUpdate({
          target: loginAttempts.email,
          set: {
            failures: sql`case when ${loginAttempts.lastFailureAt} < ${windowStart.toISOString()}::timestamptz then 1 else ${loginAttempts.failures} + 1 end`,
            lastFailureAt: now,
          },
        })
        .returning({ failures: loginAttempts.failures }),
    );
    return rows[0]?.failures ?? 1;
  }

  async lockUntil(email: string, lockedUntil: Date): Promise<void> {
    await run(this.db.update(loginAttempts).set({ lockedUntil }).where(eq(loginAttempts.email, email)));
  }

  async clear(email: string): Promise<void> {
    await run(this.db.delete(loginAttempts).where(eq(loginAttempts.email, email)));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gt, isNull, lt, ne } from 'drizzle-orm';
import { DB, type Db, run } from '../db/database.js';
import { sessions, users } from '../db/schema.js';
import type { UserRow } from '../users/users.mapper.js';

export type SessionRow = typeof sessions.$inferSelect;

@Injectable()
export class SessionsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async create(values: {
    userId: string;
    tokenHash: string;
    userAgent: string | null;
    ip: string | null;
    now: Date;
    expiresAt: Date;
  }): Promise<SessionRow> {
    const rows = await run(
      this.db
        .insert(sessions)
        .values({
          userId: values.userId,
          tokenHash: values.tokenHash,
          userAgent: values.userAgent,
          ip: values.ip,
          createdAt: values.now,
          lastSeenAt: values.now,
          expiresAt: values.expiresAt,
        })
        .returning(),
    );
    const row = rows[0];
    if (!row) throw new Error('session insert returned no row');
    return row;
  }

  /** The live (not revoked, not expired) session with this token hash, and its user. */
  async findActiveByTokenHash(tokenHash: string, now: Date): Promise<{ session: SessionRow; user: UserRow } | null> {
    const rows = await run(
      this.db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .limit(1),
    );
    return rows[0] ?? null;
  }

  /** Bumps last_seen_at only when it is older than `staleBefore` (at most one write a minute). */
  async touch(sessionId: string, now: Date, staleBefore: Date): Promise<void> {
    await run(
      this.db
        .update(sessions)
        .set({ lastSeenAt: now })
        .where(and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, staleBefore))),
    );
  }

  async listActive(userId: string, now: Date): Promise<SessionRow[]> {
    return run(
      this.db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.createdAt), desc(sessions.id)),
    );
  }

  /** Revokes one live session of this user; returns the revoked ids (empty when none matched). */
  async revokeOne(userId: string, sessionId: string, now: Date): Promise<string[]> {
    const rows = await run(
      this.db
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(
            eq(sessions.id, sessionId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, now),
          ),
        )
        .returning({ id: sessions.id }),
    );
    return rows.map((row) => row.id);
  }

  /** Revokes every live session of this user except `keepSessionId` (all of them when null). */
  async revokeAllExcept(userId: string, keepSessionId: string | null, now: Date): Promise<string[]> {
    const rows = await run(
      this.db
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, now),
            keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
          ),
        )
        .returning({ id: sessions.id }),
    );
    return rows.map((row) => row.id);
  }
}

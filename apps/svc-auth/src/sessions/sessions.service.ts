import { Inject, Injectable } from '@nestjs/common';
import {
  type TListSessionsResponse,
  type TResolveSessionResponse,
  type TSessionClientInfo,
  ZListSessionsResponse,
  ZResolveSessionResponse,
} from '@elasticdash/contracts/auth/session';
import { notFound, unauthenticated } from '@elasticdash/service-kit/errors';
import type { TUserContext } from '@elasticdash/service-kit/access';
import { respond } from '@elasticdash/service-kit/validation';
import { AUTH_ENV, type TAuthEnv } from '../env.js';
import { toUser } from '../users/users.mapper.js';
import { hashSessionToken, newSessionToken } from './session-token.js';
import { SessionEvents } from './sessions.events.js';
import { SessionsRepository } from './sessions.repository.js';

const DAY_MS = 86_400_000;
/** last_seen_at is refreshed at most this often per session (no write on every request). */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface IssuedSession {
  id: string;
  token: string;
  expiresAt: string;
}

@Injectable()
export class SessionsService {
  constructor(
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(SessionEvents) private readonly events: SessionEvents,
    @Inject(AUTH_ENV) private readonly env: TAuthEnv,
  ) {}

  /** Starts a session; the token is returned once and only its hash is stored. */
  async issue(userId: string, client: TSessionClientInfo): Promise<IssuedSession> {
    const now = new Date();
    const { token, tokenHash } = newSessionToken();
    const row = await this.sessions.create({
      userId,
      tokenHash,
      userAgent: client.userAgent,
      ip: client.ip,
      now,
      expiresAt: new Date(now.getTime() + this.env.SESSION_TTL_DAYS * DAY_MS),
    });
    return { id: row.id, token, expiresAt: row.expiresAt.toISOString() };
  }

  async resolve(token: string): Promise<TResolveSessionResponse> {
    const now = new Date();
    const found = await this.sessions.findActiveByTokenHash(hashSessionToken(token), now);
    if (!found) throw unauthenticated('Session is invalid or has expired');
    const staleBefore = new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS);
    if (found.session.lastSeenAt < staleBefore) await this.sessions.touch(found.session.id, now, staleBefore);
    return respond(ZResolveSessionResponse, {
      sessionId: found.session.id,
      user: toUser(found.user),
      expiresAt: found.session.expiresAt.toISOString(),
    });
  }

  /** Ends the session the request was made with. Idempotent. */
  async logout(ctx: TUserContext): Promise<void> {
    if (!ctx.sessionId) throw unauthenticated('No session to end');
    const revoked = await this.sessions.revokeOne(ctx.userId, ctx.sessionId, new Date());
    await this.events.sessionsRevoked(ctx.userId, revoked);
  }

  async list(ctx: TUserContext): Promise<TListSessionsResponse> {
    const rows = await this.sessions.listActive(ctx.userId, new Date());
    return respond(ZListSessionsResponse, {
      sessions: rows.map((row) => ({
        id: row.id,
        createdAt: row.createdAt.toISOString(),
        lastSeenAt: row.lastSeenAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        userAgent: row.userAgent,
        ip: row.ip,
        current: row.id === ctx.sessionId,
      })),
    });
  }

  /** Revokes one of the caller's live sessions; 404 for anyone else's or an unknown id. */
  async revoke(ctx: TUserContext, sessionId: string): Promise<void> {
    const revoked = await this.sessions.revokeOne(ctx.userId, sessionId, new Date());
    if (revoked.length === 0) throw notFound('No such active session');
    await this.events.sessionsRevoked(ctx.userId, revoked);
  }

  /** Revokes every other live session of a user (after a password change). */
  async revokeOthers(userId: string, keepSessionId: string | null): Promise<void> {
    const revoked = await this.sessions.revokeAllExcept(userId, keepSessionId, new Date());
    await this.events.sessionsRevoked(userId, revoked);
  }
}

import { createHash } from 'node:crypto';
import { ZResolveSessionResponse, type TResolveSessionResponse } from '@elasticdash/contracts/auth/session';
import type { TSessionsRevokedEvent } from '@elasticdash/contracts/platform/events';
import { DownstreamError, type DownstreamClient } from '../downstream/downstream.client.js';
import type { DownstreamService } from '../downstream/services.js';
import { TtlCache } from '../security/ttl-cache.js';

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Resolves a session cookie to its user through svc-auth, caching answers briefly. svc-auth
 * publishes every revocation, and the cache drops those sessions at once (see
 * CacheInvalidationListener), so a revoked session stops working immediately.
 */
export class SessionResolver {
  private readonly cache: TtlCache<TResolveSessionResponse>;
  /** False while the invalidation channel is down: then nothing is served from cache. */
  cacheTrusted = false;

  constructor(
    private readonly client: DownstreamClient,
    private readonly auth: DownstreamService,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  async resolve(token: string, requestId: string): Promise<TResolveSessionResponse | null> {
    const key = hashSessionToken(token);
    if (this.cacheTrusted) {
      const cached = this.cache.get(key);
      if (cached && Date.parse(cached.expiresAt) > Date.now()) return cached;
    }
    try {
      const session = await this.client.call(
        this.auth,
        'POST',
        '/internal/sessions/resolve',
        { requestId, userId: null, email: null, userName: null, sessionId: null, tenantId: null, role: null },
        ZResolveSessionResponse,
        { token },
      );
      this.cache.set(key, session);
      return session;
    } catch (error) {
      if (error instanceof DownstreamError && error.status === 401) {
        this.cache.delete(key);
        return null;
      }
      throw error;
    }
  }

  forget(token: string): void {
    this.cache.delete(hashSessionToken(token));
  }

  onSessionsRevoked(event: TSessionsRevokedEvent): void {
    const revoked = new Set(event.sessionIds);
    this.cache.deleteWhere(
      (_, session) => session.user.id === event.userId && (revoked.size === 0 || revoked.has(session.sessionId)),
    );
  }

  clear(): void {
    this.cache.clear();
  }
}

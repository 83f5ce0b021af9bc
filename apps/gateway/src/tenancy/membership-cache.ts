import type { TMembershipChangedEvent } from '@elasticdash/contracts/platform/events';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { ZMembershipResponse } from '@elasticdash/contracts/tenants/tenant';
import { DownstreamError, type DownstreamClient } from '../downstream/downstream.client.js';
import type { DownstreamService } from '../downstream/services.js';
import { TtlCache } from '../security/ttl-cache.js';

/**
 * Answers "is this user a member of this tenant, and with which role?" from svc-tenants,
 * cached briefly; dropped at once when svc-tenants publishes a membership change.
 */
export class MembershipChecker {
  private readonly cache: TtlCache<TRole | null>;
  cacheTrusted = false;

  constructor(
    private readonly client: DownstreamClient,
    private readonly tenants: DownstreamService,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  async roleOf(
    user: { userId: string; email: string; userName: string; sessionId: string },
    tenantId: string,
    requestId: string,
  ): Promise<TRole | null> {
    const key = `${tenantId}:${user.userId}`;
    if (this.cacheTrusted) {
      const cached = this.cache.get(key);
      if (cached !== undefined) return cached;
    }
    try {
      const membership = await this.client.call(
        this.tenants,
        'GET',
        '/internal/membership',
        {
          requestId,
          userId: user.userId,
          email: user.email,
          userName: user.userName,
          sessionId: user.sessionId,
          tenantId,
          role: null,
        },
        ZMembershipResponse,
      );
      this.cache.set(key, membership.role);
      return membership.role;
    } catch (error) {
      if (error instanceof DownstreamError && (error.status === 404 || error.status === 403)) {
        this.cache.set(key, null);
        return null;
      }
      throw error;
    }
  }

  onMembershipChanged(event: TMembershipChangedEvent): void {
    if (event.userId) this.cache.delete(`${event.tenantId}:${event.userId}`);
    else this.cache.deleteWhere((key) => key.startsWith(`${event.tenantId}:`));
  }

  clear(): void {
    this.cache.clear();
  }
}

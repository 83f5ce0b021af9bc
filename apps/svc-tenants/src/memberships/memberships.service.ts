import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CacheChannel,
  type TMembershipChangedEvent,
  ZMembershipChangedEvent,
} from '@elasticdash/contracts/platform/events';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { type TMembershipResponse, ZMembershipResponse } from '@elasticdash/contracts/tenants/tenant';
import { badRequest, forbidden, notFound } from '@elasticdash/service-kit/errors';
import { REDIS } from '@elasticdash/service-kit/redis';
import { respond } from '@elasticdash/service-kit/validation';
import type { Redis } from 'ioredis';
import type { Tx } from '../db/database.js';
import { assertActorRole } from './membership-rules.js';
import { type MembershipRow, MembershipsRepository } from './memberships.repository.js';

/** Rows locked for a membership change: all owners, the acting member and (optionally) a target. */
export interface LockedMembers {
  ownerCount: number;
  actor: MembershipRow;
  target: MembershipRow | undefined;
}

@Injectable()
export class MembershipsService {
  private readonly logger = new Logger(MembershipsService.name);

  constructor(
    private readonly repository: MembershipsRepository,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Internal: is ctx.userId a member of ctx.tenantId, and with which role. */
  async lookup(ctx: TInternalContext): Promise<TMembershipResponse> {
    if (!ctx.userId || !ctx.tenantId) {
      throw badRequest('The internal context token must carry both userId and tenantId');
    }
    const role = await this.repository.findRole(ctx.tenantId, ctx.userId);
    if (!role) throw notFound('Not a member of this workspace');
    return respond(ZMembershipResponse, { tenantId: ctx.tenantId, userId: ctx.userId, role });
  }

  /**
   * Locks, in one fixed order (owner rows, then actor/target rows, each by user id), the rows a
   * membership change depends on, and re-reads the actor's role from the database rather than
   * trusting the token's (defence in depth: the token may predate a demotion).
   */
  async lockForChange(tx: Tx, tenantId: string, actorId: string, targetId?: string): Promise<LockedMembers> {
    const owners = await this.repository.lockOwners(tenantId, tx);
    const ids = targetId && targetId !== actorId ? [actorId, targetId] : [actorId];
    const rows = await this.repository.lockMembers(tenantId, ids, tx);
    const actor = rows.find((row) => row.userId === actorId);
    if (!actor) throw forbidden('You are not a member of this workspace');
    const target = targetId ? rows.find((row) => row.userId === targetId) : undefined;
    return { ownerCount: owners.length, actor, target };
  }

  /**
   * The caller's membership as stored, checked against `minRole` — the token's role was
   * checked by the guard; this re-reads it (one primary-key lookup) so a stale or wrong token
   * cannot act on a tenant the caller has left or been demoted in. 403 otherwise.
   */
  async requireRole(tenantId: string, userId: string, minRole: TRole, tx?: Tx): Promise<MembershipRow> {
    const actor = await this.repository.find(tenantId, userId, tx);
    if (!actor) throw forbidden('You are not a member of this workspace');
    assertActorRole(actor.role, minRole);
    return actor;
  }

  /**
   * Tells every gateway instance to drop its cached membership (userId null = the whole
   * tenant). Called after the change has committed. A Redis failure does not undo the change;
   * it is logged and the gateway's short cache TTL bounds the staleness.
   */
  async publishChanged(events: TMembershipChangedEvent[]): Promise<void> {
    for (const event of events) {
      const payload = JSON.stringify(ZMembershipChangedEvent.parse(event));
      try {
        await this.redis.publish(CacheChannel.membershipChanged, payload);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.error(
          `could not publish membership change (tenant ${event.tenantId}, user ${event.userId ?? 'all'}): ${reason}; gateway caches expire on their own`,
        );
      }
    }
  }
}

import { hasRole, type TRole } from '@elasticdash/contracts/platform/roles';
import { conflict, forbidden } from '@elasticdash/service-kit/errors';

/**
 * The ownership rules, as pure functions over already-locked rows (see docs/roles.md):
 * - only owners grant or revoke the owner role, so an admin can neither make an owner nor
 *   change or remove one;
 * - a tenant always keeps at least one owner: the last owner cannot be demoted, removed or
 *   leave — ownership is transferred or the workspace deleted instead.
 */

const LAST_OWNER_HINT = 'Transfer ownership to another member first, or delete the workspace.';

export function assertActorRole(actorRole: TRole, minRole: TRole): void {
  if (!hasRole(actorRole, minRole)) {
    throw forbidden(`This needs the ${minRole} role or above; you are ${actorRole}`);
  }
}

export interface RoleChange {
  actorRole: TRole;
  targetRole: TRole;
  newRole: TRole;
  /** How many owners the tenant has right now (rows locked by the caller). */
  ownerCount: number;
  targetIsActor: boolean;
}

export function assertCanChangeRole(change: RoleChange): void {
  assertActorRole(change.actorRole, 'admin');
  if (change.newRole === 'owner' && change.actorRole !== 'owner') {
    throw forbidden('Only an owner can make someone an owner');
  }
  if (change.targetRole === 'owner' && change.actorRole !== 'owner') {
    throw forbidden("Only an owner can change an owner's role");
  }
  if (change.targetRole === 'owner' && change.newRole !== 'owner' && change.ownerCount <= 1) {
    throw conflict(
      change.targetIsActor
        ? `You are the last owner of this workspace and cannot step down. ${LAST_OWNER_HINT}`
        : `This member is the last owner of this workspace and cannot be demoted. ${LAST_OWNER_HINT}`,
    );
  }
}

export interface Removal {
  actorRole: TRole;
  targetRole: TRole;
  ownerCount: number;
  targetIsActor: boolean;
}

export function assertCanRemove(removal: Removal): void {
  assertActorRole(removal.actorRole, 'admin');
  if (removal.targetRole === 'owner' && removal.actorRole !== 'owner') {
    throw forbidden('Only an owner can remove an owner');
  }
  if (removal.targetRole === 'owner' && removal.ownerCount <= 1) {
    throw conflict(
      removal.targetIsActor
        ? `You are the last owner of this workspace and cannot be removed. ${LAST_OWNER_HINT}`
        : `This member is the last owner of this workspace and cannot be removed. ${LAST_OWNER_HINT}`,
    );
  }
}

export function assertCanLeave(role: TRole, ownerCount: number): void {
  if (role === 'owner' && ownerCount <= 1) {
    throw conflict(`You are the last owner of this workspace and cannot leave it. ${LAST_OWNER_HINT}`);
  }
}

import { hasRole, ROLES, type TRole } from '@elasticdash/contracts/platform/roles';

export const ROLE_LABELS: Record<TRole, string> = {
  viewer: 'Viewer',
  editor: 'Editor',
  admin: 'Admin',
  owner: 'Owner',
};

export const ROLE_DESCRIPTIONS: Record<TRole, string> = {
  viewer: 'Can see everything in the workspace',
  editor: 'Can also change data, datasets and plans',
  admin: 'Can also manage members and invitations',
  owner: 'Full control, including deleting the workspace',
};

export const ROLE_BADGE: Record<TRole, 'neutral' | 'accent' | 'success' | 'warning'> = {
  viewer: 'neutral',
  editor: 'success',
  admin: 'accent',
  owner: 'warning',
};

/**
 * What the UI offers; the gateway and svc-tenants enforce the same rules (the UI only hides
 * what would be refused). Only owners touch owners; nobody edits themselves here (they leave,
 * or transfer ownership).
 */
export function canManageMembers(actor: TRole): boolean {
  return hasRole(actor, 'admin');
}

export function canActOnMember(actor: TRole, target: { role: TRole; userId: string }, myUserId: string): boolean {
  if (target.userId === myUserId || !hasRole(actor, 'admin')) return false;
  return target.role !== 'owner' || actor === 'owner';
}

/** Roles an actor may give to someone else. */
export function assignableRoles(actor: TRole): TRole[] {
  return actor === 'owner' ? [...ROLES] : ROLES.filter((role) => role !== 'owner');
}

/** Roles an invitation may carry (owners are made by transfer, never by invitation). */
export function invitableRoles(): Exclude<TRole, 'owner'>[] {
  return ROLES.filter((role): role is Exclude<TRole, 'owner'> => role !== 'owner');
}

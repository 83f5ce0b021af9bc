import { z } from 'zod';

/** Ordered from least to most privileged; each role can do everything the previous one can. */
export const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export function roleRank(role: TRole): number {
  return ROLES.indexOf(role);
}

export function hasRole(actual: TRole, minimum: TRole): boolean {
  return roleRank(actual) >= roleRank(minimum);
}

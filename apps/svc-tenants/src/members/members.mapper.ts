import type { TMember } from '@elasticdash/contracts/tenants/member';
import type { MembershipRow } from '../memberships/memberships.repository.js';

export function toMember(row: MembershipRow): TMember {
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.createdAt.toISOString(),
  };
}

import { z } from 'zod';
import { ZRole } from '../platform/roles.js';

export const ZMember = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: ZRole,
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });
export type TMember = z.infer<typeof ZMember>;

export const ZListMembersResponse = z.object({ members: z.array(ZMember) }).meta({ id: 'ListMembersResponse' });
export type TListMembersResponse = z.infer<typeof ZListMembersResponse>;

export const ZChangeMemberRoleRequest = z.object({ role: ZRole }).meta({ id: 'ChangeMemberRoleRequest' });
export type TChangeMemberRoleRequest = z.infer<typeof ZChangeMemberRoleRequest>;

export const ZMemberResponse = z.object({ member: ZMember }).meta({ id: 'MemberResponse' });
export type TMemberResponse = z.infer<typeof ZMemberResponse>;

export const ZMemberParams = z.object({ userId: z.uuid('userId must be a UUID') });
export type TMemberParams = z.infer<typeof ZMemberParams>;

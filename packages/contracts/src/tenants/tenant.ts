import { z } from 'zod';
import { ZRole } from '../platform/roles.js';

export const ZTenantName = z
  .string()
  .trim()
  .min(2, 'Workspace name must be at least 2 characters')
  .max(80, 'Workspace name must be at most 80 characters');

export const ZTenant = z
  .object({
    id: z.uuid(),
    name: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });
export type TTenant = z.infer<typeof ZTenant>;

/** A tenant as seen by one of its members. */
export const ZMyTenant = ZTenant.extend({ role: ZRole }).meta({ id: 'MyTenant' });
export type TMyTenant = z.infer<typeof ZMyTenant>;

export const ZListMyTenantsResponse = z.object({ tenants: z.array(ZMyTenant) }).meta({ id: 'ListMyTenantsResponse' });
export type TListMyTenantsResponse = z.infer<typeof ZListMyTenantsResponse>;

export const ZCreateTenantRequest = z.object({ name: ZTenantName }).meta({ id: 'CreateTenantRequest' });
export type TCreateTenantRequest = z.infer<typeof ZCreateTenantRequest>;

export const ZRenameTenantRequest = z.object({ name: ZTenantName }).meta({ id: 'RenameTenantRequest' });
export type TRenameTenantRequest = z.infer<typeof ZRenameTenantRequest>;

export const ZTenantResponse = z.object({ tenant: ZMyTenant }).meta({ id: 'TenantResponse' });
export type TTenantResponse = z.infer<typeof ZTenantResponse>;

export const ZTransferOwnershipRequest = z
  .object({
    userId: z.uuid(),
    /** The role the current owner keeps after the transfer. */
    previousOwnerRole: ZRole.exclude(['owner']).default('admin'),
  })
  .meta({ id: 'TransferOwnershipRequest' });
export type TTransferOwnershipRequest = z.infer<typeof ZTransferOwnershipRequest>;

/** Internal: gateway → svc-tenants membership lookup. */
export const ZMembershipResponse = z.object({
  tenantId: z.uuid(),
  userId: z.uuid(),
  role: ZRole,
});
export type TMembershipResponse = z.infer<typeof ZMembershipResponse>;

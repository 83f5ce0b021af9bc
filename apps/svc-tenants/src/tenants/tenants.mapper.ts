import type { TRole } from '@elasticdash/contracts/platform/roles';
import type { TMyTenant } from '@elasticdash/contracts/tenants/tenant';

export function toMyTenant(row: { id: string; name: string; createdAt: Date }, role: TRole): TMyTenant {
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), role };
}

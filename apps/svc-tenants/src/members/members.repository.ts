import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../db/database.js';
import { memberships } from '../db/schema.js';
import type { MembershipRow } from '../memberships/memberships.repository.js';

/** Read models of the member list; row-level changes live in MembershipsRepository. */
@Injectable()
export class MembersRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** Members of one tenant, oldest first. */
  list(tenantId: string): Promise<MembershipRow[]> {
    return this.db
      .select()
      .from(memberships)
      .where(eq(memberships.tenantId, tenantId))
      .orderBy(asc(memberships.createdAt), asc(memberships.userId));
  }
}

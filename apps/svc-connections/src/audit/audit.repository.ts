import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { auditLog } from '../db/schema.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<typeof auditLog.$inferInsert, 'id' | 'seq' | 'at'>;

@Injectable()
export class AuditRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insert(entry: NewAuditRow, exec: Executor = this.db): Promise<void> {
    await exec.insert(auditLog).values(entry);
  }

  /** Newest first, entries older than `beforeSeq` when given. */
  list(tenantId: string, connectionId: string, beforeSeq: number | null, limit: number): Promise<AuditRow[]> {
    return this.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, tenantId),
          eq(auditLog.connectionId, connectionId),
          beforeSeq === null ? undefined : lt(auditLog.seq, beforeSeq),
        ),
      )
      .orderBy(desc(auditLog.seq))
      .limit(limit);
  }
}

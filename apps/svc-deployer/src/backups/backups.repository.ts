import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { backups } from '../db/schema.js';

export type BackupRow = typeof backups.$inferSelect;

/** Statements on `deployer.backups`, every one scoped by tenant. The worker fills the rows in with plain SQL. */
@Injectable()
export class BackupsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** Newest first. */
  list(tenantId: string, deploymentId: string, limit: number, exec: Executor = this.db): Promise<BackupRow[]> {
    return exec
      .select()
      .from(backups)
      .where(and(eq(backups.tenantId, tenantId), eq(backups.deploymentId, deploymentId)))
      .orderBy(desc(backups.startedAt), desc(backups.id))
      .limit(limit);
  }

  async find(
    tenantId: string,
    deploymentId: string,
    id: string,
    exec: Executor = this.db,
  ): Promise<BackupRow | undefined> {
    const [row] = await exec
      .select()
      .from(backups)
      .where(and(eq(backups.tenantId, tenantId), eq(backups.deploymentId, deploymentId), eq(backups.id, id)));
    return row;
  }

  async running(tenantId: string, deploymentId: string, exec: Executor = this.db): Promise<BackupRow | undefined> {
    const [row] = await exec
      .select()
      .from(backups)
      .where(and(eq(backups.tenantId, tenantId), eq(backups.deploymentId, deploymentId), eq(backups.status, 'running')))
      .orderBy(desc(backups.startedAt))
      .limit(1);
    return row;
  }

  async insertManual(tenantId: string, deploymentId: string, tx: Tx): Promise<BackupRow> {
    const [row] = await tx
      .insert(backups)
      .values({ tenantId, deploymentId, trigger: 'manual', status: 'running' })
      .returning();
    if (!row) throw new Error('insert into deployer.backups returned no row');
    return row;
  }

  /** A running row whose worker is long gone (older than `before`) is failed, so it no longer blocks. */
  async failStale(tenantId: string, deploymentId: string, before: Date, error: string, exec: Executor = this.db) {
    return exec
      .update(backups)
      .set({ status: 'failed', error, validation: 'skipped', finishedAt: new Date() })
      .where(
        and(
          eq(backups.tenantId, tenantId),
          eq(backups.deploymentId, deploymentId),
          eq(backups.status, 'running'),
          lt(backups.startedAt, before),
        ),
      )
      .returning({ id: backups.id });
  }

  async fail(tenantId: string, id: string, error: string, exec: Executor = this.db): Promise<BackupRow | undefined> {
    const [row] = await exec
      .update(backups)
      .set({ status: 'failed', error, validation: 'skipped', finishedAt: new Date() })
      .where(and(eq(backups.tenantId, tenantId), eq(backups.id, id)))
      .returning();
    return row;
  }

  async setValidation(
    tenantId: string,
    id: string,
    patch: Pick<BackupRow, 'validation' | 'validationDetails' | 'validatedAt'>,
    exec: Executor = this.db,
  ): Promise<BackupRow | undefined> {
    const [row] = await exec
      .update(backups)
      .set(patch)
      .where(and(eq(backups.tenantId, tenantId), eq(backups.id, id)))
      .returning();
    return row;
  }
}

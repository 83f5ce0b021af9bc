import { Inject, Injectable } from '@nestjs/common';
import { and, eq, ne, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { awsTargets, deployments, secrets } from '../db/schema.js';

export type AwsTargetRow = typeof awsTargets.$inferSelect;
type NewAwsTarget = Pick<
  typeof awsTargets.$inferInsert,
  'tenantId' | 'region' | 'credentialKind' | 'roleArn' | 'accessKeyId' | 'secretRef' | 'updatedBy'
>;

/** Statements on `deployer.aws_targets` (and the sealed secret it references), scoped by tenant. */
@Injectable()
export class TargetsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async findAws(tenantId: string, exec: Executor = this.db): Promise<AwsTargetRow | undefined> {
    const [row] = await exec.select().from(awsTargets).where(eq(awsTargets.tenantId, tenantId));
    return row;
  }

  /** The row under a lock, so a concurrent PUT/DELETE of the same tenant waits. */
  async lockAws(tenantId: string, exec: Executor): Promise<AwsTargetRow | undefined> {
    const [row] = await exec.select().from(awsTargets).where(eq(awsTargets.tenantId, tenantId)).for('update');
    return row;
  }

  /** Inserts or replaces the target; new credentials clear the last check (it was about the old ones). */
  async upsertAws(row: NewAwsTarget, exec: Executor = this.db): Promise<AwsTargetRow> {
    const [saved] = await exec
      .insert(awsTargets)
      .values({ ...row, lastCheck: null })
      .onConflictDoUpdate({
        target: awsTargets.tenantId,
        set: {
          region: row.region,
          credentialKind: row.credentialKind,
          roleArn: row.roleArn,
          accessKeyId: row.accessKeyId,
          secretRef: row.secretRef,
          updatedBy: row.updatedBy,
          lastCheck: null,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    if (!saved) throw new Error('aws_targets upsert returned no row');
    return saved;
  }

  async deleteAws(tenantId: string, exec: Executor = this.db): Promise<void> {
    await exec.delete(awsTargets).where(eq(awsTargets.tenantId, tenantId));
  }

  /** Stores the check result only if the credentials it checked are still the current ones. */
  async setLastCheck(
    tenantId: string,
    secretRef: string,
    check: NonNullable<AwsTargetRow['lastCheck']>,
    exec: Executor = this.db,
  ): Promise<boolean> {
    const rows = await exec
      .update(awsTargets)
      .set({ lastCheck: check })
      .where(and(eq(awsTargets.tenantId, tenantId), eq(awsTargets.secretRef, secretRef)))
      .returning({ tenantId: awsTargets.tenantId });
    return rows.length > 0;
  }

  /** Deployments of the tenant on aws that still hold (or may hold) cloud resources. */
  async liveAwsDeployments(tenantId: string, exec: Executor = this.db): Promise<{ planName: string; state: string }[]> {
    return exec
      .select({ planName: deployments.planName, state: deployments.state })
      .from(deployments)
      .where(
        and(eq(deployments.tenantId, tenantId), eq(deployments.target, 'aws'), ne(deployments.state, 'destroyed')),
      );
  }

  async deleteSecret(tenantId: string, id: string, exec: Executor = this.db): Promise<void> {
    await exec.delete(secrets).where(and(eq(secrets.tenantId, tenantId), eq(secrets.id, id)));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor, type Tx } from '../db/database.js';
import { deploymentEvents, deployments, operations } from '../db/schema.js';

export type DeploymentRow = typeof deployments.$inferSelect;
export type OperationRow = typeof operations.$inferSelect;
export type DeploymentEventRow = typeof deploymentEvents.$inferSelect;

type NewDeployment = Pick<
  typeof deployments.$inferInsert,
  'tenantId' | 'planId' | 'planName' | 'componentId' | 'target' | 'state' | 'adminSecretRef'
>;
type DeploymentPatch = Partial<
  Pick<DeploymentRow, 'planName' | 'componentId' | 'target' | 'state' | 'reason' | 'adminSecretRef'>
>;
type NewOperation = Pick<
  typeof operations.$inferInsert,
  'tenantId' | 'deploymentId' | 'kind' | 'planRevision' | 'document' | 'requestedBy' | 'requestId'
>;
type NewEvent = Pick<
  typeof deploymentEvents.$inferInsert,
  'tenantId' | 'deploymentId' | 'operationId' | 'kind' | 'state' | 'step' | 'message'
>;

const ACTIVE = ['queued', 'running'] as const;

/** Name of the partial unique index that allows one queued-or-running operation per deployment. */
export const ONE_ACTIVE_OPERATION_INDEX = 'operations_one_active_key';

/**
 * Statements on `deployer.deployments`, `operations` and `deployment_events`; every one is
 * scoped by tenant. The worker updates the same rows with plain SQL while it runs.
 */
@Injectable()
export class DeploymentsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async findByPlan(tenantId: string, planId: string, exec: Executor = this.db): Promise<DeploymentRow | undefined> {
    const [row] = await exec
      .select()
      .from(deployments)
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.planId, planId)));
    return row;
  }

  /** The plan's deployment, locked until the transaction ends (serialises deploy/destroy requests). */
  async lockByPlan(tenantId: string, planId: string, tx: Tx): Promise<DeploymentRow | undefined> {
    const [row] = await tx
      .select()
      .from(deployments)
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.planId, planId)))
      .for('update');
    return row;
  }

  /** Newest first. */
  list(tenantId: string, exec: Executor = this.db): Promise<DeploymentRow[]> {
    return exec
      .select()
      .from(deployments)
      .where(eq(deployments.tenantId, tenantId))
      .orderBy(desc(deployments.createdAt), desc(deployments.id));
  }

  /**
   * Creates the plan's deployment unless a concurrent request just did (then undefined: that
   * request's transaction has committed by the time this returns, so lock and read it).
   */
  async insertIfAbsent(row: NewDeployment, tx: Tx): Promise<DeploymentRow | undefined> {
    const [inserted] = await tx
      .insert(deployments)
      .values(row)
      .onConflictDoNothing({ target: [deployments.tenantId, deployments.planId] })
      .returning();
    return inserted;
  }

  async update(tenantId: string, id: string, patch: DeploymentPatch, exec: Executor = this.db): Promise<DeploymentRow> {
    const [row] = await exec
      .update(deployments)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.id, id)))
      .returning();
    if (!row) throw new Error(`deployment ${id} vanished during an update`);
    return row;
  }

  /**
   * Remembers the Data connection of the deployment. Not through `update`: it leaves `updated_at`
   * alone, since the deployment itself did not change.
   */
  async setDataConnection(tenantId: string, id: string, connectionId: string): Promise<void> {
    await this.db
      .update(deployments)
      .set({ dataConnectionId: connectionId })
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.id, id)));
  }

  /** The queued or running operation of a deployment, if any. */
  async activeOperation(tenantId: string, deploymentId: string, exec: Executor = this.db) {
    const [row] = await exec
      .select()
      .from(operations)
      .where(
        and(
          eq(operations.tenantId, tenantId),
          eq(operations.deploymentId, deploymentId),
          inArray(operations.status, [...ACTIVE]),
        ),
      )
      .limit(1);
    return row;
  }

  /** Active operations of several deployments, by deployment id. */
  async activeOperations(
    tenantId: string,
    deploymentIds: readonly string[],
    exec: Executor = this.db,
  ): Promise<Map<string, OperationRow>> {
    if (deploymentIds.length === 0) return new Map();
    const rows = await exec
      .select()
      .from(operations)
      .where(
        and(
          eq(operations.tenantId, tenantId),
          inArray(operations.deploymentId, [...deploymentIds]),
          inArray(operations.status, [...ACTIVE]),
        ),
      );
    return new Map(rows.map((row) => [row.deploymentId, row]));
  }

  /** Fails with a unique violation on ONE_ACTIVE_OPERATION_INDEX when another operation is active. */
  async insertOperation(row: NewOperation, tx: Tx): Promise<OperationRow> {
    const [inserted] = await tx.insert(operations).values(row).returning();
    if (!inserted) throw new Error('operation insert returned no row');
    return inserted;
  }

  /** Marks an operation that could not be queued as failed (only while still queued). */
  async failQueuedOperation(tenantId: string, operationId: string, error: string, exec: Executor = this.db) {
    await exec
      .update(operations)
      .set({ status: 'failed', error, finishedAt: sql`now()` })
      .where(and(eq(operations.tenantId, tenantId), eq(operations.id, operationId), eq(operations.status, 'queued')));
  }

  async insertEvent(row: NewEvent, exec: Executor = this.db): Promise<void> {
    await exec.insert(deploymentEvents).values(row);
  }

  /** The last `limit` events of a deployment, oldest first. */
  async events(tenantId: string, deploymentId: string, limit: number, exec: Executor = this.db) {
    const rows = await exec
      .select()
      .from(deploymentEvents)
      .where(and(eq(deploymentEvents.tenantId, tenantId), eq(deploymentEvents.deploymentId, deploymentId)))
      .orderBy(desc(deploymentEvents.id))
      .limit(limit);
    return rows.reverse();
  }
}

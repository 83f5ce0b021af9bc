import type {
  TDeploymentEndpoint,
  TDeploymentHealth,
  TDeploymentState,
  TDeployTargetKind,
  TOperationKind,
} from '@elasticdash/contracts/deployer/deployment';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { SealedSecret } from '@elasticdash/service-kit/secrets/envelope';
import type pg from 'pg';

/**
 * Raw SQL against svc-deployer's `deployer` schema (this worker runs that service's jobs). Column
 * names are svc-deployer's own (apps/svc-deployer/src/db/schema.ts); nothing here renames them.
 */
export interface DeploymentRow {
  id: string;
  tenantId: string;
  planId: string;
  planName: string;
  componentId: string;
  target: TDeployTargetKind;
  state: TDeploymentState;
  reason: string | null;
  configVersion: number;
  endpoint: TDeploymentEndpoint | null;
  resources: LocalResources;
  adminSecretRef: string | null;
  health: TDeploymentHealth | null;
}

/** `deployments.resources` of a local-target deployment. */
export interface LocalResources {
  port?: number;
  dir?: string;
  dataDir?: string;
  binDir?: string;
  majorVersion?: number;
}

export interface OperationRow {
  id: string;
  tenantId: string;
  deploymentId: string;
  kind: TOperationKind;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  planRevision: number | null;
  document: TCsJsonDocument | null;
  stepsDone: string[];
  runs: number;
  requestId: string | null;
}

export interface EventInput {
  tenantId: string;
  deploymentId: string;
  operationId: string | null;
  kind: 'transition' | 'step' | 'log';
  state?: TDeploymentState | null;
  step?: string | null;
  message: string;
  durationMs?: number | null;
}

export type Queryable = pg.Pool | pg.PoolClient;

/** `deployer.aws_targets` of a tenant (no secret: that is sealed in `deployer.secrets`). */
export interface AwsTargetRow {
  tenantId: string;
  region: string;
  credentialKind: 'role' | 'access-key';
  roleArn: string | null;
  accessKeyId: string | null;
  secretRef: string;
}

interface RawDeployment {
  id: string;
  tenant_id: string;
  plan_id: string;
  plan_name: string;
  component_id: string;
  target: TDeployTargetKind;
  state: TDeploymentState;
  reason: string | null;
  config_version: number;
  endpoint: TDeploymentEndpoint | null;
  resources: LocalResources | null;
  admin_secret_ref: string | null;
  health: TDeploymentHealth | null;
}

const DEPLOYMENT_COLUMNS = `id, tenant_id, plan_id, plan_name, component_id, target, state, reason, config_version,
  endpoint, resources, admin_secret_ref, health`;

function toDeployment(row: RawDeployment): DeploymentRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    planId: row.plan_id,
    planName: row.plan_name,
    componentId: row.component_id,
    target: row.target,
    state: row.state,
    reason: row.reason,
    configVersion: row.config_version,
    endpoint: row.endpoint,
    resources: row.resources ?? {},
    adminSecretRef: row.admin_secret_ref,
    health: row.health,
  };
}

export class DeployRepository {
  constructor(readonly pool: pg.Pool) {}

  async findOperation(operationId: string, tenantId: string): Promise<OperationRow | null> {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      deployment_id: string;
      kind: TOperationKind;
      status: OperationRow['status'];
      plan_revision: number | null;
      document: TCsJsonDocument | null;
      steps_done: string[] | null;
      runs: number;
      request_id: string | null;
    }>(
      `select id, tenant_id, deployment_id, kind, status, plan_revision, document, steps_done, runs, request_id
         from deployer.operations where id = $1 and tenant_id = $2`,
      [operationId, tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      deploymentId: row.deployment_id,
      kind: row.kind,
      status: row.status,
      planRevision: row.plan_revision,
      document: row.document,
      stepsDone: row.steps_done ?? [],
      runs: row.runs,
      requestId: row.request_id,
    };
  }

  async findDeployment(
    deploymentId: string,
    tenantId: string,
    db: Queryable = this.pool,
  ): Promise<DeploymentRow | null> {
    const { rows } = await db.query<RawDeployment>(
      `select ${DEPLOYMENT_COLUMNS} from deployer.deployments where id = $1 and tenant_id = $2`,
      [deploymentId, tenantId],
    );
    return rows[0] ? toDeployment(rows[0]) : null;
  }

  /** Starts a run of the operation: running, one more run, no error. */
  async markRunning(op: OperationRow): Promise<void> {
    await this.pool.query(
      `update deployer.operations
          set status = 'running', runs = runs + 1, started_at = coalesce(started_at, now()), error = null, finished_at = null
        where id = $1 and tenant_id = $2`,
      [op.id, op.tenantId],
    );
  }

  async finishOperation(
    op: OperationRow,
    status: 'succeeded' | 'failed',
    error: string | null,
    db: Queryable = this.pool,
  ): Promise<void> {
    await db.query(
      `update deployer.operations set status = $3, error = $4, finished_at = now() where id = $1 and tenant_id = $2`,
      [op.id, op.tenantId, status, error],
    );
  }

  /** Appends a step to `steps_done` (once). */
  async stepDone(op: OperationRow, step: string, db: Queryable = this.pool): Promise<void> {
    await db.query(
      `update deployer.operations set steps_done = steps_done || to_jsonb($3::text)
        where id = $1 and tenant_id = $2 and not steps_done ? $3`,
      [op.id, op.tenantId, step],
    );
  }

  async insertEvent(event: EventInput, db: Queryable = this.pool): Promise<void> {
    await db.query(
      `insert into deployer.deployment_events (tenant_id, deployment_id, operation_id, kind, state, step, message, duration_ms)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.tenantId,
        event.deploymentId,
        event.operationId,
        event.kind,
        event.state ?? null,
        event.step ?? null,
        event.message,
        event.durationMs ?? null,
      ],
    );
  }

  /**
   * Moves the deployment to `state` (with the reason) and records the transition, in the caller's
   * transaction. Returns false (and records nothing) when it already is in that state with that reason.
   */
  async transition(
    db: Queryable,
    deployment: DeploymentRow,
    operationId: string | null,
    state: TDeploymentState,
    reason: string | null,
    message: string,
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      `update deployer.deployments set state = $3, reason = $4, updated_at = now()
        where id = $1 and tenant_id = $2 and (state <> $3 or reason is distinct from $4)`,
      [deployment.id, deployment.tenantId, state, reason],
    );
    if (!rowCount) return false;
    await this.insertEvent(
      { tenantId: deployment.tenantId, deploymentId: deployment.id, operationId, kind: 'transition', state, message },
      db,
    );
    return true;
  }

  async setResources(db: Queryable, deployment: DeploymentRow, resources: LocalResources): Promise<void> {
    await db.query(
      `update deployer.deployments set resources = $3::jsonb, updated_at = now() where id = $1 and tenant_id = $2`,
      [deployment.id, deployment.tenantId, JSON.stringify(resources)],
    );
  }

  async setConfigVersion(db: Queryable, deployment: DeploymentRow, version: number): Promise<void> {
    await db.query(
      `update deployer.deployments set config_version = greatest(config_version, $3), updated_at = now()
        where id = $1 and tenant_id = $2`,
      [deployment.id, deployment.tenantId, version],
    );
  }

  /** What is running now: endpoint, deployed revision and document, health. */
  async register(
    db: Queryable,
    deployment: DeploymentRow,
    op: OperationRow,
    endpoint: TDeploymentEndpoint,
    health: TDeploymentHealth,
  ): Promise<void> {
    await db.query(
      `update deployer.deployments
          set endpoint = $3::jsonb, deployed_revision = coalesce($4, deployed_revision),
              deployed_document = coalesce($5::jsonb, deployed_document), health = $6::jsonb, updated_at = now()
        where id = $1 and tenant_id = $2`,
      [
        deployment.id,
        deployment.tenantId,
        JSON.stringify(endpoint),
        op.planRevision,
        op.document ? JSON.stringify(op.document) : null,
        JSON.stringify(health),
      ],
    );
  }

  /** After destroy: nothing is allocated or reachable any more. */
  async clearAfterDestroy(db: Queryable, deployment: DeploymentRow): Promise<void> {
    await db.query(
      `update deployer.deployments
          set endpoint = null, resources = '{}'::jsonb, health = null, admin_secret_ref = null, updated_at = now()
        where id = $1 and tenant_id = $2`,
      [deployment.id, deployment.tenantId],
    );
  }

  async loadSecret(secretId: string, tenantId: string): Promise<SealedSecret | null> {
    const { rows } = await this.pool.query<{
      master_key_id: string;
      wrapped_key: Buffer;
      wrap_iv: Buffer;
      wrap_tag: Buffer;
      iv: Buffer;
      ciphertext: Buffer;
      auth_tag: Buffer;
    }>(
      `select master_key_id, wrapped_key, wrap_iv, wrap_tag, iv, ciphertext, auth_tag
         from deployer.secrets where id = $1 and tenant_id = $2`,
      [secretId, tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      masterKeyId: row.master_key_id,
      wrappedKey: row.wrapped_key,
      wrapIv: row.wrap_iv,
      wrapTag: row.wrap_tag,
      iv: row.iv,
      ciphertext: row.ciphertext,
      authTag: row.auth_tag,
    };
  }

  async deleteSecret(db: Queryable, secretId: string, tenantId: string): Promise<void> {
    await db.query('delete from deployer.secrets where id = $1 and tenant_id = $2', [secretId, tenantId]);
  }

  /** The workspace's AWS target (the public half of its credentials; the secret is `loadSecret(secretRef)`). */
  async findAwsTarget(tenantId: string): Promise<AwsTargetRow | null> {
    const { rows } = await this.pool.query<{
      region: string;
      credential_kind: 'role' | 'access-key';
      role_arn: string | null;
      access_key_id: string | null;
      secret_ref: string;
    }>(
      `select region, credential_kind, role_arn, access_key_id, secret_ref from deployer.aws_targets where tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      tenantId,
      region: row.region,
      credentialKind: row.credential_kind,
      roleArn: row.role_arn,
      accessKeyId: row.access_key_id,
      secretRef: row.secret_ref,
    };
  }

  /** Merges keys into `deployments.resources` (the AWS target records ids as its steps create them). */
  async mergeResources(db: Queryable, deployment: DeploymentRow, patch: Record<string, unknown>): Promise<void> {
    await db.query(
      `update deployer.deployments set resources = resources || $3::jsonb, updated_at = now() where id = $1 and tenant_id = $2`,
      [deployment.id, deployment.tenantId, JSON.stringify(patch)],
    );
  }

  /** The document of the last successful deploy (what runs now), for the re-deploy change plan. */
  async deployedDocument(deploymentId: string, tenantId: string): Promise<TCsJsonDocument | null> {
    const { rows } = await this.pool.query<{ deployed_document: TCsJsonDocument | null }>(
      'select deployed_document from deployer.deployments where id = $1 and tenant_id = $2',
      [deploymentId, tenantId],
    );
    return rows[0]?.deployed_document ?? null;
  }

  /** Ports held by local deployments other than this one (not destroyed). */
  async portsInUse(db: Queryable, deploymentId: string): Promise<Set<number>> {
    const { rows } = await db.query<{ port: number }>(
      `select (resources->>'port')::int as port from deployer.deployments
        where target = 'local' and state <> 'destroyed' and id <> $1 and resources ? 'port'`,
      [deploymentId],
    );
    return new Set(rows.map((r) => r.port));
  }

  /** Whether a queued or running operation exists for the deployment (the monitor stays out of its way). */
  async hasActiveOperation(deploymentId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ active: boolean }>(
      `select exists (select 1 from deployer.operations where deployment_id = $1 and status in ('queued', 'running')) as active`,
      [deploymentId],
    );
    return rows[0]?.active ?? false;
  }

  /** Status of the deployment's most recent operation. */
  async lastOperationStatus(deploymentId: string): Promise<OperationRow['status'] | null> {
    const { rows } = await this.pool.query<{ status: OperationRow['status'] }>(
      `select status from deployer.operations where deployment_id = $1 order by created_at desc, id desc limit 1`,
      [deploymentId],
    );
    return rows[0]?.status ?? null;
  }

  /**
   * Records a monitor verdict that keeps the state, only while the state is still the one the
   * check read (false: an operation or an overlapping check moved it; this verdict is stale).
   */
  async setHealth(deployment: DeploymentRow, health: TDeploymentHealth): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `update deployer.deployments set health = $3::jsonb where id = $1 and tenant_id = $2 and state = $4`,
      [deployment.id, deployment.tenantId, JSON.stringify(health), deployment.state],
    );
    return Boolean(rowCount);
  }

  /**
   * Monitor verdict that changes the state: only from `from`, and only while no operation is
   * queued or running (an operation owns the state while it runs).
   */
  async monitorTransition(
    deployment: DeploymentRow,
    from: TDeploymentState,
    to: TDeploymentState,
    reason: string | null,
    health: TDeploymentHealth,
  ): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const { rowCount } = await client.query(
        `update deployer.deployments set state = $4, reason = $5, health = $6::jsonb, updated_at = now()
          where id = $1 and tenant_id = $2 and state = $3
            and not exists (select 1 from deployer.operations o where o.deployment_id = $1 and o.status in ('queued', 'running'))`,
        [deployment.id, deployment.tenantId, from, to, reason, JSON.stringify(health)],
      );
      if (rowCount) {
        await this.insertEvent(
          {
            tenantId: deployment.tenantId,
            deploymentId: deployment.id,
            operationId: null,
            kind: 'transition',
            state: to,
            message: to === 'running' ? 'monitor: healthy again' : `monitor: ${reason ?? 'unhealthy'}`,
          },
          client,
        );
      }
      await client.query('commit');
      return Boolean(rowCount);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `fn` in one transaction. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

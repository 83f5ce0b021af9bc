import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type pg from 'pg';

export interface ActiveIngest {
  id: string;
  tenantId: string;
  datasetId: string;
  requestId: string | null;
}

export interface ActiveOperation {
  id: string;
  tenantId: string;
  deploymentId: string;
  kind: 'deploy' | 'redeploy' | 'destroy';
  requestId: string | null;
}

export interface MonitoredDeployment {
  id: string;
  tenantId: string;
  componentId: string;
  deployedDocument: TCsJsonDocument | null;
}

export interface RunningBackup {
  id: string;
  tenantId: string;
  deploymentId: string;
  trigger: 'schedule' | 'manual';
}

/** At most this many rows per kind and pass; the next pass takes the rest. */
const BATCH = 500;

/**
 * The rows that say a job should exist: the database is the record of what was asked for, Redis
 * only the delivery. Each service's schema may be absent (a worker against a database of one
 * service only, as in tests): its query is then skipped.
 */
export class RecoveryRepository {
  constructor(private readonly pool: pg.Pool) {}

  async hasTable(qualifiedName: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ found: boolean }>('select to_regclass($1) is not null as found', [
      qualifiedName,
    ]);
    return rows[0]?.found ?? false;
  }

  /** Ingests queued or running for longer than the grace period (a fresh one may not be enqueued yet). */
  async activeIngests(graceMs: number): Promise<ActiveIngest[]> {
    const { rows } = await this.pool.query<ActiveIngest>(
      `select id, tenant_id as "tenantId", dataset_id as "datasetId", request_id as "requestId"
         from datasets.ingests
        where status in ('queued', 'running') and created_at < now() - make_interval(secs => $1::double precision / 1000)
        order by created_at
        limit ${BATCH}`,
      [graceMs],
    );
    return rows;
  }

  async activeOperations(graceMs: number): Promise<ActiveOperation[]> {
    const { rows } = await this.pool.query<ActiveOperation>(
      `select id, tenant_id as "tenantId", deployment_id as "deploymentId", kind, request_id as "requestId"
         from deployer.operations
        where status in ('queued', 'running') and created_at < now() - make_interval(secs => $1::double precision / 1000)
        order by created_at
        limit ${BATCH}`,
      [graceMs],
    );
    return rows;
  }

  /** Deployments the monitor watches: deployed once (an endpoint) and not destroyed. */
  async monitoredDeployments(): Promise<MonitoredDeployment[]> {
    const { rows } = await this.pool.query<MonitoredDeployment>(
      `select id, tenant_id as "tenantId", component_id as "componentId", deployed_document as "deployedDocument"
         from deployer.deployments
        where state in ('running', 'failed') and endpoint is not null
        order by id
        limit ${BATCH}`,
    );
    return rows;
  }

  /** Backups marked running for longer than the grace period (their job may have been lost). */
  async runningBackups(graceMs: number): Promise<RunningBackup[]> {
    const { rows } = await this.pool.query<RunningBackup>(
      `select id, tenant_id as "tenantId", deployment_id as "deploymentId", trigger
         from deployer.backups
        where status = 'running' and started_at < now() - make_interval(secs => $1::double precision / 1000)
        order by started_at
        limit ${BATCH}`,
      [graceMs],
    );
    return rows;
  }
}

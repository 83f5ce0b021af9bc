import type {
  TDeployment,
  TDeploymentEventRecord,
  TDeploymentOperation,
} from '@elasticdash/contracts/deployer/deployment';
import type { DeploymentEventRow, DeploymentRow, OperationRow } from './deployments.repository.js';

export function toOperation(row: OperationRow): TDeploymentOperation {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    planRevision: row.planRevision,
    error: row.error,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function toDeployment(row: DeploymentRow, active: OperationRow | undefined): TDeployment {
  return {
    id: row.id,
    planId: row.planId,
    planName: row.planName,
    target: row.target,
    state: row.state,
    reason: row.reason,
    deployedRevision: row.deployedRevision,
    endpoint: row.endpoint,
    health: row.health,
    activeOperation: active ? toOperation(active) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toEventRecord(row: DeploymentEventRow): TDeploymentEventRecord {
  return {
    id: row.id,
    operationId: row.operationId,
    at: row.at.toISOString(),
    kind: row.kind,
    state: row.state,
    step: row.step,
    message: row.message,
    durationMs: row.durationMs,
  };
}

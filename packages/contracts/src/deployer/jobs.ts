import { z } from 'zod';
import type { TOperationKind } from './deployment.js';

/** BullMQ queue of deployment operations (deploy, redeploy, destroy) and monitors. */
export const DeployerQueues = {
  operations: 'plan-deploy',
  monitor: 'deployment-monitor',
  /** Backups and their validation by restore (docs/deployer.md, "Backups"). */
  backups: 'deployment-backup',
} as const;

/** Job names on `plan-deploy`; the job id is the operation id, so enqueueing twice runs once. */
export const DEPLOY_JOB_NAMES = { deploy: 'plan.deploy', destroy: 'plan.destroy' } as const;

export const ZDeploymentOperationJob = z.object({
  tenantId: z.uuid(),
  deploymentId: z.uuid(),
  operationId: z.uuid(),
  requestId: z.string().nullable(),
});
export type TDeploymentOperationJob = z.infer<typeof ZDeploymentOperationJob>;

/** Deploy and re-deploy share `plan.deploy` (the worker tells them apart by the operation kind). */
export function operationJobName(kind: TOperationKind): string {
  return kind === 'destroy' ? DEPLOY_JOB_NAMES.destroy : DEPLOY_JOB_NAMES.deploy;
}

/**
 * Options of every operation job: the producer (svc-deployer) and the worker's job reconciler
 * (which re-enqueues jobs Redis lost) must add identical jobs. Steps are idempotent and
 * resumable, so retries pick up where the last run stopped.
 */
export const OPERATION_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { count: 1_000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5_000, age: 30 * 24 * 3600 },
} as const;

/**
 * A job on `deployment-backup`: `backup` dumps, uploads, validates and applies retention (a
 * scheduled run has no backupId: the worker creates the row; a manual one was created by
 * svc-deployer and the job id is the backup id); `validate` re-runs the restore check of one backup.
 */
export const BACKUP_JOB_NAMES = { backup: 'deployment.backup', validate: 'deployment.backup.validate' } as const;
export const ZDeploymentBackupJob = z.object({
  tenantId: z.uuid(),
  deploymentId: z.uuid(),
  backupId: z.uuid().nullable(),
  trigger: z.enum(['schedule', 'manual']),
  requestId: z.string().nullable(),
});
export type TDeploymentBackupJob = z.infer<typeof ZDeploymentBackupJob>;

/**
 * Options of every backup job (svc-deployer's "back up now", the worker's schedule and its job
 * reconciler): infrastructure errors (S3, the platform database) are retried; a pg_dump failure is final.
 */
export const BACKUP_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { count: 200, age: 7 * 24 * 3600 },
  removeOnFail: { count: 1_000, age: 30 * 24 * 3600 },
} as const;

/** Repeatable job per running deployment (job id `monitor:<deploymentId>`). */
export const ZDeploymentMonitorJob = z.object({ tenantId: z.uuid(), deploymentId: z.uuid() });
export type TDeploymentMonitorJob = z.infer<typeof ZDeploymentMonitorJob>;

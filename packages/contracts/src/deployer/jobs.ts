import { z } from 'zod';

/** BullMQ queue of deployment operations (deploy, redeploy, destroy) and monitors. */
export const DeployerQueues = {
  operations: 'plan-deploy',
  monitor: 'deployment-monitor',
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

/** Repeatable job per running deployment (job id `monitor:<deploymentId>`). */
export const ZDeploymentMonitorJob = z.object({ tenantId: z.uuid(), deploymentId: z.uuid() });
export type TDeploymentMonitorJob = z.infer<typeof ZDeploymentMonitorJob>;

import { z } from 'zod';

/**
 * Deployment lifecycle (docs/deployer.md):
 * pending → provisioning → configuring → running, or failed (with a reason);
 * a re-deploy of a running deployment: updating → running | failed;
 * destroy: destroying → destroyed.
 */
export const DEPLOYMENT_STATES = [
  'pending',
  'provisioning',
  'configuring',
  'running',
  'updating',
  'failed',
  'destroying',
  'destroyed',
] as const;
export const ZDeploymentState = z.enum(DEPLOYMENT_STATES);
export type TDeploymentState = z.infer<typeof ZDeploymentState>;

export const DEPLOY_TARGET_KINDS = ['local', 'aws'] as const;
export const ZDeployTargetKind = z.enum(DEPLOY_TARGET_KINDS);
export type TDeployTargetKind = z.infer<typeof ZDeployTargetKind>;

/** Health from the monitor: `ok` false carries the reason (port closed, auth failed, disk > 90 %…). */
export const ZDeploymentHealth = z.object({
  ok: z.boolean(),
  reason: z.string().nullable(),
  checkedAt: z.iso.datetime(),
  /** Settings read back from the server (max_connections, shared_buffers, server_version…). */
  settings: z.record(z.string(), z.string()),
});
export type TDeploymentHealth = z.infer<typeof ZDeploymentHealth>;

export const ZDeploymentEndpoint = z.object({
  host: z.string(),
  port: z.number().int(),
  database: z.string(),
  user: z.string(),
});
export type TDeploymentEndpoint = z.infer<typeof ZDeploymentEndpoint>;

export const OPERATION_KINDS = ['deploy', 'redeploy', 'destroy'] as const;
export const ZOperationKind = z.enum(OPERATION_KINDS);
export type TOperationKind = z.infer<typeof ZOperationKind>;

export const ZDeploymentOperation = z.object({
  id: z.uuid(),
  kind: ZOperationKind,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  planRevision: z.number().int().min(1).nullable(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type TDeploymentOperation = z.infer<typeof ZDeploymentOperation>;

export const ZDeployment = z
  .object({
    id: z.uuid(),
    planId: z.uuid(),
    planName: z.string(),
    target: ZDeployTargetKind,
    state: ZDeploymentState,
    /** Why it is failed (or what is wrong while running, from the monitor). */
    reason: z.string().nullable(),
    /** Plan revision of the last successful deploy. */
    deployedRevision: z.number().int().min(1).nullable(),
    endpoint: ZDeploymentEndpoint.nullable(),
    health: ZDeploymentHealth.nullable(),
    /** The operation in progress (queued or running), if any. */
    activeOperation: ZDeploymentOperation.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Deployment' });
export type TDeployment = z.infer<typeof ZDeployment>;

export const ZDeploymentResponse = z.object({ deployment: ZDeployment }).meta({ id: 'DeploymentResponse' });
export type TDeploymentResponse = z.infer<typeof ZDeploymentResponse>;

export const ZListDeploymentsResponse = z
  .object({ deployments: z.array(ZDeployment) })
  .meta({ id: 'ListDeploymentsResponse' });
export type TListDeploymentsResponse = z.infer<typeof ZListDeploymentsResponse>;

/** `POST /v1/plans/:planId/deploy`. */
export const ZDeployPlanRequest = z
  .object({
    target: ZDeployTargetKind.default('local'),
    /** The plan revision to deploy; default: the latest. */
    revision: z.number().int().min(1).optional(),
    /** Needed for changes that would replace the server or lose data (OS family, major version, smaller disk). */
    confirmDestructive: z.boolean().default(false),
  })
  .meta({ id: 'DeployPlanRequest' });
export type TDeployPlanRequest = z.infer<typeof ZDeployPlanRequest>;

/** `details` of the 409 when an operation is already in progress. */
export const ZDeploymentBusyDetails = z.object({ operation: ZDeploymentOperation });

export const ZDestroyDeploymentRequest = z
  .object({ confirmPlanName: z.string().min(1, 'Type the plan name to confirm') })
  .meta({ id: 'DestroyDeploymentRequest' });
export type TDestroyDeploymentRequest = z.infer<typeof ZDestroyDeploymentRequest>;

export const DEPLOYMENT_EVENT_KINDS = ['transition', 'step', 'log'] as const;
export const ZDeploymentEventRecord = z
  .object({
    id: z.number().int(),
    operationId: z.uuid().nullable(),
    at: z.iso.datetime(),
    kind: z.enum(DEPLOYMENT_EVENT_KINDS),
    state: ZDeploymentState.nullable(),
    step: z.string().nullable(),
    message: z.string(),
    durationMs: z.number().int().min(0).nullable(),
  })
  .meta({ id: 'DeploymentEventRecord' });
export type TDeploymentEventRecord = z.infer<typeof ZDeploymentEventRecord>;

export const ZListDeploymentEventsResponse = z
  .object({ events: z.array(ZDeploymentEventRecord) })
  .meta({ id: 'ListDeploymentEventsResponse' });
export type TListDeploymentEventsResponse = z.infer<typeof ZListDeploymentEventsResponse>;

/** `POST /v1/plans/:planId/deployment/credentials`: the admin password, revealed on request and audited. */
export const ZDeploymentCredentialsResponse = z
  .object({
    endpoint: ZDeploymentEndpoint,
    password: z.string(),
    connectionString: z.string(),
  })
  .meta({ id: 'DeploymentCredentialsResponse' });
export type TDeploymentCredentialsResponse = z.infer<typeof ZDeploymentCredentialsResponse>;

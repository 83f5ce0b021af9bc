import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  type TDeploymentResponse,
  type TDeploymentState,
  type TDeployPlanRequest,
  type TDestroyDeploymentRequest,
  type TListDeploymentEventsResponse,
  type TListDeploymentsResponse,
  type TOperationKind,
  ZDeploymentBusyDetails,
  ZDeploymentResponse,
  ZListDeploymentEventsResponse,
  ZListDeploymentsResponse,
} from '@elasticdash/contracts/deployer/deployment';
import { ErrorCode } from '@elasticdash/contracts/platform/errors';
import { PgErrorCode, isPgError } from '@elasticdash/db/errors';
import type { TChangePlan } from '@elasticdash/pg-knowledge/deploy/change-plan';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import {
  AppError,
  badRequest,
  conflict,
  notFound,
  serviceUnavailable,
  validationFailed,
} from '@elasticdash/service-kit/errors';
import { unwrapQueryError } from '@elasticdash/service-kit/exception-filter';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions, type Tx } from '../db/database.js';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { OperationsQueue } from '../infra/operations-queue.js';
import { PlansClient } from '../infra/plans-client.js';
import { StatusEvents } from '../infra/status-events.js';
import { AdminSecrets } from '../secrets/admin-secrets.js';
import { TargetsService } from '../targets/targets.service.js';
import { decideDeploy } from './deploy-decision.js';
import { toDeployment, toEventRecord, toOperation } from './deployments.mapper.js';
import {
  type DeploymentRow,
  DeploymentsRepository,
  ONE_ACTIVE_OPERATION_INDEX,
  type OperationRow,
} from './deployments.repository.js';

export const NOT_DEPLOYED = 'This plan has not been deployed';
/** The step log returns at most this many events (the latest ones). */
const EVENTS_LIMIT = 500;

/** 409 `deployment_busy`: another operation of this deployment is queued or running. */
export function deploymentBusy(active: OperationRow): AppError {
  const since = active.createdAt.toISOString();
  return new AppError(
    HttpStatus.CONFLICT,
    'deployment_busy',
    `A ${active.kind} of this plan is already ${active.status} (operation ${active.id}, requested by ${active.requestedBy} at ${since}); wait for it to finish`,
    ZDeploymentBusyDetails.parse({ operation: toOperation(active) }),
  );
}

function destructiveChange(change: TChangePlan): AppError {
  const paths = change.destructive.map((item) => item.path).join(', ');
  return new AppError(
    HttpStatus.CONFLICT,
    'destructive_change',
    `This change would replace the server or lose its data (${paths}); deploy again with confirmDestructive to accept that`,
    {
      changes: change.destructive.map((item) => ({
        path: item.path,
        from: item.from,
        to: item.to,
        reason: item.reason,
      })),
    },
  );
}

function isActiveOperationConflict(error: unknown): boolean {
  const cause = unwrapQueryError(error);
  return (
    isPgError(cause, PgErrorCode.uniqueViolation) &&
    (cause as { constraint?: unknown }).constraint === ONE_ACTIVE_OPERATION_INDEX
  );
}

interface Started {
  deployment: DeploymentRow;
  operation: OperationRow;
  /** The row before this request (undefined when this request created it). */
  previous: DeploymentRow | undefined;
}

/**
 * Deployments of the workspace: records deploy / re-deploy / destroy operations, one at a time
 * per deployment, and hands them to the worker through the `plan-deploy` queue.
 */
@Injectable()
export class DeploymentsService {
  private readonly logger = new Logger('DeploymentsService');

  constructor(
    @Inject(DEPLOYER_ENV) private readonly env: TDeployerEnv,
    private readonly transactions: Transactions,
    private readonly deployments: DeploymentsRepository,
    private readonly plans: PlansClient,
    private readonly queue: OperationsQueue,
    private readonly statusEvents: StatusEvents,
    private readonly secrets: AdminSecrets,
    private readonly targets: TargetsService,
  ) {}

  async list(ctx: TTenantContext): Promise<TListDeploymentsResponse> {
    const rows = await this.deployments.list(ctx.tenantId);
    const active = await this.deployments.activeOperations(
      ctx.tenantId,
      rows.map((row) => row.id),
    );
    return respond(ZListDeploymentsResponse, { deployments: rows.map((row) => toDeployment(row, active.get(row.id))) });
  }

  async get(ctx: TTenantContext, planId: string): Promise<TDeploymentResponse> {
    const row = await this.deployments.findByPlan(ctx.tenantId, planId);
    if (!row) throw notFound(NOT_DEPLOYED);
    const active = await this.deployments.activeOperation(ctx.tenantId, row.id);
    return respond(ZDeploymentResponse, { deployment: toDeployment(row, active) });
  }

  async events(ctx: TTenantContext, planId: string): Promise<TListDeploymentEventsResponse> {
    const row = await this.deployments.findByPlan(ctx.tenantId, planId);
    if (!row) throw notFound(NOT_DEPLOYED);
    const events = await this.deployments.events(ctx.tenantId, row.id, EVENTS_LIMIT);
    return respond(ZListDeploymentEventsResponse, { events: events.map(toEventRecord) });
  }

  /**
   * Deploys the plan's first component: a new deployment (or a deploy after a destroy), else a
   * re-deploy in place. The plan is read from svc-plans with the caller's own token.
   */
  async deploy(
    ctx: TTenantContext,
    token: string,
    planId: string,
    body: TDeployPlanRequest,
  ): Promise<TDeploymentResponse> {
    if (body.target === 'aws') {
      // Both must hold: the installation enables aws, and this workspace has stored credentials.
      const usable = await this.targets.awsUsable(ctx.tenantId);
      if (!usable.ok) throw badRequest(`Cannot deploy to AWS: ${usable.reason}`);
    } else if (!this.env.DEPLOY_TARGETS.includes(body.target)) {
      throw badRequest(`The ${body.target} target is not enabled on this platform`);
    }
    const snapshot = await this.plans.snapshot({ token, requestId: ctx.requestId }, planId, body.revision);
    if (!snapshot.validity.valid) {
      const count = snapshot.validity.errors.length;
      throw new AppError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        ErrorCode.validation,
        `Revision ${snapshot.revision} of this plan has ${count} error${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} before deploying`,
        { issues: snapshot.validity.errors },
      );
    }
    const component = snapshot.document.components[0];
    if (!component) {
      throw new AppError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCode.validation, 'This plan has nothing to deploy', {
        issues: [{ path: 'components', message: 'Add a PostgreSQL component to the plan first' }],
      });
    }

    const started = await this.startOperation(ctx.tenantId, planId, async (tx, locked) => {
      let existing = locked;
      let previous = locked;
      if (!existing) {
        existing = await this.deployments.insertIfAbsent(
          {
            tenantId: ctx.tenantId,
            planId,
            planName: snapshot.plan.name,
            componentId: component.id,
            target: body.target,
            state: 'pending',
            adminSecretRef: null,
          },
          tx,
        );
        // A concurrent first deploy created it (and has committed): use that row.
        if (!existing) existing = previous = await this.deployments.lockByPlan(ctx.tenantId, planId, tx);
        if (!existing) throw new Error('the deployment row vanished while it was being created');
      }
      if (previous) {
        const active = await this.deployments.activeOperation(ctx.tenantId, previous.id, tx);
        if (active) throw deploymentBusy(active);
      }
      const decision = decideDeploy(previous, component, body.target, body.confirmDestructive);
      if (decision.outcome === 'refused') throw destructiveChange(decision.change);
      if (decision.outcome === 'target-mismatch') {
        throw conflict(
          `This plan is deployed on the ${decision.current} target; destroy that deployment before deploying to ${body.target}`,
        );
      }
      const kind: TOperationKind = decision.outcome === 'redeploy' ? 'redeploy' : 'deploy';
      const adminSecretRef = existing.adminSecretRef ?? (await this.secrets.create(ctx.tenantId, tx));
      const operation = await this.deployments.insertOperation(
        {
          tenantId: ctx.tenantId,
          deploymentId: existing.id,
          kind,
          planRevision: snapshot.revision,
          document: snapshot.document,
          requestedBy: ctx.email,
          requestId: ctx.requestId,
        },
        tx,
      );
      const deployment = await this.deployments.update(
        ctx.tenantId,
        existing.id,
        {
          planName: snapshot.plan.name,
          componentId: component.id,
          target: body.target,
          state: decision.state,
          reason: null,
          adminSecretRef,
        },
        tx,
      );
      const what = kind === 'redeploy' ? 'Re-deploy' : 'Deploy';
      await this.deployments.insertEvent(
        {
          tenantId: ctx.tenantId,
          deploymentId: deployment.id,
          operationId: operation.id,
          kind: 'transition',
          state: decision.state,
          step: null,
          message: `${what} of revision ${snapshot.revision} to the ${body.target} target requested by ${ctx.email}`,
        },
        tx,
      );
      if (decision.outcome === 'redeploy') {
        const reasons = decision.change.noop
          ? ['No changes since the last deploy; the desired configuration is applied again']
          : decision.change.reasons;
        for (const reason of reasons) {
          await this.deployments.insertEvent(
            {
              tenantId: ctx.tenantId,
              deploymentId: deployment.id,
              operationId: operation.id,
              kind: 'log',
              state: null,
              step: 'plan-change',
              message: reason,
            },
            tx,
          );
        }
      }
      return { deployment, operation, previous };
    });
    return this.enqueue(ctx, started);
  }

  /** Destroys the deployed server and its data; the caller types the plan name to confirm. */
  async destroy(ctx: TTenantContext, planId: string, body: TDestroyDeploymentRequest): Promise<TDeploymentResponse> {
    const started = await this.startOperation(ctx.tenantId, planId, async (tx, existing) => {
      if (!existing) throw notFound(NOT_DEPLOYED);
      if (existing.state === 'destroyed') {
        throw conflict('This deployment is already destroyed; there is nothing left to destroy');
      }
      if (body.confirmPlanName !== existing.planName) {
        throw validationFailed(
          [{ path: 'confirmPlanName', message: `Type the plan name "${existing.planName}" exactly to confirm` }],
          'confirmPlanName does not match the name of the deployed plan',
        );
      }
      const active = await this.deployments.activeOperation(ctx.tenantId, existing.id, tx);
      if (active) throw deploymentBusy(active);
      const operation = await this.deployments.insertOperation(
        {
          tenantId: ctx.tenantId,
          deploymentId: existing.id,
          kind: 'destroy',
          planRevision: existing.deployedRevision,
          document: existing.deployedDocument,
          requestedBy: ctx.email,
          requestId: ctx.requestId,
        },
        tx,
      );
      const deployment = await this.deployments.update(
        ctx.tenantId,
        existing.id,
        { state: 'destroying', reason: null },
        tx,
      );
      await this.deployments.insertEvent(
        {
          tenantId: ctx.tenantId,
          deploymentId: deployment.id,
          operationId: operation.id,
          kind: 'transition',
          state: 'destroying',
          step: null,
          message: `Destroy requested by ${ctx.email}`,
        },
        tx,
      );
      return { deployment, operation, previous: existing };
    });
    return this.enqueue(ctx, started);
  }

  /**
   * Runs `work` with the plan's deployment row locked (undefined when there is none). The
   * partial unique index on active operations is the last word: a request that loses a race
   * to it answers 409 `deployment_busy` naming the winner.
   */
  private async startOperation(
    tenantId: string,
    planId: string,
    work: (tx: Tx, locked: DeploymentRow | undefined) => Promise<Started>,
  ): Promise<Started> {
    try {
      return await this.transactions.run(async (tx) =>
        work(tx, await this.deployments.lockByPlan(tenantId, planId, tx)),
      );
    } catch (error) {
      if (!isActiveOperationConflict(error)) throw error;
      const row = await this.deployments.findByPlan(tenantId, planId);
      const active = row ? await this.deployments.activeOperation(tenantId, row.id) : undefined;
      if (active) throw deploymentBusy(active);
      throw conflict('Another operation of this plan started at the same time; try again');
    }
  }

  /**
   * Publishes the new state and enqueues the job (id = operation id). When the queue cannot be
   * reached the operation is marked failed and the deployment put back as it was, so no phantom
   * operation blocks the next request.
   */
  private async enqueue(ctx: TTenantContext, started: Started): Promise<TDeploymentResponse> {
    const { deployment, operation, previous } = started;
    await this.statusEvents.publish(deployment, ctx.requestId);
    try {
      await this.queue.enqueue(operation.kind, {
        tenantId: ctx.tenantId,
        deploymentId: deployment.id,
        operationId: operation.id,
        requestId: ctx.requestId,
      });
    } catch (error) {
      this.logger.error(
        `could not enqueue ${operation.kind} operation ${operation.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
      const reason = `The ${operation.kind} could not be queued; try again shortly`;
      const restoredState: TDeploymentState = previous?.state ?? 'failed';
      const restored = await this.transactions.run(async (tx) => {
        await this.deployments.failQueuedOperation(ctx.tenantId, operation.id, reason, tx);
        const row = await this.deployments.update(
          ctx.tenantId,
          deployment.id,
          { state: restoredState, reason: previous ? previous.reason : reason },
          tx,
        );
        await this.deployments.insertEvent(
          {
            tenantId: ctx.tenantId,
            deploymentId: deployment.id,
            operationId: operation.id,
            kind: 'transition',
            state: restoredState,
            step: null,
            message: `${reason} (nothing was changed)`,
          },
          tx,
        );
        return row;
      });
      await this.statusEvents.publish(restored, ctx.requestId);
      throw serviceUnavailable(
        `The deployment queue is unavailable; the ${operation.kind} was not started. Try again shortly`,
      );
    }
    return respond(ZDeploymentResponse, { deployment: toDeployment(deployment, operation) });
  }
}

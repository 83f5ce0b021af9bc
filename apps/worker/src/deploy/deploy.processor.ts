import type { TDeploymentHealth, TDeploymentState } from '@elasticdash/contracts/deployer/deployment';
import {
  DEPLOY_JOB_NAMES,
  ZDeploymentOperationJob,
  type TDeploymentOperationJob,
} from '@elasticdash/contracts/deployer/jobs';
import type { TCsJsonDocument, TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import type { TRealtimeEvent } from '@elasticdash/contracts/realtime/event';
import {
  desiredConfigFromPlan,
  findPostgresComponent,
  type TDesiredConfig,
} from '@elasticdash/pg-knowledge/deploy/desired-config';
import { scramSha256Verifier } from '@elasticdash/pg-knowledge/deploy/scram';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { requestStorage } from '@elasticdash/service-kit/request-context';
import { openSecret } from '@elasticdash/service-kit/secrets/envelope';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { existsSync } from 'node:fs';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AwsRun, AwsTarget } from './aws/aws-target.js';
import type { DeployRepository, DeploymentRow, LocalResources, OperationRow, Queryable } from './deploy.repository.js';
import { LocalTarget, type LocalPaths } from './local-target.js';
import type { MonitorScheduler } from './monitor-scheduler.js';

export interface DeployResult {
  status: 'succeeded' | 'already-succeeded' | 'already-failed';
  state: TDeploymentState | null;
}

/** A step failed: the deployment goes red with this message (what the user reads). */
export class StepError extends Error {
  override readonly name = 'StepError';
}

class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

interface StepOutcome {
  message: string;
  skipped?: boolean;
  /** Runs in the transaction that appends the step to steps_done; may return the final message. */
  commit?: (db: pg.PoolClient) => Promise<string | void>;
}

interface RunContext {
  op: OperationRow;
  deployment: DeploymentRow;
  requestId: string | null;
  log: Logger;
  signal: AbortSignal | undefined;
}

export interface DeploySettings {
  /** Region recorded for the plan's backup bucket in the desired config. */
  backupRegion: string;
}

/**
 * `plan.deploy` (deploy and re-deploy) and `plan.destroy` on the local target. Every operation is
 * a list of named steps; a step appends its name to `operations.steps_done` in the transaction
 * that records its effect, and checks what already exists before creating anything, so a
 * re-delivered job (worker killed) resumes at the first step not done.
 */
export class DeployProcessor {
  constructor(
    private readonly repository: DeployRepository,
    private readonly local: LocalTarget,
    private readonly publisher: RealtimePublisher,
    private readonly keyring: TMasterKeyring,
    private readonly scheduler: MonitorScheduler,
    private readonly logger: Logger,
    private readonly settings: DeploySettings,
    /** Keeps the plan's backup schedule in step with what is deployed (backups/backup-scheduler.ts). */
    private readonly backups: {
      sync(
        tenantId: string,
        deploymentId: string,
        document: TCsJsonDocument | null,
        componentId: string,
      ): Promise<unknown>;
      remove(deploymentId: string): Promise<boolean>;
    } | null = null,
    /** The AWS target (aws/aws-target.ts); null: aws deployments fail with a clear reason. */
    private readonly aws: AwsTarget | null = null,
  ) {}

  async process(job: Job<TDeploymentOperationJob>, token?: string, signal?: AbortSignal): Promise<DeployResult> {
    const parsed = ZDeploymentOperationJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.message}`);
    const data = parsed.data;
    const requestId = data.requestId ?? `job-${job.id ?? data.operationId}`;
    return requestStorage.run({ requestId }, async () => {
      try {
        return await this.run(job, data, token, signal);
      } catch (error) {
        if (error instanceof CancelledError && token) {
          // Shutting down between steps: hand the job back; the next worker resumes at the next step.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        throw error;
      }
    });
  }

  private async run(
    job: Job<TDeploymentOperationJob>,
    data: TDeploymentOperationJob,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<DeployResult> {
    const log = this.logger.child({
      operationId: data.operationId,
      deploymentId: data.deploymentId,
      tenantId: data.tenantId,
    });
    const lockKey = `deploy-op:${data.operationId}`;
    const lock = await this.repository.pool.connect();
    try {
      const { rows } = await lock.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [
        lockKey,
      ]);
      if (!rows[0]?.locked) {
        // Another worker still runs it (its BullMQ lock expired): look again later, without spending an attempt.
        log.warn('another worker holds this operation; delaying the job');
        if (token) {
          await job.moveToDelayed(Date.now() + 2_000, token);
          throw new DelayedError();
        }
        throw new Error('another worker is running this operation');
      }
      const op = await this.repository.findOperation(data.operationId, data.tenantId);
      if (!op || op.deploymentId !== data.deploymentId) {
        log.warn('operation not found (deployment deleted?); dropping the job');
        throw new UnrecoverableError('operation not found');
      }
      if (op.status === 'succeeded' || op.status === 'failed') {
        log.info({ status: op.status }, 'operation already finished; nothing to do');
        return { status: op.status === 'succeeded' ? 'already-succeeded' : 'already-failed', state: null };
      }
      const deployment = await this.repository.findDeployment(op.deploymentId, op.tenantId);
      if (!deployment) throw new UnrecoverableError('deployment not found');
      await this.repository.markRunning(op);
      log.info(
        { kind: op.kind, run: op.runs + 1, stepsDone: op.stepsDone, attempt: job.attemptsMade + 1 },
        'operation started',
      );
      const ctx: RunContext = { op, deployment, requestId: op.requestId ?? data.requestId, log, signal };
      const started = performance.now();
      try {
        const destroy = job.name === DEPLOY_JOB_NAMES.destroy || op.kind === 'destroy';
        let state: TDeploymentState;
        if (deployment.target === 'aws') {
          state = destroy ? await this.destroyAws(ctx) : await this.deployAws(ctx);
        } else if (deployment.target !== 'local') {
          throw new StepError(`the ${deployment.target} target is not handled by this worker`);
        } else {
          state = destroy ? await this.destroyLocal(ctx) : await this.deployLocal(ctx);
        }
        log.info({ totalMs: Math.round(performance.now() - started), state }, 'operation succeeded');
        return { status: 'succeeded', state };
      } catch (error) {
        if (error instanceof CancelledError || signal?.aborted) throw new CancelledError('cancelled');
        const reason = error instanceof Error && error.message ? error.message : 'internal error';
        // A StepError is a verdict (the agent refused the config, the plan is invalid, the password is
        // gone): final. Anything else may be transient: BullMQ retries and the next attempt resumes at
        // the first step not done, while the deployment keeps its in-progress state.
        const attempts = job.opts.attempts ?? 1;
        const final = error instanceof StepError || job.attemptsMade + 1 >= attempts;
        if (!final) {
          log.warn(
            { err: error, attempt: job.attemptsMade + 1, attempts },
            'operation attempt failed; it will be retried',
          );
          await this.logEvent(ctx, `attempt ${job.attemptsMade + 1} of ${attempts} failed: ${reason}; retrying`).catch(
            () => undefined,
          );
          throw error;
        }
        log[error instanceof StepError ? 'info' : 'error']({ err: error, reason }, 'operation failed');
        await this.fail(ctx, reason);
        throw new UnrecoverableError(reason);
      }
    } finally {
      await lock.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
      lock.release();
    }
  }

  // ---- deploy / re-deploy -------------------------------------------------------------------------

  private async deployLocal(ctx: RunContext): Promise<TDeploymentState> {
    const { op } = ctx;
    const redeploy = op.kind === 'redeploy';
    if (redeploy) await this.transition(ctx, 'updating', null, 're-deploy started');
    else if (ctx.deployment.state !== 'provisioning' && ctx.deployment.state !== 'configuring') {
      await this.transition(ctx, 'provisioning', null, 'deploy started');
    }
    const document = op.document;
    if (!document) throw new StepError('the operation has no plan document');
    const component = findPostgresComponent(document, ctx.deployment.componentId);
    if (!component) throw new StepError(`the plan has no PostgreSQL component "${ctx.deployment.componentId}"`);
    const p = this.local.paths(ctx.deployment.id);

    await this.step(ctx, 'allocate', async () => {
      if (process.getuid?.() !== 0) {
        throw new StepError('the local target needs the worker to run as root (clusters run as the postgres OS user)');
      }
      const r = ctx.deployment.resources;
      await this.local.prepareDirs(p);
      if (r.port && r.dataDir === p.dataDir) {
        return { skipped: true, message: `reusing port ${r.port} and ${p.dir}` };
      }
      return {
        message: 'allocated',
        commit: async (db) => {
          // One allocation at a time across workers: the port check and the write are one critical section.
          await db.query(`select pg_advisory_xact_lock(hashtext('deployer:local-ports'))`);
          const port = await this.local.pickPort(await this.repository.portsInUse(db, ctx.deployment.id));
          const resources: LocalResources = {
            ...ctx.deployment.resources,
            port,
            dir: p.dir,
            dataDir: p.dataDir,
            binDir: this.local.binDir,
            majorVersion: await this.local.majorVersion(),
          };
          await this.repository.setResources(db, ctx.deployment, resources);
          ctx.deployment = { ...ctx.deployment, resources };
          return `port ${port}, directory ${p.dir}`;
        },
      };
    });
    const port = await this.currentPort(ctx);

    await this.step(ctx, 'initdb', async () => {
      if (await this.local.hasCluster(p)) return { skipped: true, message: 'the cluster already exists (PG_VERSION)' };
      await this.local.initdb(p, port);
      return { message: `initialised a PostgreSQL ${await this.local.majorVersion()} cluster in ${p.dataDir}` };
    });

    await this.step(ctx, 'start', async () => {
      if (await this.local.isRunning(p)) return { skipped: true, message: 'PostgreSQL is already running' };
      await this.local.start(p);
      return { message: `PostgreSQL started on port ${port}` };
    });

    if (!redeploy) await this.transition(ctx, 'configuring', null, 'cluster started; applying the configuration');

    const desired = await this.desiredConfig(ctx, document, component, port);
    await this.step(ctx, 'configure', async () => {
      const verifier = scramSha256Verifier(await this.adminPassword(ctx));
      const status = await this.local.applyDesired(p, desired, verifier);
      if (status.result !== 'applied') {
        throw new StepError(status.error ?? `the agent could not apply desired config v${desired.version}`);
      }
      const changed = status.changes.map((c) => `${c.name} (${c.action})`);
      const how = status.restarted ? 'restarted' : status.reloaded ? 'reloaded' : 'no reload needed';
      return {
        message:
          `applied desired config v${desired.version}: ${how}` +
          (changed.length ? `; changed ${changed.join(', ')}` : '; nothing changed') +
          (status.pending.length ? `; pending restart: ${status.pending.join(', ')}` : ''),
        commit: async (db) => this.repository.setConfigVersion(db, ctx.deployment, desired.version),
      };
    });

    let settings: Record<string, string> = {};
    await this.step(ctx, 'verify', async () => {
      settings = await this.verify(ctx, desired, port);
      return {
        message: `connected as ${desired.admin.role}: max_connections=${settings.max_connections}, shared_buffers=${settings.shared_buffers}, work_mem=${settings.work_mem}, PostgreSQL ${settings.server_version}`,
      };
    });

    const endpoint = { host: '127.0.0.1', port, database: desired.admin.database, user: desired.admin.role };
    const health: TDeploymentHealth = { ok: true, reason: null, checkedAt: new Date().toISOString(), settings };
    await this.step(ctx, 'register', async () => ({
      message: `running at ${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database}`,
      commit: async (db) => {
        await this.repository.register(db, ctx.deployment, op, endpoint, health);
        await this.repository.finishOperation(op, 'succeeded', null, db);
        await this.transitionIn(db, ctx, 'running', null, redeploy ? 're-deploy finished' : 'deploy finished');
      },
    }));
    ctx.deployment = { ...ctx.deployment, endpoint, health, state: 'running', reason: null };
    await this.publishStatus(ctx, health);
    try {
      await this.scheduler.upsert(ctx.deployment.tenantId, ctx.deployment.id);
    } catch (error) {
      ctx.log.error({ err: error }, 'could not schedule the monitor');
    }
    // Every deploy re-syncs the backup schedule: a changed cron or disabled backups take effect now.
    try {
      const outcome = await this.backups?.sync(
        ctx.deployment.tenantId,
        ctx.deployment.id,
        op.document,
        ctx.deployment.componentId,
      );
      if (outcome) ctx.log.info({ backups: outcome }, 'backup schedule synced');
    } catch (error) {
      ctx.log.error({ err: error }, 'could not schedule the backups');
    }
    return 'running';
  }

  private async currentPort(ctx: RunContext): Promise<number> {
    const fresh = await this.repository.findDeployment(ctx.deployment.id, ctx.deployment.tenantId);
    if (fresh) ctx.deployment = fresh;
    const port = ctx.deployment.resources.port;
    if (!port) throw new StepError('no port is allocated for this deployment');
    return port;
  }

  /** The plan's desired config on this machine: installed major version, allocated port, loopback allowed. */
  private async desiredConfig(
    ctx: RunContext,
    document: TCsJsonDocument,
    component: TPostgresComponent,
    port: number,
  ): Promise<TDesiredConfig> {
    const major = await this.local.majorVersion();
    if (component.database.majorVersion !== major) {
      await this.logEvent(
        ctx,
        `the plan asks for PostgreSQL ${component.database.majorVersion}; the local target runs the installed ${major}`,
      );
    }
    const doc = structuredClone(document);
    const c = findPostgresComponent(doc, component.id)!;
    c.database.majorVersion = major as TPostgresComponent['database']['majorVersion'];
    c.network.port = port;
    // configure done in an earlier run of this operation: its version is already recorded.
    const version = ctx.op.stepsDone.includes('configure')
      ? ctx.deployment.configVersion
      : ctx.deployment.configVersion + 1;
    const r = desiredConfigFromPlan(doc, component.id, {
      version: Math.max(1, version),
      backupRegion: this.settings.backupRegion,
      listenAddresses: this.local.listenAddresses,
    });
    if (!r.ok)
      throw new StepError(`the plan cannot be deployed: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    // The monitor and the Data product connect from this machine.
    if (!r.config.hba.some((rule) => rule.cidr === '127.0.0.1/32')) {
      r.config.hba.push({ type: 'host', database: 'all', user: 'all', cidr: '127.0.0.1/32', method: 'scram-sha-256' });
    }
    return r.config;
  }

  private async adminPassword(ctx: RunContext): Promise<string> {
    const ref = ctx.deployment.adminSecretRef;
    if (!ref) throw new StepError('the deployment has no admin password in the secret store');
    const sealed = await this.repository.loadSecret(ref, ctx.deployment.tenantId);
    if (!sealed) throw new StepError('the admin password is missing from the secret store');
    try {
      return openSecret(sealed, { tenantId: ctx.deployment.tenantId, secretId: ref }, this.keyring);
    } catch (error) {
      throw new StepError(`the admin password cannot be decrypted: ${(error as Error).message}`);
    }
  }

  private async verify(ctx: RunContext, desired: TDesiredConfig, port: number): Promise<Record<string, string>> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: desired.admin.role,
      password: await this.adminPassword(ctx),
      database: desired.admin.database,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
      application_name: 'elasticdash-deployer',
    });
    try {
      await client.connect();
    } catch (error) {
      throw new StepError(`cannot connect as ${desired.admin.role} on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    try {
      await client.query('select 1');
      const settings = await readSettings(client);
      const want = desired.parameters.max_connections;
      if (want !== undefined && settings.max_connections !== want) {
        throw new StepError(`max_connections is ${settings.max_connections} on the server, the plan says ${want}`);
      }
      return settings;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  // ---- destroy ------------------------------------------------------------------------------------

  private async destroyLocal(ctx: RunContext): Promise<TDeploymentState> {
    await this.transition(ctx, 'destroying', null, 'destroy started');
    const p = this.local.paths(ctx.deployment.id);
    await this.unmonitor(ctx);
    await this.step(ctx, 'stop', async () => {
      if (!(await this.local.isRunning(p))) return { skipped: true, message: 'PostgreSQL is not running' };
      await this.local.stop(p);
      return { message: 'PostgreSQL stopped' };
    });
    await this.step(ctx, 'remove', async () => {
      if (!existsSync(p.dir)) return { skipped: true, message: `${p.dir} does not exist` };
      await this.local.remove(p);
      return { message: `removed ${p.dir}` };
    });
    await this.forgetSecretAndMarkDestroyed(ctx);
    return 'destroyed';
  }

  /** Monitor and backup schedules stop with the server (backup rows and objects stay as history). */
  private unmonitor(ctx: RunContext): Promise<void> {
    return this.step(ctx, 'unmonitor', async () => {
      const removed = await this.scheduler.remove(ctx.deployment.id);
      const backups = (await this.backups?.remove(ctx.deployment.id)) ?? false;
      if (backups) return { message: removed ? 'monitor and backup schedule removed' : 'backup schedule removed' };
      return removed ? { message: 'monitor removed' } : { skipped: true, message: 'no monitor scheduled' };
    });
  }

  /** The last steps of every destroy, on any target: the admin password goes, the deployment is destroyed. */
  private async forgetSecretAndMarkDestroyed(ctx: RunContext): Promise<void> {
    await this.step(ctx, 'forget-secret', async () => {
      const ref = ctx.deployment.adminSecretRef;
      if (!ref) return { skipped: true, message: 'no admin password stored' };
      return {
        message: 'admin password deleted from the secret store',
        commit: async (db) => this.repository.deleteSecret(db, ref, ctx.deployment.tenantId),
      };
    });
    await this.repository.tx(async (db) => {
      await this.repository.clearAfterDestroy(db, ctx.deployment);
      await this.repository.finishOperation(ctx.op, 'succeeded', null, db);
      await this.transitionIn(db, ctx, 'destroyed', null, 'destroyed');
    });
    ctx.deployment = { ...ctx.deployment, endpoint: null, health: null, state: 'destroyed', reason: null };
    await this.publishStatus(ctx, null);
  }

  // ---- aws target: the steps live in aws/aws-target.ts; it borrows these steps and records --------

  private async deployAws(ctx: RunContext): Promise<TDeploymentState> {
    if (!this.aws) throw new StepError('the aws target is not enabled on this worker');
    return this.aws.deploy(this.awsRun(ctx));
  }

  private async destroyAws(ctx: RunContext): Promise<TDeploymentState> {
    if (!this.aws) throw new StepError('the aws target is not enabled on this worker');
    return this.aws.destroy(this.awsRun(ctx));
  }

  private awsRun(ctx: RunContext): AwsRun {
    return {
      get deployment() {
        return ctx.deployment;
      },
      get op() {
        return ctx.op;
      },
      log: ctx.log,
      step: (name, body) => this.step(ctx, name, body),
      transition: (state, message) => this.transition(ctx, state, null, message),
      logEvent: (message) => this.logEvent(ctx, message),
      adminPassword: () => this.adminPassword(ctx),
      refresh: async () => {
        const fresh = await this.repository.findDeployment(ctx.deployment.id, ctx.deployment.tenantId);
        if (fresh) ctx.deployment = fresh;
      },
      mergeResources: async (db, patch) => {
        await this.repository.mergeResources(db, ctx.deployment, { ...patch });
        ctx.deployment = { ...ctx.deployment, resources: { ...ctx.deployment.resources, ...patch } as LocalResources };
      },
      setConfigVersion: (db, version) => this.repository.setConfigVersion(db, ctx.deployment, version),
      register: async (endpoint, health, redeploy) => {
        await this.step(ctx, 'register', async () => ({
          message: `running at ${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database}`,
          commit: async (db) => {
            await this.repository.register(db, ctx.deployment, ctx.op, endpoint, health);
            await this.repository.finishOperation(ctx.op, 'succeeded', null, db);
            await this.transitionIn(db, ctx, 'running', null, redeploy ? 're-deploy finished' : 'deploy finished');
          },
        }));
        ctx.deployment = { ...ctx.deployment, endpoint, health, state: 'running', reason: null };
        await this.publishStatus(ctx, health);
        try {
          await this.scheduler.upsert(ctx.deployment.tenantId, ctx.deployment.id);
        } catch (error) {
          ctx.log.error({ err: error }, 'could not schedule the monitor');
        }
      },
      finishDestroy: async () => {
        await this.unmonitor(ctx);
        await this.forgetSecretAndMarkDestroyed(ctx);
      },
    };
  }

  // ---- steps, transitions, events -----------------------------------------------------------------

  private async step(ctx: RunContext, name: string, body: () => Promise<StepOutcome>): Promise<void> {
    if (ctx.signal?.aborted) throw new CancelledError('cancelled');
    if (ctx.op.stepsDone.includes(name)) {
      await this.recordStep(ctx, name, 'skipped', 'skipped: done in an earlier run of this operation', null);
      return;
    }
    await this.recordStep(ctx, name, 'started', 'started', null);
    const started = performance.now();
    try {
      const outcome = await body();
      let message = outcome.message;
      await this.repository.tx(async (db) => {
        const replaced = await outcome.commit?.(db);
        if (typeof replaced === 'string') message = replaced;
        await this.repository.stepDone(ctx.op, name, db);
        await this.repository.insertEvent(
          this.stepEvent(ctx, name, outcome.skipped ? 'skipped' : 'done', message, started),
          db,
        );
      });
      ctx.op = { ...ctx.op, stepsDone: [...ctx.op.stepsDone, name] };
      const status = outcome.skipped ? 'skipped' : 'done';
      ctx.log.info({ step: name, status, durationMs: elapsed(started), message }, 'deploy step');
      await this.publish(ctx, {
        type: 'deployment.step',
        deploymentId: ctx.deployment.id,
        planId: ctx.deployment.planId,
        operationId: ctx.op.id,
        step: name,
        status,
        message: `${status}: ${message}`,
        durationMs: elapsed(started),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.recordStep(ctx, name, 'failed', `failed: ${message}`, started).catch(() => undefined);
      throw error;
    }
  }

  private stepEvent(ctx: RunContext, step: string, status: 'done' | 'skipped', message: string, started: number) {
    return {
      tenantId: ctx.deployment.tenantId,
      deploymentId: ctx.deployment.id,
      operationId: ctx.op.id,
      kind: 'step' as const,
      step,
      message: `${status}: ${message}`,
      durationMs: elapsed(started),
    };
  }

  private async recordStep(
    ctx: RunContext,
    step: string,
    status: 'started' | 'skipped' | 'failed',
    message: string,
    started: number | null,
  ): Promise<void> {
    const durationMs = started === null ? (status === 'skipped' ? 0 : null) : elapsed(started);
    await this.repository.insertEvent({
      tenantId: ctx.deployment.tenantId,
      deploymentId: ctx.deployment.id,
      operationId: ctx.op.id,
      kind: 'step',
      step,
      message,
      durationMs: status === 'started' ? null : durationMs,
    });
    await this.publish(ctx, {
      type: 'deployment.step',
      deploymentId: ctx.deployment.id,
      planId: ctx.deployment.planId,
      operationId: ctx.op.id,
      step,
      status,
      message,
      durationMs: status === 'started' ? null : durationMs,
    });
  }

  private async logEvent(ctx: RunContext, message: string): Promise<void> {
    await this.repository.insertEvent({
      tenantId: ctx.deployment.tenantId,
      deploymentId: ctx.deployment.id,
      operationId: ctx.op.id,
      kind: 'log',
      message,
    });
  }

  private async transition(ctx: RunContext, state: TDeploymentState, reason: string | null, message: string) {
    const changed = await this.repository.tx((db) => this.transitionIn(db, ctx, state, reason, message));
    if (changed) await this.publishStatus(ctx, ctx.deployment.health);
  }

  /** In the caller's transaction; the caller publishes after the commit. */
  private async transitionIn(
    db: Queryable,
    ctx: RunContext,
    state: TDeploymentState,
    reason: string | null,
    message: string,
  ): Promise<boolean> {
    const changed = await this.repository.transition(db, ctx.deployment, ctx.op.id, state, reason, message);
    ctx.deployment = { ...ctx.deployment, state, reason };
    return changed;
  }

  private async fail(ctx: RunContext, reason: string): Promise<void> {
    try {
      await this.repository.tx(async (db) => {
        await this.repository.finishOperation(ctx.op, 'failed', reason, db);
        await this.transitionIn(db, ctx, 'failed', reason, `${ctx.op.kind} failed`);
      });
      await this.publishStatus(ctx, ctx.deployment.health);
    } catch (error) {
      ctx.log.error({ err: error }, 'could not record the failure');
    }
  }

  private async publishStatus(ctx: RunContext, health: TDeploymentHealth | null): Promise<void> {
    await this.publish(ctx, {
      type: 'deployment.status',
      deploymentId: ctx.deployment.id,
      planId: ctx.deployment.planId,
      state: ctx.deployment.state,
      reason: ctx.deployment.reason,
      health,
    });
  }

  private async publish(ctx: RunContext, event: TRealtimeEvent): Promise<void> {
    try {
      await this.publisher.publish(ctx.deployment.tenantId, event, ctx.requestId);
    } catch (error) {
      // The row is the truth; a missed live event is repaired by the next read.
      ctx.log.warn({ err: error, type: event.type }, 'could not publish a realtime event');
    }
  }
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

/** Key settings read back from the server (what the plan controls, and the version). */
export async function readSettings(client: pg.Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; value: string }>(
    `select name, current_setting(name) as value from pg_settings
      where name in ('max_connections', 'shared_buffers', 'work_mem', 'effective_cache_size', 'server_version')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

export type { LocalPaths };

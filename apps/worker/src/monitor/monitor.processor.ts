import type { TDeploymentHealth } from '@elasticdash/contracts/deployer/deployment';
import { ZDeploymentMonitorJob, type TDeploymentMonitorJob } from '@elasticdash/contracts/deployer/jobs';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { openSecret } from '@elasticdash/service-kit/secrets/envelope';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { UnrecoverableError, type Job } from 'bullmq';
import pg from 'pg';
import type { Logger } from 'pino';
import { readSettings } from '../deploy/deploy.processor.js';
import type { AwsTarget } from '../deploy/aws/aws-target.js';
import type { DeployRepository, DeploymentRow } from '../deploy/deploy.repository.js';
import type { LocalTarget } from '../deploy/local-target.js';

export const DISK_LIMIT_PERCENT = 90;
const CONNECT_TIMEOUT_MS = 2_000;

export interface MonitorResult {
  checked: boolean;
  ok?: boolean;
  state?: string;
}

/**
 * One health check of a running (or monitor-failed) local deployment: connect as the admin role
 * (2 s), `select 1`, read key settings back, disk usage of the data directory's filesystem. Writes
 * `deployments.health`; running + unhealthy → failed with the reason; failed by the monitor (the
 * last operation succeeded) + healthy → running. Publishes `deployment.status` only on changes and
 * stays out of the way while an operation is queued or running.
 */
export class MonitorProcessor {
  private readonly checking = new Set<string>();

  constructor(
    private readonly repository: DeployRepository,
    private readonly local: LocalTarget,
    private readonly publisher: RealtimePublisher,
    private readonly keyring: TMasterKeyring,
    private readonly logger: Logger,
    /** Removes the monitor of a deployment that no longer exists. */
    private readonly unschedule: (deploymentId: string) => Promise<unknown> = async () => undefined,
    /** aws deployments: instance state (DescribeInstances) + TCP connect to the port. */
    private readonly aws: AwsTarget | null = null,
  ) {}

  async process(job: Job<TDeploymentMonitorJob>): Promise<MonitorResult> {
    const parsed = ZDeploymentMonitorJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid monitor payload: ${parsed.error.message}`);
    const { deploymentId } = parsed.data;
    // A check slower than the interval (a 2 s connect timeout) overlaps the next repeat: skip it, so
    // an older verdict never lands after a newer one.
    if (this.checking.has(deploymentId)) return { checked: false };
    this.checking.add(deploymentId);
    try {
      return await this.checkOnce(parsed.data);
    } finally {
      this.checking.delete(deploymentId);
    }
  }

  private async checkOnce({ tenantId, deploymentId }: TDeploymentMonitorJob): Promise<MonitorResult> {
    const deployment = await this.repository.findDeployment(deploymentId, tenantId);
    if (!deployment || deployment.state === 'destroyed') {
      await this.unschedule(deploymentId).catch(() => undefined);
      return { checked: false };
    }
    if (deployment.target !== 'local' && !(deployment.target === 'aws' && this.aws)) return { checked: false };
    if (deployment.state !== 'running' && deployment.state !== 'failed') return { checked: false };
    if (await this.repository.hasActiveOperation(deployment.id)) return { checked: false };

    const health =
      deployment.target === 'aws' && this.aws ? await this.aws.health(deployment) : await this.check(deployment);
    const log = this.logger.child({ deploymentId, tenantId });
    const previous = deployment.health;
    const changed = !previous || previous.ok !== health.ok || previous.reason !== health.reason;

    let state = deployment.state;
    let transitioned = false;
    if (deployment.state === 'running' && !health.ok) {
      transitioned = await this.repository.monitorTransition(deployment, 'running', 'failed', health.reason, health);
      if (transitioned) state = 'failed';
    } else if (
      deployment.state === 'failed' &&
      (await this.repository.lastOperationStatus(deployment.id)) === 'succeeded'
    ) {
      // Failed by the monitor (not by an operation): follow the server's health.
      if (health.ok) {
        transitioned = await this.repository.monitorTransition(deployment, 'failed', 'running', null, health);
        if (transitioned) state = 'running';
      } else if (changed) {
        transitioned = await this.repository.monitorTransition(deployment, 'failed', 'failed', health.reason, health);
      }
    }
    // The state moved since it was read (an operation, or a check in another worker): stale, drop it.
    if (!transitioned && !(await this.repository.setHealth(deployment, health))) return { checked: false };
    if (transitioned) log.info({ state, reason: health.reason }, 'monitor changed the deployment state');
    if (transitioned || changed) {
      const reason = state === 'running' ? null : transitioned ? health.reason : deployment.reason;
      try {
        await this.publisher.publish(tenantId, {
          type: 'deployment.status',
          deploymentId,
          planId: deployment.planId,
          state,
          reason,
          health,
        });
      } catch (error) {
        log.warn({ err: error }, 'could not publish the monitor verdict');
      }
    }
    return { checked: true, ok: health.ok, state };
  }

  private async check(deployment: DeploymentRow): Promise<TDeploymentHealth> {
    const checkedAt = new Date().toISOString();
    const bad = (reason: string, settings: Record<string, string> = {}): TDeploymentHealth => ({
      ok: false,
      reason,
      checkedAt,
      settings,
    });
    const endpoint = deployment.endpoint;
    if (!endpoint) return bad('the deployment has no endpoint');
    const where = `${endpoint.host}:${endpoint.port}`;
    let password: string;
    try {
      const ref = deployment.adminSecretRef;
      const sealed = ref ? await this.repository.loadSecret(ref, deployment.tenantId) : null;
      if (!ref || !sealed) return bad('the admin password is missing from the secret store');
      password = openSecret(sealed, { tenantId: deployment.tenantId, secretId: ref }, this.keyring);
    } catch {
      return bad('the admin password cannot be decrypted (master key?)');
    }
    const client = new pg.Client({
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      password,
      database: endpoint.database,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: CONNECT_TIMEOUT_MS,
      application_name: 'elasticdash-monitor',
    });
    client.on('error', () => undefined);
    let settings: Record<string, string>;
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      return bad(connectFailure(error, where, endpoint.database));
    }
    try {
      await client.query('select 1');
      settings = await readSettings(client);
    } catch (error) {
      return bad(`PostgreSQL on ${where} accepted the connection but failed a query: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    const used = await this.local.diskUsedPercent(this.local.paths(deployment.id));
    if (used !== null) settings.disk_used_percent = String(used);
    if (used !== null && used > DISK_LIMIT_PERCENT) {
      return bad(`disk above ${DISK_LIMIT_PERCENT}% (${used}% used on the data directory's filesystem)`, settings);
    }
    return { ok: true, reason: null, checkedAt, settings };
  }
}

/** What the user reads when the monitor cannot connect. */
export function connectFailure(error: unknown, where: string, database: string): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `PostgreSQL is not accepting connections on ${where} (connection refused)`;
    case 'ECONNRESET':
      // Seen while a server shuts down: the socket was accepted, then dropped.
      return `PostgreSQL on ${where} dropped the connection as it opened (connection reset; shutting down?)`;
    case '28P01':
      return 'authentication failed for the admin role';
    case '28000':
      return `the admin role may not connect from this machine (pg_hba): ${message}`;
    case '57P03':
      return `PostgreSQL on ${where} is starting up or shutting down`;
    case '3D000':
      return `the database "${database}" does not exist on ${where}`;
    case '53300':
      return `PostgreSQL on ${where} has no free connection slots (max_connections reached)`;
    case 'ETIMEDOUT':
      return `PostgreSQL did not answer on ${where} within ${CONNECT_TIMEOUT_MS / 1000} s`;
    default:
      if (/timeout/i.test(message))
        return `PostgreSQL did not answer on ${where} within ${CONNECT_TIMEOUT_MS / 1000} s`;
      if (/terminat/i.test(message)) return `PostgreSQL on ${where} closed the connection (${message})`;
      return `cannot connect to PostgreSQL on ${where}: ${message}`;
  }
}

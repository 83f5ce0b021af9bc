import { DeployerQueues, type TDeploymentMonitorJob } from '@elasticdash/contracts/deployer/jobs';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The job scheduler id of a deployment's monitor (one repeatable job per deployment). */
export function monitorSchedulerId(deploymentId: string): string {
  return `monitor:${deploymentId}`;
}

/** Adds / removes the repeatable monitor job of a deployment on `DeployerQueues.monitor`. */
export class MonitorScheduler {
  private readonly queue: Queue<TDeploymentMonitorJob>;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly intervalMs: number,
  ) {
    this.queue = new Queue<TDeploymentMonitorJob>(DeployerQueues.monitor, { connection, prefix });
  }

  async upsert(tenantId: string, deploymentId: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      monitorSchedulerId(deploymentId),
      { every: this.intervalMs },
      {
        name: 'deployment.monitor',
        data: { tenantId, deploymentId },
        opts: { removeOnComplete: true, removeOnFail: 50 },
      },
    );
  }

  async exists(deploymentId: string): Promise<boolean> {
    return (await this.queue.getJobScheduler(monitorSchedulerId(deploymentId))) !== undefined;
  }

  async remove(deploymentId: string): Promise<boolean> {
    return this.queue.removeJobScheduler(monitorSchedulerId(deploymentId));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

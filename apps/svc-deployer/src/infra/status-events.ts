import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import type { DeploymentRow } from '../deployments/deployments.repository.js';

/** The realtime publisher (on the shared Redis connection). */
export const REALTIME = Symbol('REALTIME');

/** Publishes `deployment.status` for the browser (best effort: a Redis hiccup never fails the request). */
@Injectable()
export class StatusEvents {
  private readonly logger = new Logger('StatusEvents');

  constructor(@Inject(REALTIME) private readonly realtime: RealtimePublisher) {}

  async publish(deployment: DeploymentRow, requestId: string | null): Promise<void> {
    try {
      await this.realtime.publish(
        deployment.tenantId,
        {
          type: 'deployment.status',
          deploymentId: deployment.id,
          planId: deployment.planId,
          state: deployment.state,
          reason: deployment.reason,
          health: deployment.health,
        },
        requestId,
      );
    } catch (error) {
      this.logger.warn(
        `could not publish deployment.status for ${deployment.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

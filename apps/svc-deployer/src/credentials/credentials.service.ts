import { Injectable, Logger } from '@nestjs/common';
import {
  type TDeploymentCredentialsResponse,
  ZDeploymentCredentialsResponse,
} from '@elasticdash/contracts/deployer/deployment';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, notFound } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { DeploymentsRepository } from '../deployments/deployments.repository.js';
import { NOT_DEPLOYED } from '../deployments/deployments.service.js';
import { AdminSecrets } from '../secrets/admin-secrets.js';
import { connectionString } from './connection-string.js';
import { CredentialsRepository } from './credentials.repository.js';

/**
 * Reveals the admin credentials of a deployment. Every reveal is recorded (who, when, which
 * request) before the value is returned; the value itself is never logged or stored in clear.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger('CredentialsService');

  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly reveals: CredentialsRepository,
    private readonly secrets: AdminSecrets,
  ) {}

  async reveal(ctx: TTenantContext, planId: string): Promise<TDeploymentCredentialsResponse> {
    const deployment = await this.deployments.findByPlan(ctx.tenantId, planId);
    if (!deployment) throw notFound(NOT_DEPLOYED);
    if (deployment.state === 'destroyed') throw conflict('This deployment was destroyed; it has no credentials');
    if (!deployment.endpoint || !deployment.adminSecretRef) {
      throw conflict('The database has no endpoint yet; the credentials are available once it is provisioned');
    }
    const password = await this.secrets.reveal(ctx.tenantId, deployment.adminSecretRef);
    await this.reveals.recordReveal({
      tenantId: ctx.tenantId,
      deploymentId: deployment.id,
      userId: ctx.userId,
      userEmail: ctx.email,
      requestId: ctx.requestId,
    });
    this.logger.log(`admin credentials of deployment ${deployment.id} revealed to ${ctx.userId}`);
    return respond(ZDeploymentCredentialsResponse, {
      endpoint: deployment.endpoint,
      password,
      connectionString: connectionString(deployment.endpoint, password),
    });
  }
}

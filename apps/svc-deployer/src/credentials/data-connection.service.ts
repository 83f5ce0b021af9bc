import { Injectable, Logger } from '@nestjs/common';
import type { TConnection } from '@elasticdash/contracts/data/connection';
import { type TOpenInDataResponse, ZOpenInDataResponse } from '@elasticdash/contracts/deployer/data-connection';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { AppError, conflict, notFound } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { DeploymentsRepository } from '../deployments/deployments.repository.js';
import { NOT_DEPLOYED } from '../deployments/deployments.service.js';
import { ConnectionsClient } from '../infra/connections-client.js';
import { AdminSecrets } from '../secrets/admin-secrets.js';

/** Connection names are at most 80 characters (svc-connections). */
const NAME_LIMIT = 80;

/**
 * "Open in Data": the deployed database becomes a connection of the Data product, registered
 * with the admin credentials through svc-connections (which tests it and seals the password in
 * its own store). An existing connection to the same endpoint is reused, so the button can be
 * pressed any number of times.
 */
@Injectable()
export class DataConnectionService {
  private readonly logger = new Logger('DataConnectionService');

  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly secrets: AdminSecrets,
    private readonly connections: ConnectionsClient,
  ) {}

  async openInData(ctx: TTenantContext, token: string, planId: string): Promise<TOpenInDataResponse> {
    const deployment = await this.deployments.findByPlan(ctx.tenantId, planId);
    if (!deployment) throw notFound(NOT_DEPLOYED);
    if (deployment.state === 'destroyed') throw conflict('This deployment was destroyed; deploy the plan first');
    const endpoint = deployment.endpoint;
    if (!endpoint || !deployment.adminSecretRef || deployment.deployedRevision === null) {
      throw conflict('The database is not running yet; open it in Data once the deployment is green');
    }
    const caller = { token, requestId: ctx.requestId };
    const same = (connection: TConnection) =>
      connection.host === endpoint.host &&
      connection.port === endpoint.port &&
      connection.database === endpoint.database &&
      connection.user === endpoint.user;
    const existing = (await this.connections.list(caller)).find(same);
    if (existing) return respond(ZOpenInDataResponse, { connection: existing, created: false });

    const password = await this.secrets.reveal(ctx.tenantId, deployment.adminSecretRef);
    const settings = { ...endpoint, sslMode: 'disable' as const, caCert: null };
    const base = deployment.planName.slice(0, NAME_LIMIT);
    for (const name of [base, `${deployment.planName.slice(0, NAME_LIMIT - 11)} (deployed)`]) {
      try {
        const connection = await this.connections.create(caller, { name, settings, password, readOnly: false });
        this.logger.log(`deployment ${deployment.id} registered as Data connection ${connection.id}`);
        return respond(ZOpenInDataResponse, { connection, created: true });
      } catch (error) {
        // Another connection already has this name: try the second name, then give up with its message.
        if (error instanceof AppError && error.getStatus() === 409 && name === base) continue;
        throw error;
      }
    }
    throw conflict('A connection with this name already exists; rename it in Data and try again');
  }
}

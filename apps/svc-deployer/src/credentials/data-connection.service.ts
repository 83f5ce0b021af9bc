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
 * its own store). The deployment remembers that connection: pressed again, the button opens it,
 * re-pointed at the server's new endpoint if the server moved. Without one, an existing connection
 * to the same endpoint is adopted, so the button can be pressed any number of times.
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
    const link = (connection: TConnection) =>
      connection.id === deployment.dataConnectionId
        ? Promise.resolve()
        : this.deployments.setDataConnection(ctx.tenantId, deployment.id, connection.id);

    // The connection registered before, unless it was deleted in Data since.
    const linked = deployment.dataConnectionId ? await this.connections.get(caller, deployment.dataConnectionId) : null;
    if (linked && same(linked)) return respond(ZOpenInDataResponse, { connection: linked, created: false });
    if (linked) {
      // The server moved (replaced on AWS, or destroyed and deployed again): the same connection
      // follows it, so saved views and the Data sidebar keep working, instead of a second one.
      const password = await this.secrets.reveal(ctx.tenantId, deployment.adminSecretRef);
      const connection = await this.connections.update(caller, linked.id, {
        // A CA pinned for the old server does not vouch for the new one: keep encryption, drop the pin.
        settings: { ...endpoint, sslMode: linked.sslMode === 'verify-full' ? 'require' : linked.sslMode, caCert: null },
        password,
      });
      this.logger.log(`deployment ${deployment.id}: Data connection ${connection.id} now points at its new endpoint`);
      return respond(ZOpenInDataResponse, { connection, created: false });
    }
    const existing = (await this.connections.list(caller)).find(same);
    if (existing) {
      await link(existing);
      return respond(ZOpenInDataResponse, { connection: existing, created: false });
    }

    const password = await this.secrets.reveal(ctx.tenantId, deployment.adminSecretRef);
    const settings = { ...endpoint, sslMode: 'disable' as const, caCert: null };
    const base = deployment.planName.slice(0, NAME_LIMIT);
    for (const name of [base, `${deployment.planName.slice(0, NAME_LIMIT - 11)} (deployed)`]) {
      try {
        const connection = await this.connections.create(caller, { name, settings, password, readOnly: false });
        await link(connection);
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

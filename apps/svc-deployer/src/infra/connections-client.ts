import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type TConnection,
  type TCreateConnectionRequest,
  type TUpdateConnectionRequest,
  ZConnectionResponse,
  ZListConnectionsResponse,
} from '@elasticdash/contracts/data/connection';
import { AppError } from '@elasticdash/service-kit/errors';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { forwardedRequest, type TForwardedCaller } from './forwarded-request.js';

/**
 * svc-connections on the caller's behalf (the gateway signed the caller's token for both
 * services): it scopes by the tenant in the token and checks the caller's role itself, tests the
 * connection before saving it, and keeps the password in its own secret store.
 */
@Injectable()
export class ConnectionsClient {
  private readonly logger = new Logger('ConnectionsClient');
  private readonly baseUrl: string;

  constructor(@Inject(DEPLOYER_ENV) env: TDeployerEnv) {
    this.baseUrl = env.SVC_CONNECTIONS_URL.replace(/\/+$/, '');
  }

  async list(caller: TForwardedCaller): Promise<TConnection[]> {
    const answer = await forwardedRequest(caller, {
      service: 'connections',
      baseUrl: this.baseUrl,
      method: 'GET',
      path: '/connections',
      schema: ZListConnectionsResponse,
      notFoundMessage: 'Connections not found',
      logger: this.logger,
    });
    return answer.connections;
  }

  /** The connection, or null when it no longer exists (deleted in Data). */
  async get(caller: TForwardedCaller, connectionId: string): Promise<TConnection | null> {
    try {
      const answer = await forwardedRequest(caller, {
        service: 'connections',
        baseUrl: this.baseUrl,
        method: 'GET',
        path: `/connections/${encodeURIComponent(connectionId)}`,
        schema: ZConnectionResponse,
        notFoundMessage: 'Connection not found',
        logger: this.logger,
      });
      return answer.connection;
    } catch (error) {
      if (error instanceof AppError && error.getStatus() === 404) return null;
      throw error;
    }
  }

  /** svc-connections tests the new settings before saving them (422 with its message otherwise). */
  async update(
    caller: TForwardedCaller,
    connectionId: string,
    request: TUpdateConnectionRequest,
  ): Promise<TConnection> {
    const answer = await forwardedRequest(caller, {
      service: 'connections',
      baseUrl: this.baseUrl,
      method: 'PATCH',
      path: `/connections/${encodeURIComponent(connectionId)}`,
      body: request,
      schema: ZConnectionResponse,
      notFoundMessage: 'Connection not found',
      passThrough: [400, 409, 422],
      logger: this.logger,
    });
    return answer.connection;
  }

  /** 409 (name taken) and 422 (the connection test failed) come back with svc-connections' message. */
  async create(caller: TForwardedCaller, request: TCreateConnectionRequest): Promise<TConnection> {
    const answer = await forwardedRequest(caller, {
      service: 'connections',
      baseUrl: this.baseUrl,
      method: 'POST',
      path: '/connections',
      body: request,
      schema: ZConnectionResponse,
      notFoundMessage: 'Connections not found',
      passThrough: [400, 409, 422],
      logger: this.logger,
    });
    return answer.connection;
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  type TConnectionResponse,
  type TCreateConnectionRequest,
  type TListConnectionsResponse,
  type TTestConnectionRequest,
  type TTestConnectionResponse,
  type TUpdateConnectionRequest,
  ZConnectionParams,
  ZCreateConnectionRequest,
  ZTestConnectionRequest,
  ZUpdateConnectionRequest,
} from '@elasticdash/contracts/data/connection';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { ConnectionsService } from './connections.service.js';

type ConnectionParams = { connectionId: string };

@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get()
  @TenantRole('viewer')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListConnectionsResponse> {
    return this.connections.list(ctx);
  }

  @Post()
  @TenantRole('admin')
  @HttpCode(201)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZCreateConnectionRequest)) body: TCreateConnectionRequest,
  ): Promise<TConnectionResponse> {
    return this.connections.create(ctx, body);
  }

  /** Always 200: `ok: false` with the failure class and a message when it does not connect. */
  @Post('test')
  @TenantRole('admin')
  @HttpCode(200)
  testSettings(
    @Body(new ZodPipe(ZTestConnectionRequest)) body: TTestConnectionRequest,
  ): Promise<TTestConnectionResponse> {
    return this.connections.testSettings(body);
  }

  @Get(':connectionId')
  @TenantRole('viewer')
  get(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: ConnectionParams,
  ): Promise<TConnectionResponse> {
    return this.connections.get(ctx, params.connectionId);
  }

  @Patch(':connectionId')
  @TenantRole('admin')
  update(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: ConnectionParams,
    @Body(new ZodPipe(ZUpdateConnectionRequest)) body: TUpdateConnectionRequest,
  ): Promise<TConnectionResponse> {
    return this.connections.update(ctx, params.connectionId, body);
  }

  @Delete(':connectionId')
  @TenantRole('admin')
  @HttpCode(204)
  delete(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: ConnectionParams,
  ): Promise<void> {
    return this.connections.delete(ctx, params.connectionId);
  }

  @Post(':connectionId/test')
  @TenantRole('admin')
  @HttpCode(200)
  testSaved(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZConnectionParams)) params: ConnectionParams,
  ): Promise<TTestConnectionResponse> {
    return this.connections.testSaved(ctx, params.connectionId);
  }
}

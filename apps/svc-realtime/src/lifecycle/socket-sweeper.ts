import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const SWEEP_EVERY_MS = 50;

/**
 * Closes, during shutdown, every socket that has no request in flight — including sockets
 * that connected but never sent a request. Node's `closeIdleConnections()` (used by the
 * bootstrap drain) skips those, so one pre-connected client socket (undici opens one after an
 * aborted stream) would otherwise hold `server.close()` until the shutdown timeout.
 */
@Injectable()
export class SocketSweeper implements OnApplicationBootstrap {
  private readonly inFlight = new Map<Socket, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('connection', (socket: Socket) => {
      this.inFlight.set(socket, 0);
      socket.once('close', () => this.inFlight.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket;
      this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const count = (this.inFlight.get(socket) ?? 1) - 1;
        if (this.inFlight.has(socket)) this.inFlight.set(socket, count);
      });
    });
  }

  /** From now on, every SWEEP_EVERY_MS, destroys the sockets that are not serving a request. */
  start(): void {
    if (this.timer) return;
    const sweep = () => {
      for (const [socket, count] of this.inFlight) if (count <= 0) socket.destroy();
    };
    sweep();
    this.timer = setInterval(sweep, SWEEP_EVERY_MS);
    this.timer.unref();
  }
}

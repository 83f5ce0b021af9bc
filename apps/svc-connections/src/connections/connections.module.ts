import { Global, Module } from '@nestjs/common';
import { ConnectionEvents } from './connection-events.js';
import { ConnectionTester } from './connection-tester.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionsRepository } from './connections.repository.js';
import { ConnectionsService } from './connections.service.js';
import { CustomerPools } from './customer-pools.js';

/** Connections CRUD and the customer pools. Global: the rows engine injects CustomerPools. */
@Global()
@Module({
  controllers: [ConnectionsController],
  providers: [ConnectionsRepository, ConnectionsService, ConnectionTester, ConnectionEvents, CustomerPools],
  exports: [ConnectionsRepository, ConnectionEvents, CustomerPools],
})
export class ConnectionsModule {}

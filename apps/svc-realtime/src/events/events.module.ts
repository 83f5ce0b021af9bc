import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, REALTIME_ENV, type TRealtimeEnv } from '../env.js';
import { SocketSweeper } from '../lifecycle/socket-sweeper.js';
import { EventHub } from './event-hub.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { RealtimeSubscriber } from './realtime-subscriber.js';

/** Global so the health module can check the subscriber. */
@Global()
@Module({})
export class EventsModule {
  static forRoot(env: TRealtimeEnv, logger: Logger): DynamicModule {
    return {
      module: EventsModule,
      controllers: [EventsController],
      providers: [
        { provide: REALTIME_ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        SocketSweeper,
        EventHub,
        RealtimeSubscriber,
        EventsService,
      ],
      exports: [RealtimeSubscriber],
    };
  }
}

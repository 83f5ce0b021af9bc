import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CONNECTIONS_ENV, type TConnectionsEnv } from './env.js';

/** Makes the validated environment injectable everywhere (`@Inject(CONNECTIONS_ENV)`). */
@Global()
@Module({})
export class ConnectionsEnvModule {
  static forRoot(env: TConnectionsEnv): DynamicModule {
    return {
      module: ConnectionsEnvModule,
      providers: [{ provide: CONNECTIONS_ENV, useValue: env }],
      exports: [CONNECTIONS_ENV],
    };
  }
}

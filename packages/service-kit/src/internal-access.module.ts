import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { z } from 'zod';
import { INTERNAL_TOKEN_VERIFIER, InternalAccessGuard } from './access.js';
import { InternalTokenVerifier, type ZPublicJwkSet } from './internal-token.js';

/** Installs the global guard: every route needs the gateway's token unless @Public(). */
@Global()
@Module({})
export class InternalAccessModule {
  static forRoot(options: { audience: string; publicKeys: z.infer<typeof ZPublicJwkSet> }): DynamicModule {
    return {
      module: InternalAccessModule,
      providers: [
        {
          provide: INTERNAL_TOKEN_VERIFIER,
          useFactory: () => InternalTokenVerifier.create(options.publicKeys, options.audience),
        },
        { provide: APP_GUARD, useClass: InternalAccessGuard },
      ],
      exports: [INTERNAL_TOKEN_VERIFIER],
    };
  }
}

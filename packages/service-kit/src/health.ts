import { Controller, Get, Inject, Module, type DynamicModule, Res } from '@nestjs/common';
import type { THealthResponse } from '@elasticdash/contracts/platform/health';
import type { FastifyReply } from 'fastify';
import { Public } from './access.js';

export interface HealthCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check: () => Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
const CHECK_TIMEOUT_MS = 2_000;

/** Set while shutting down, so load balancers stop sending traffic before the server closes. */
export const lifecycle = { draining: false };

async function runCheck(check: HealthCheck): Promise<THealthResponse['checks'][number]> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name: check.name, status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name: check.name,
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : 'unknown error',
    };
  } finally {
    clearTimeout(timer);
  }
}

@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  @Get('live')
  live(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.service };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<THealthResponse> {
    const checks = await Promise.all(this.checks.map(runCheck));
    if (lifecycle.draining) checks.push({ name: 'shutdown', status: 'down', latencyMs: 0, error: 'draining' });
    const ok = checks.every((check) => check.status === 'up');
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', service: this.service, checks };
  }
}

@Module({})
export class HealthModule {
  /** `checks` is a provider token (or factory deps) resolving to the app's HealthCheck list. */
  static forRoot(options: {
    service: string;
    inject: unknown[];
    useFactory: (...deps: never[]) => HealthCheck[];
  }): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        {
          provide: HEALTH_CHECKS,
          inject: options.inject as never[],
          useFactory: options.useFactory as (...deps: unknown[]) => HealthCheck[],
        },
      ],
    };
  }
}

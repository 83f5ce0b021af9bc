import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AUTH_ENV, type TAuthEnv } from '../env.js';
import { FAILURE_WINDOW_MS } from '../login-throttle/lockout-policy.js';
import { HousekeepingRepository } from './housekeeping.repository.js';

/** Ended sessions stay listed this long (what "my sessions" and an audit may still want to see). */
export const ENDED_SESSION_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Keeps svc-auth's tables bounded: a login failure for any address (known or not) writes a row,
 * so an attacker spraying addresses would otherwise grow `login_attempts` without end; expired
 * and revoked sessions pile up the same way. Runs every AUTH_HOUSEKEEPING_INTERVAL_MS; several
 * instances doing it at once is harmless (plain deletes of rows nobody needs).
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Housekeeping');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly repository: HousekeepingRepository,
    @Inject(AUTH_ENV) private readonly env: TAuthEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.env.AUTH_HOUSEKEEPING_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  runOnce(): Promise<void> {
    this.running ??= this.purge().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async purge(): Promise<void> {
    const now = new Date();
    try {
      const attempts = await this.repository.purgeLoginAttempts(new Date(now.getTime() - FAILURE_WINDOW_MS), now);
      const ended = await this.repository.purgeSessions(new Date(now.getTime() - ENDED_SESSION_RETENTION_MS));
      if (attempts + ended > 0) {
        this.logger.log(`purged ${attempts} stale login failure counters and ${ended} ended sessions`);
      }
    } catch (error) {
      // The database is down: readiness says so; the next pass tries again.
      this.logger.warn(`housekeeping pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

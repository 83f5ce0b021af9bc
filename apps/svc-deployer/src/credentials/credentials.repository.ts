import { Inject, Injectable } from '@nestjs/common';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { credentialReveals } from '../db/schema.js';

/** The audit trail of credential reveals (who, when, which request; never the value). */
@Injectable()
export class CredentialsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async recordReveal(
    row: { tenantId: string; deploymentId: string; userId: string; userEmail: string; requestId: string | null },
    exec: Executor = this.db,
  ): Promise<void> {
    await exec.insert(credentialReveals).values(row);
  }
}

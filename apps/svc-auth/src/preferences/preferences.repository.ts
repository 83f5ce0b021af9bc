import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DB, type Db, run } from '../db/database.js';
import type { TPreferences } from '@elasticdash/contracts/auth/preferences';
import { preferences } from '../db/schema.js';

export type PreferencesRow = typeof preferences.$inferSelect;

@Injectable()
export class PreferencesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async find(userId: string): Promise<PreferencesRow | null> {
    const rows = await run(this.db.select().from(preferences).where(eq(preferences.userId, userId)).limit(1));
    return rows[0] ?? null;
  }

  async upsert(values: TPreferences & { userId: string; now: Date }): Promise<PreferencesRow> {
    const rows = await run(
      this.db
        .insert(preferences)
        .values({ userId: values.userId, theme: values.theme, scheme: values.scheme, updatedAt: values.now })
        .onConflictDoUpdate({
          target: preferences.userId,
          set: { theme: values.theme, scheme: values.scheme, updatedAt: values.now },
        })
        .returning(),
    );
    const row = rows[0];
    if (!row) throw new Error('preferences upsert returned no row');
    return row;
  }
}

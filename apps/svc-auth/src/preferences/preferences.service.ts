import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_PREFERENCES, type TPreferences, ZPreferences } from '@elasticdash/contracts/auth/preferences';
import type { TUserContext } from '@elasticdash/service-kit/access';
import { respond } from '@elasticdash/service-kit/validation';
import { PreferencesRepository } from './preferences.repository.js';

@Injectable()
export class PreferencesService {
  constructor(@Inject(PreferencesRepository) private readonly preferences: PreferencesRepository) {}

  /** Saved preferences, or the defaults when the user never saved any. */
  async get(ctx: TUserContext): Promise<TPreferences> {
    const row = await this.preferences.find(ctx.userId);
    if (!row) return respond(ZPreferences, DEFAULT_PREFERENCES);
    return respond(ZPreferences, { theme: row.theme, scheme: row.scheme });
  }

  async put(ctx: TUserContext, request: TPreferences): Promise<TPreferences> {
    const row = await this.preferences.upsert({ userId: ctx.userId, ...request, now: new Date() });
    return respond(ZPreferences, { theme: row.theme, scheme: row.scheme });
  }
}

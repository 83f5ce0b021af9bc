import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { type TPreferences, ZPreferences } from '@elasticdash/contracts/auth/preferences';
import { type TUserContext, UserCtx } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { PreferencesService } from './preferences.service.js';

@Controller('me/preferences')
export class PreferencesController {
  constructor(@Inject(PreferencesService) private readonly preferences: PreferencesService) {}

  @Get()
  get(@UserCtx() ctx: TUserContext): Promise<TPreferences> {
    return this.preferences.get(ctx);
  }

  @Put()
  put(@UserCtx() ctx: TUserContext, @Body(new ZodPipe(ZPreferences)) body: TPreferences): Promise<TPreferences> {
    return this.preferences.put(ctx, body);
  }
}

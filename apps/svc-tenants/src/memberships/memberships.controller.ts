import { Controller, Get } from '@nestjs/common';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TMembershipResponse } from '@elasticdash/contracts/tenants/tenant';
import { Ctx, ServiceOnly } from '@elasticdash/service-kit/access';
import { MembershipsService } from './memberships.service.js';

/** Gateway-internal: never proxied to browsers (not in platform/routes.ts). */
@Controller('internal')
export class MembershipsController {
  constructor(private readonly memberships: MembershipsService) {}

  @Get('membership')
  @ServiceOnly()
  membership(@Ctx() ctx: TInternalContext): Promise<TMembershipResponse> {
    return this.memberships.lookup(ctx);
  }
}

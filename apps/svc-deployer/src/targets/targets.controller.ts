import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  type TAwsTargetResponse,
  type TCheckAwsTargetResponse,
  type TListDeployTargetsResponse,
  type TPutAwsTargetRequest,
  ZPutAwsTargetRequest,
} from '@elasticdash/contracts/deployer/targets';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { TargetsService } from './targets.service.js';

/** Deploy targets of the workspace in the token; credentials are admin matters, reads included. */
@Controller('v1/deploy-targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Get()
  @TenantRole('admin')
  list(@TenantCtx() ctx: TTenantContext): Promise<TListDeployTargetsResponse> {
    return this.targets.list(ctx);
  }

  @Put('aws')
  @TenantRole('admin')
  putAws(
    @TenantCtx() ctx: TTenantContext,
    @Body(new ZodPipe(ZPutAwsTargetRequest)) body: TPutAwsTargetRequest,
  ): Promise<TAwsTargetResponse> {
    return this.targets.putAws(ctx, body);
  }

  /** 409 while a deployment on aws is not destroyed (it would be left without credentials). */
  @Delete('aws')
  @TenantRole('admin')
  @HttpCode(204)
  deleteAws(@TenantCtx() ctx: TTenantContext): Promise<void> {
    return this.targets.deleteAws(ctx);
  }

  /** POST: it calls AWS and records the result. */
  @Post('aws/check')
  @TenantRole('admin')
  @HttpCode(200)
  checkAws(@TenantCtx() ctx: TTenantContext): Promise<TCheckAwsTargetResponse> {
    return this.targets.checkAws(ctx);
  }
}

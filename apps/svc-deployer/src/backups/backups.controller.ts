import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  type TBackupParams,
  type TBackupResponse,
  type TListBackupsResponse,
  ZBackupParams,
} from '@elasticdash/contracts/deployer/backups';
import { TenantCtx, TenantRole, type TTenantContext } from '@elasticdash/service-kit/access';
import { ZodPipe } from '@elasticdash/service-kit/validation';
import { type TPlanParams, ZPlanParams } from '../deployments/deployments.params.js';
import { BackupsService } from './backups.service.js';

/** Backups of a plan's deployment: viewers read them, admins start one or re-validate one. */
@Controller('v1/plans/:planId/deployment/backups')
export class BackupsController {
  constructor(private readonly backups: BackupsService) {}

  @Get()
  @TenantRole('viewer')
  list(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
  ): Promise<TListBackupsResponse> {
    return this.backups.list(ctx, params.planId);
  }

  /** 202: queued; the outcome arrives as `deployment.backup` events. */
  @Post()
  @TenantRole('admin')
  @HttpCode(202)
  create(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZPlanParams)) params: TPlanParams,
  ): Promise<TBackupResponse> {
    return this.backups.create(ctx, params.planId);
  }

  @Post(':backupId/validate')
  @TenantRole('admin')
  @HttpCode(202)
  validate(
    @TenantCtx() ctx: TTenantContext,
    @Param(new ZodPipe(ZBackupParams)) params: TBackupParams,
  ): Promise<TBackupResponse> {
    return this.backups.validate(ctx, params.planId, params.backupId);
  }
}

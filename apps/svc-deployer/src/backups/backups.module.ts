import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { BackupsController } from './backups.controller.js';
import { BackupsQueue } from './backups.queue.js';
import { BackupsRepository } from './backups.repository.js';
import { BackupsService } from './backups.service.js';

/** Backups of deployments and their validation by restore (the worker does the work). */
@Module({
  imports: [DeploymentsModule],
  controllers: [BackupsController],
  providers: [BackupsRepository, BackupsService, BackupsQueue],
})
export class BackupsModule {}

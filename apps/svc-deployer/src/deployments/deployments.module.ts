import { Module } from '@nestjs/common';
import { TargetsModule } from '../targets/targets.module.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';

/** Deploy, re-deploy, destroy, and the reads of deployments and their step log. */
@Module({
  imports: [TargetsModule],
  controllers: [DeploymentsController],
  providers: [DeploymentsRepository, DeploymentsService],
  exports: [DeploymentsRepository],
})
export class DeploymentsModule {}

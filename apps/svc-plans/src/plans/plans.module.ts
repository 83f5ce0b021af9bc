import { Module } from '@nestjs/common';
import { RevisionsRepository } from '../revisions/revisions.repository.js';
import { PlansController } from './plans.controller.js';
import { PlansRepository } from './plans.repository.js';
import { PlansService } from './plans.service.js';

@Module({
  controllers: [PlansController],
  providers: [PlansRepository, RevisionsRepository, PlansService],
  exports: [PlansService, PlansRepository, RevisionsRepository],
})
export class PlansModule {}

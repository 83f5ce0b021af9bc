import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { IngestsController } from './ingests.controller.js';
import { IngestsService } from './ingests.service.js';

@Module({
  imports: [DatasetsModule],
  controllers: [IngestsController],
  providers: [IngestsService],
  exports: [IngestsService],
})
export class IngestsModule {}

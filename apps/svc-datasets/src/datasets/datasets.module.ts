import { Module } from '@nestjs/common';
import { DataRepository } from '../data/data.repository.js';
import { QueryCache } from '../data/query-cache.js';
import { IngestsRepository } from '../ingests/ingests.repository.js';
import { UploadsRepository } from '../uploads/uploads.repository.js';
import { DatasetsController } from './datasets.controller.js';
import { DatasetsRepository } from './datasets.repository.js';
import { DatasetsService } from './datasets.service.js';

/** Datasets CRUD, and the repositories every other feature reads datasets through. */
@Module({
  controllers: [DatasetsController],
  providers: [DatasetsRepository, UploadsRepository, IngestsRepository, DataRepository, QueryCache, DatasetsService],
  exports: [DatasetsRepository, UploadsRepository, IngestsRepository, DataRepository, QueryCache],
})
export class DatasetsModule {}

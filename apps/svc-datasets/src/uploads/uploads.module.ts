import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from './uploads.service.js';

@Module({ imports: [DatasetsModule], controllers: [UploadsController], providers: [UploadsService] })
export class UploadsModule {}

import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { DataController } from './data.controller.js';
import { DataService } from './data.service.js';

@Module({ imports: [DatasetsModule], controllers: [DataController], providers: [DataService] })
export class DataModule {}

import { Module } from '@nestjs/common';
import { RowsController } from './rows.controller.js';
import { RowsRepository } from './rows.repository.js';
import { RowsService } from './rows.service.js';

/** Browse and write rows of customer tables (CustomerPools, CatalogService, AuditService are global). */
@Module({
  controllers: [RowsController],
  providers: [RowsRepository, RowsService],
  exports: [RowsService],
})
export class RowsModule {}

import { Module } from '@nestjs/common';
import { RulesController } from './rules.controller.js';
import { RulesService } from './rules.service.js';

/** Admin table and column rules (the repository is provided by CatalogModule, which applies them). */
@Module({
  controllers: [RulesController],
  providers: [RulesService],
})
export class RulesModule {}

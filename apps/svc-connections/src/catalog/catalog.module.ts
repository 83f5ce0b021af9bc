import { Global, Module } from '@nestjs/common';
import { RulesRepository } from '../rules/rules.repository.js';
import { CatalogController } from './catalog.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { IntrospectionRepository } from './introspection.repository.js';

/** Introspection and the per-user catalog. Global: the rows engine injects CatalogService. */
@Global()
@Module({
  controllers: [CatalogController],
  providers: [CatalogService, CatalogRepository, IntrospectionRepository, RulesRepository],
  exports: [CatalogService, CatalogRepository, RulesRepository],
})
export class CatalogModule {}

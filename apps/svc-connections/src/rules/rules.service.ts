import { Injectable } from '@nestjs/common';
import {
  type TPutTableRulesRequest,
  type TTableRulesResponse,
  ZTableRulesResponse,
} from '@elasticdash/contracts/data/rules';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { validationFailed } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { CatalogService } from '../catalog/catalog.service.js';
import { ConnectionEvents } from '../connections/connection-events.js';
import { CustomerPools } from '../connections/customer-pools.js';
import { Transactions } from '../db/database.js';
import { validateRules } from './rules-validation.js';
import { RulesRepository } from './rules.repository.js';

@Injectable()
export class RulesService {
  constructor(
    private readonly pools: CustomerPools,
    private readonly catalog: CatalogService,
    private readonly rules: RulesRepository,
    private readonly transactions: Transactions,
    private readonly events: ConnectionEvents,
  ) {}

  async get(ctx: TTenantContext, connectionId: string): Promise<TTableRulesResponse> {
    await this.pools.connectionFor(ctx.tenantId, connectionId);
    return respond(ZTableRulesResponse, { rules: await this.rules.list(ctx.tenantId, connectionId) });
  }

  /** Replaces every rule; each schema, table and column must exist in the catalog (400 with its path otherwise). */
  async put(ctx: TTenantContext, connectionId: string, body: TPutTableRulesRequest): Promise<TTableRulesResponse> {
    const snapshot = await this.catalog.snapshotFor(ctx.tenantId, connectionId);
    const issues = validateRules(body.rules, snapshot);
    if (issues.length > 0) throw validationFailed(issues, 'Some rules do not match the database');
    const rules = await this.transactions.run(async (tx) => {
      await this.rules.replaceAll(ctx.tenantId, connectionId, body.rules, tx);
      return this.rules.list(ctx.tenantId, connectionId, tx);
    });
    await this.events.changed({ connectionId, kind: 'rules' });
    return respond(ZTableRulesResponse, { rules });
  }
}

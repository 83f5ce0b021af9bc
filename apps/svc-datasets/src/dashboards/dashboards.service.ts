import { Injectable } from '@nestjs/common';
import {
  type TCreateDashboardRequest,
  type TDashboardResponse,
  type TListDashboardsResponse,
  type TUpdateDashboardRequest,
  ZDashboardResponse,
  ZListDashboardsResponse,
} from '@elasticdash/contracts/datasets/dashboard';
import { isPgError, PgErrorCode } from '@elasticdash/db/errors';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { conflict, notFound, validationFailed } from '@elasticdash/service-kit/errors';
import { unwrapQueryError } from '@elasticdash/service-kit/exception-filter';
import { respond } from '@elasticdash/service-kit/validation';
import { DatasetsRepository } from '../datasets/datasets.repository.js';
import { DATASET_NOT_FOUND } from '../datasets/datasets.service.js';
import { Transactions } from '../db/database.js';
import { dashboardIssues } from './dashboard-checks.js';
import { toDashboard, toDashboardSummary } from './dashboards.mapper.js';
import { DashboardsRepository } from './dashboards.repository.js';

export const DASHBOARD_NOT_FOUND = 'No dashboard with this id in this workspace';

function nameTaken(error: unknown, name: string): unknown {
  const cause = unwrapQueryError(error);
  if (
    isPgError(cause, PgErrorCode.uniqueViolation) &&
    (cause as { constraint?: string }).constraint === 'dashboards_tenant_name_key'
  ) {
    const message = `A dashboard named "${name}" already exists in this workspace; choose another name`;
    return conflict(message, { issues: [{ path: 'name', message }] });
  }
  return error;
}

@Injectable()
export class DashboardsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly dashboards: DashboardsRepository,
    private readonly datasets: DatasetsRepository,
  ) {}

  async list(ctx: TTenantContext, datasetId?: string): Promise<TListDashboardsResponse> {
    const rows = await this.dashboards.list(ctx.tenantId, datasetId);
    return respond(ZListDashboardsResponse, { dashboards: rows.map(toDashboardSummary) });
  }

  async get(ctx: TTenantContext, dashboardId: string): Promise<TDashboardResponse> {
    const row = await this.dashboards.find(ctx.tenantId, dashboardId);
    if (!row) throw notFound(DASHBOARD_NOT_FOUND);
    return respond(ZDashboardResponse, { dashboard: toDashboard(row) });
  }

  async create(ctx: TTenantContext, body: TCreateDashboardRequest): Promise<TDashboardResponse> {
    if (!(await this.datasets.find(ctx.tenantId, body.datasetId))) throw notFound(DATASET_NOT_FOUND);
    try {
      const row = await this.dashboards.insert({ tenantId: ctx.tenantId, datasetId: body.datasetId, name: body.name });
      return respond(ZDashboardResponse, { dashboard: toDashboard(row) });
    } catch (error) {
      throw nameTaken(error, body.name);
    }
  }

  /**
   * Saves the whole dashboard when `baseRevision` is still the latest (else 409 with the latest
   * in `details.latest`); panel queries and filters must fit the dataset's columns.
   */
  async update(ctx: TTenantContext, dashboardId: string, body: TUpdateDashboardRequest): Promise<TDashboardResponse> {
    try {
      const saved = await this.transactions.run(async (tx) => {
        const current = await this.dashboards.lock(ctx.tenantId, dashboardId, tx);
        if (!current) throw notFound(DASHBOARD_NOT_FOUND);
        if (current.revision !== body.baseRevision) {
          throw conflict(
            `This dashboard changed since revision ${body.baseRevision} (now ${current.revision}); reload it and apply your changes again`,
            { latest: respond(ZDashboardResponse, { dashboard: toDashboard(current) }).dashboard },
          );
        }
        const dataset = await this.datasets.find(ctx.tenantId, current.datasetId, tx);
        const issues = dashboardIssues(body, dataset && dataset.version > 0 ? dataset.columns : []);
        if (issues.length > 0) throw validationFailed(issues, 'Some panels or filters do not fit the dataset');
        return this.dashboards.save(
          dashboardId,
          { name: body.name, filters: body.filters, panels: body.panels, revision: current.revision + 1 },
          tx,
        );
      });
      return respond(ZDashboardResponse, { dashboard: toDashboard(saved) });
    } catch (error) {
      throw nameTaken(error, body.name);
    }
  }

  async delete(ctx: TTenantContext, dashboardId: string): Promise<void> {
    if (!(await this.dashboards.delete(ctx.tenantId, dashboardId))) throw notFound(DASHBOARD_NOT_FOUND);
  }
}

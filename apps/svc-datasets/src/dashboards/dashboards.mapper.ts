import type { TDashboard, TDashboardSummary } from '@elasticdash/contracts/datasets/dashboard';
import type { DashboardRow, DashboardSummaryRow } from './dashboards.repository.js';

export function toDashboardSummary(row: DashboardSummaryRow): TDashboardSummary {
  return {
    id: row.id,
    name: row.name,
    datasetId: row.datasetId,
    panelCount: row.panelCount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDashboard(row: DashboardRow): TDashboard {
  return {
    id: row.id,
    name: row.name,
    datasetId: row.datasetId,
    filters: row.filters,
    panels: row.panels,
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

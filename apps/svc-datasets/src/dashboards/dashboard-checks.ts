import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import type { TUpdateDashboardRequest } from '@elasticdash/contracts/datasets/dashboard';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import { catalogOf, checkFilters, checkPanelQuery, Issues } from '../data/sql.js';

/**
 * Problems of a dashboard save: duplicate panel ids and, when the dataset has columns, every
 * panel query and filter checked against them (`panels.3.query.y.column`, `filters.0.value`).
 */
export function dashboardIssues(body: TUpdateDashboardRequest, columns: readonly TDatasetColumn[]): TFieldIssue[] {
  const issues = new Issues();
  const seen = new Set<string>();
  body.panels.forEach((panel, index) => {
    if (seen.has(panel.id)) issues.add(`panels.${index}.id`, 'Another panel already has this id');
    seen.add(panel.id);
    if (panel.layout.x + panel.layout.w > 12) {
      issues.add(`panels.${index}.layout.w`, 'The panel is wider than the 12-column grid at this position');
    }
  });
  if (columns.length > 0) {
    const catalog = catalogOf(columns);
    checkFilters(body.filters, catalog, 'filters', issues);
    body.panels.forEach((panel, index) => checkPanelQuery(panel.query, catalog, `panels.${index}.query`, issues));
  }
  return issues.list;
}

import type { TTableRule } from '@elasticdash/contracts/data/rules';
import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import { tableKey, type TCatalogSnapshot } from '../catalog/catalog.types.js';

/**
 * Checks admin rules against the introspected catalog: every schema, table and column must
 * exist, each table and column appears once, and primary-key columns stay visible (the grid
 * identifies rows by them). Issues carry the field path, e.g. `rules.2.columns.0.name`.
 */
export function validateRules(rules: readonly TTableRule[], catalog: TCatalogSnapshot): TFieldIssue[] {
  const issues: TFieldIssue[] = [];
  const schemas = new Set(catalog.schemas);
  const tables = new Map(catalog.tables.map((table) => [tableKey(table.schema, table.name), table]));
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const at = `rules.${index}`;
    if (!schemas.has(rule.schema)) {
      issues.push({ path: `${at}.schema`, message: `Schema "${rule.schema}" does not exist in this database` });
      return;
    }
    const key = tableKey(rule.schema, rule.table);
    const table = tables.get(key);
    if (!table) {
      issues.push({ path: `${at}.table`, message: `Table "${rule.schema}"."${rule.table}" does not exist` });
      return;
    }
    if (seen.has(key)) {
      issues.push({ path: `${at}.table`, message: `"${rule.schema}"."${rule.table}" has more than one rule` });
      return;
    }
    seen.add(key);
    const columns = new Map(table.columns.map((column) => [column.name, column]));
    const seenColumns = new Set<string>();
    rule.columns.forEach((columnRule, columnIndex) => {
      const path = `${at}.columns.${columnIndex}.name`;
      const column = columns.get(columnRule.name);
      if (!column) {
        issues.push({
          path,
          message: `Column "${columnRule.name}" does not exist in "${rule.schema}"."${rule.table}"`,
        });
      } else if (seenColumns.has(columnRule.name)) {
        issues.push({ path, message: `Column "${columnRule.name}" has more than one rule` });
      } else if (columnRule.hidden && column.primaryKeyPosition !== null) {
        issues.push({
          path: `${at}.columns.${columnIndex}.hidden`,
          message: `Primary key column "${columnRule.name}" cannot be hidden: rows are identified by it`,
        });
      }
      seenColumns.add(columnRule.name);
    });
  });
  return issues;
}

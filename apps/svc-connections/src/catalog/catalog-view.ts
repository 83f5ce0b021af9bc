import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type { TTableRule } from '@elasticdash/contracts/data/rules';
import { tableKey, type TRawTable } from './catalog.types.js';

/** Who looks at the catalog. */
export interface CatalogAudience {
  /** Admins and owners see hidden tables and columns (flagged `hidden`); others never do. */
  isAdmin: boolean;
  /** Role editor or above, on a connection that is not read-only. */
  canWrite: boolean;
}

export type RulesByTable = ReadonlyMap<string, TTableRule>;

export function indexRules(rules: readonly TTableRule[]): Map<string, TTableRule> {
  return new Map(rules.map((rule) => [tableKey(rule.schema, rule.table), rule]));
}

function columnRule(rule: TTableRule | undefined, column: string) {
  return rule?.columns.find((candidate) => candidate.name === column);
}

/** Relations whose rows the grid may write: tables with a primary key. */
export function isWritableRelation(table: Pick<TRawTable, 'type' | 'primaryKey' | 'canWrite'>): boolean {
  return (
    (table.type === 'table' || table.type === 'partitioned_table') && table.primaryKey.length > 0 && table.canWrite
  );
}

/**
 * The table as `audience` may see it, or null when it is hidden from them. Applies the admin
 * rules (hidden table/columns, read-only table/columns) and the role and connection flags:
 * - non-admins do not get hidden columns, nor foreign keys that would reveal a hidden
 *   table or column through labels;
 * - a column is read-only when the table is, when a rule says so, or when it is generated.
 */
export function viewTable(table: TRawTable, rules: RulesByTable, audience: CatalogAudience): TCatalogTable | null {
  const rule = rules.get(tableKey(table.schema, table.name));
  const hidden = rule?.hidden ?? false;
  if (hidden && !audience.isAdmin) return null;
  const readOnly = !audience.canWrite || !isWritableRelation(table) || (rule?.readOnly ?? false);

  const isHiddenFromAudience = (schema: string, name: string, column?: string): boolean => {
    if (audience.isAdmin) return false;
    const target = rules.get(tableKey(schema, name));
    if (!target) return false;
    if (target.hidden) return true;
    return column !== undefined && (columnRule(target, column)?.hidden ?? false);
  };

  const columns: TCatalogColumn[] = [];
  for (const column of table.columns) {
    const own = columnRule(rule, column.name);
    const columnHidden = own?.hidden ?? false;
    if (columnHidden && !audience.isAdmin) continue;
    let foreignKey = column.foreignKey;
    if (foreignKey && isHiddenFromAudience(foreignKey.schema, foreignKey.table, foreignKey.column)) {
      foreignKey = null;
    } else if (foreignKey && isHiddenFromAudience(foreignKey.schema, foreignKey.table, foreignKey.labelColumn)) {
      foreignKey = { ...foreignKey, labelColumn: foreignKey.column };
    }
    columns.push({
      ...column,
      foreignKey,
      hidden: columnHidden,
      readOnly: readOnly || (own?.readOnly ?? false) || column.isGenerated,
    });
  }

  const { canWrite: _canWrite, ...rest } = table;
  return { ...rest, columns, hidden, readOnly };
}

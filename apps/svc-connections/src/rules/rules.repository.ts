import { Inject, Injectable } from '@nestjs/common';
import type { TTableRule } from '@elasticdash/contracts/data/rules';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database, type Executor } from '../db/database.js';
import { tableRules } from '../db/schema.js';

@Injectable()
export class RulesRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  list(tenantId: string, connectionId: string, exec: Executor = this.db): Promise<TTableRule[]> {
    return exec
      .select({
        schema: tableRules.schema,
        table: tableRules.table,
        hidden: tableRules.hidden,
        readOnly: tableRules.readOnly,
        columns: tableRules.columns,
      })
      .from(tableRules)
      .where(and(eq(tableRules.connectionId, connectionId), eq(tableRules.tenantId, tenantId)))
      .orderBy(asc(tableRules.schema), asc(tableRules.table));
  }

  /** Replaces every rule of the connection (run inside a transaction). */
  async replaceAll(tenantId: string, connectionId: string, rules: TTableRule[], exec: Executor): Promise<void> {
    await exec
      .delete(tableRules)
      .where(and(eq(tableRules.connectionId, connectionId), eq(tableRules.tenantId, tenantId)));
    if (rules.length === 0) return;
    await exec.insert(tableRules).values(
      rules.map((rule) => ({
        connectionId,
        tenantId,
        schema: rule.schema,
        table: rule.table,
        hidden: rule.hidden,
        readOnly: rule.readOnly,
        columns: rule.columns.map((column) => ({
          name: column.name,
          hidden: column.hidden,
          readOnly: column.readOnly,
        })),
      })),
    );
  }
}

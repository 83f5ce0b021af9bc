import { ZCatalogColumn, ZCatalogTable } from '@elasticdash/contracts/data/catalog';
import { z } from 'zod';

/**
 * What introspection found, before rules and roles are applied: the persisted snapshot.
 * `canWrite`: the connection's user holds INSERT, UPDATE or DELETE on the relation.
 */
export const ZRawColumn = ZCatalogColumn.omit({ hidden: true, readOnly: true });
export type TRawColumn = z.infer<typeof ZRawColumn>;

export const ZRawTable = ZCatalogTable.omit({ hidden: true, readOnly: true, columns: true }).extend({
  columns: z.array(ZRawColumn),
  canWrite: z.boolean(),
});
export type TRawTable = z.infer<typeof ZRawTable>;

export const CATALOG_SNAPSHOT_VERSION = 1;

export const ZCatalogSnapshot = z.object({
  version: z.literal(CATALOG_SNAPSHOT_VERSION),
  serverVersion: z.string(),
  schemas: z.array(z.string()),
  tables: z.array(ZRawTable),
});
export type TCatalogSnapshot = z.infer<typeof ZCatalogSnapshot>;

/** An unambiguous key for a (schema, table) pair (names may contain dots). */
export function tableKey(schema: string, table: string): string {
  return JSON.stringify([schema, table]);
}

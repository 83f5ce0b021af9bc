import { z } from 'zod';

/** Admin rules per table: hide it, hide columns, make columns read-only. */
export const ZTableRule = z.object({
  schema: z.string().min(1).max(63),
  table: z.string().min(1).max(63),
  /** Hidden tables are left out of the catalog for non-admins and cannot be read or written by them. */
  hidden: z.boolean().default(false),
  /** Rows of a read-only table cannot be inserted, updated or deleted (admins included). */
  readOnly: z.boolean().default(false),
  columns: z
    .array(
      z.object({
        name: z.string().min(1).max(63),
        hidden: z.boolean().default(false),
        readOnly: z.boolean().default(false),
      }),
    )
    .max(1600)
    .default([]),
});
export type TTableRule = z.infer<typeof ZTableRule>;

export const ZTableRulesResponse = z.object({ rules: z.array(ZTableRule) }).meta({ id: 'TableRulesResponse' });
export type TTableRulesResponse = z.infer<typeof ZTableRulesResponse>;

export const ZPutTableRulesRequest = z
  .object({ rules: z.array(ZTableRule).max(5000) })
  .meta({ id: 'PutTableRulesRequest' });
export type TPutTableRulesRequest = z.infer<typeof ZPutTableRulesRequest>;

import type { TPlanRevision } from '@elasticdash/contracts/plans/plan';
import type { RevisionHeader } from './revisions.repository.js';

/** `createdBy` is the email of whoever saved it (a snapshot taken at save time). */
export function toPlanRevision(row: RevisionHeader): TPlanRevision {
  return {
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdByEmail,
    restoredFrom: row.restoredFrom,
  };
}

import { ZBackupValidationDetails, type TBackup } from '@elasticdash/contracts/deployer/backups';
import type { BackupRow } from './backups.repository.js';

export function toBackup(row: BackupRow): TBackup {
  const counts = row.tableCounts ?? null;
  // Details are written by the worker; a shape this version does not know is not shown rather than failing the list.
  const details = row.validationDetails ? ZBackupValidationDetails.safeParse(row.validationDetails) : null;
  return {
    id: row.id,
    deploymentId: row.deploymentId,
    trigger: row.trigger,
    status: row.status,
    error: row.error,
    bucket: row.bucket,
    objectKey: row.objectKey,
    sizeBytes: row.sizeBytes,
    tableCounts: counts,
    tableCount: counts ? Object.keys(counts).length : null,
    totalRows: counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : null,
    validation: row.validation,
    validationDetails: details?.success ? details.data : null,
    validatedAt: row.validatedAt?.toISOString() ?? null,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiredAt: row.expiredAt?.toISOString() ?? null,
  };
}

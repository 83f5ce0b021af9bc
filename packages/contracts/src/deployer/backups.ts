import { z } from 'zod';

/**
 * Backups of a deployment (docs/deployer.md, "Backups"): a `pg_dump -Fc` of the admin database
 * streamed to the platform's S3 bucket, then validated by restoring the stored object into a
 * scratch database and comparing every table's row count with the count taken at dump time.
 */
export const BACKUP_TRIGGERS = ['schedule', 'manual'] as const;
export const ZBackupTrigger = z.enum(BACKUP_TRIGGERS);
export type TBackupTrigger = z.infer<typeof ZBackupTrigger>;

export const BACKUP_STATUSES = ['running', 'succeeded', 'failed'] as const;
export const ZBackupStatus = z.enum(BACKUP_STATUSES);
export type TBackupStatus = z.infer<typeof ZBackupStatus>;

/** `skipped`: the plan's `validateByRestore` is off, or the dump itself failed. */
export const BACKUP_VALIDATIONS = ['pending', 'passed', 'failed', 'skipped'] as const;
export const ZBackupValidation = z.enum(BACKUP_VALIDATIONS);
export type TBackupValidation = z.infer<typeof ZBackupValidation>;

/** One table whose restored row count differs from the count at backup time (or is missing). */
export const ZBackupTableMismatch = z.object({
  /** `schema.table`. */
  table: z.string(),
  source: z.number().int().min(0),
  /** null: the table is missing after the restore. */
  restored: z.number().int().min(0).nullable(),
});
export type TBackupTableMismatch = z.infer<typeof ZBackupTableMismatch>;

/** What the restore proved (stored in `backups.validation_details`). */
export const ZBackupValidationDetails = z.object({
  /** Why validation failed or was skipped, in words ("public.orders: 1000 at backup, 998 restored"). */
  message: z.string(),
  /** The scratch database the object was restored into (dropped afterwards). */
  scratchDatabase: z.string().nullable(),
  tablesCompared: z.number().int().min(0),
  mismatches: z.array(ZBackupTableMismatch),
  /** Per table: rows at backup time and after the restore. */
  restoredCounts: z.record(z.string(), z.number().int().min(0)).nullable(),
  durationMs: z.number().int().min(0).nullable(),
});
export type TBackupValidationDetails = z.infer<typeof ZBackupValidationDetails>;

export const ZBackup = z
  .object({
    id: z.uuid(),
    deploymentId: z.uuid(),
    trigger: ZBackupTrigger,
    status: ZBackupStatus,
    /** Why the dump or the upload failed (status failed). */
    error: z.string().nullable(),
    bucket: z.string().nullable(),
    objectKey: z.string().nullable(),
    sizeBytes: z.number().int().min(0).nullable(),
    /** Exact row counts per `schema.table` at dump time. */
    tableCounts: z.record(z.string(), z.number().int().min(0)).nullable(),
    tableCount: z.number().int().min(0).nullable(),
    totalRows: z.number().int().min(0).nullable(),
    validation: ZBackupValidation,
    validationDetails: ZBackupValidationDetails.nullable(),
    validatedAt: z.iso.datetime().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    /** Retention removed the object (the row stays as history). */
    expiredAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Backup' });
export type TBackup = z.infer<typeof ZBackup>;

/** `GET /v1/plans/:planId/deployment/backups`: newest first, with the plan's backup settings. */
export const ZListBackupsResponse = z
  .object({
    backups: z.array(ZBackup),
    schedule: z
      .object({
        enabled: z.boolean(),
        cron: z.string(),
        retentionDays: z.number().int(),
        validateByRestore: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: 'ListBackupsResponse' });
export type TListBackupsResponse = z.infer<typeof ZListBackupsResponse>;

/** `POST /v1/plans/:planId/deployment/backups` (202) and `…/backups/:backupId/validate` (202). */
export const ZBackupResponse = z.object({ backup: ZBackup }).meta({ id: 'BackupResponse' });
export type TBackupResponse = z.infer<typeof ZBackupResponse>;

/** `details` of the 409 `backup_running`. */
export const ZBackupBusyDetails = z.object({ backup: ZBackup });

export const ZBackupParams = z.object({
  planId: z.uuid('planId must be a UUID'),
  backupId: z.uuid('backupId must be a UUID'),
});
export type TBackupParams = z.infer<typeof ZBackupParams>;

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  BACKUP_JOB_NAMES,
  BACKUP_JOB_OPTIONS,
  DeployerQueues,
  type TDeploymentBackupJob,
  ZDeploymentBackupJob,
} from '@elasticdash/contracts/deployer/jobs';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { JobProducer } from '../infra/job-producer.js';

/** Producer side of `deployment-backup` (the worker's backups/ consumes it). */
@Injectable()
export class BackupsQueue implements OnApplicationShutdown {
  private readonly producer: JobProducer<TDeploymentBackupJob>;

  constructor(@Inject(DEPLOYER_ENV) env: TDeployerEnv) {
    this.producer = new JobProducer(
      env.REDIS_URL,
      env.BULLMQ_PREFIX,
      DeployerQueues.backups,
      'svc-deployer-backups-queue',
    );
  }

  /** "Back up now": job id = backup id, so a repeated add is a no-op. */
  backup(job: TDeploymentBackupJob & { backupId: string }): Promise<void> {
    return this.add(BACKUP_JOB_NAMES.backup, job, job.backupId);
  }

  /** Re-validation of one backup; each request is its own job. */
  validate(job: TDeploymentBackupJob & { backupId: string }): Promise<void> {
    return this.add(BACKUP_JOB_NAMES.validate, job, `validate-${job.backupId}-${Date.now()}`);
  }

  private add(name: string, job: TDeploymentBackupJob, jobId: string): Promise<void> {
    return this.producer.add(name, ZDeploymentBackupJob.parse(job), { jobId, ...BACKUP_JOB_OPTIONS });
  }

  onApplicationShutdown(): Promise<void> {
    return this.producer.close();
  }
}

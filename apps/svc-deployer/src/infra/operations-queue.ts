import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  DeployerQueues,
  OPERATION_JOB_OPTIONS,
  operationJobName,
  type TDeploymentOperationJob,
  ZDeploymentOperationJob,
} from '@elasticdash/contracts/deployer/jobs';
import type { TOperationKind } from '@elasticdash/contracts/deployer/deployment';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { JobProducer } from './job-producer.js';

/** Producer side of the `plan-deploy` queue. */
@Injectable()
export class OperationsQueue implements OnApplicationShutdown {
  private readonly producer: JobProducer<TDeploymentOperationJob>;

  constructor(@Inject(DEPLOYER_ENV) env: TDeployerEnv) {
    this.producer = new JobProducer(env.REDIS_URL, env.BULLMQ_PREFIX, DeployerQueues.operations, 'svc-deployer-queue');
  }

  /** Enqueues the operation once: the job id is the operation id, so a repeated add is a no-op. */
  async enqueue(kind: TOperationKind, job: TDeploymentOperationJob): Promise<void> {
    const data = ZDeploymentOperationJob.parse(job);
    await this.producer.add(operationJobName(kind), data, { jobId: data.operationId, ...OPERATION_JOB_OPTIONS });
  }

  onApplicationShutdown(): Promise<void> {
    return this.producer.close();
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAN_RUN_LOCAL_TARGET,
  createDeployHarness,
  createDeployment,
  deploymentState,
  localPlan,
  operationState,
  waitForOperation,
  type DeployHarness,
} from './deploy-harness.js';
import { createDataset, createHarness, datasetState, ingestFile, waitForIngest, type Harness } from './harness.js';

/**
 * Redis on these machines keeps nothing on disk: a restart loses every queued job. The rows in
 * Postgres still say what was asked for, and the worker's job reconciler re-enqueues from them.
 * Here the job is never added at all (the same state a Redis restart leaves behind).
 */
const RECOVERY_ENV = { RECOVERY_INTERVAL_MS: '300', RECOVERY_GRACE_MS: '0' };

describe('job reconciler: ingests whose job Redis lost', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('worker_recovery', RECOVERY_ENV);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('re-enqueues a queued ingest that has no job, and it runs exactly once', async () => {
    const ref = await createDataset(h);
    const csv = ['id,name', ...Array.from({ length: 300 }, (_, i) => `${i + 1},row ${i + 1}`)].join('\n') + '\n';
    const { ingestId } = await ingestFile(h, ref, csv, { enqueue: false });
    expect(await h.queue.getJob(ingestId)).toBeUndefined();

    const ingest = await waitForIngest(h, ingestId, 20_000);
    expect(ingest).toMatchObject({ status: 'succeeded', failure_reason: null, rows_done: '300', runs: 1 });
    const state = await datasetState(h, ref.datasetId);
    expect(state.status).toBe('ready');
    const { rows } = await h.sql.query<{ n: string }>(`select count(*) as n from ${state.live_table}`);
    expect(rows[0]?.n).toBe('300');
    expect(h.worker.logs()).toContain('ingest job was missing from the queue; re-enqueued');
  });
});

describe.skipIf(!CAN_RUN_LOCAL_TARGET)('job reconciler: deploy operations and monitors', () => {
  let h: DeployHarness;
  beforeAll(async () => {
    h = await createDeployHarness('recovery', '56300-56319', { ...RECOVERY_ENV, MONITOR_INTERVAL_MS: '1000' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('re-enqueues a deploy whose job is gone, then restores a monitor schedule that disappeared', async () => {
    const doc = localPlan(40);
    const ref = await createDeployment(h, doc);
    const { rows } = await h.sql.query<{ id: string }>(
      `insert into deployer.operations (tenant_id, deployment_id, kind, plan_revision, document, requested_by, request_id)
       values ($1, $2, 'deploy', 1, $3::jsonb, 'test', 'req-recovery') returning id`,
      [ref.tenantId, ref.deploymentId, JSON.stringify(doc)],
    );
    const operationId = rows[0]!.id;
    await waitForOperation(h, operationId, 60_000);
    expect(await operationState(h, operationId)).toMatchObject({ status: 'succeeded' });
    expect((await deploymentState(h, ref.deploymentId)).state).toBe('running');

    const schedulerId = `monitor:${ref.deploymentId}`;
    expect(await h.monitorQueue.getJobScheduler(schedulerId)).toBeDefined();
    await h.monitorQueue.removeJobScheduler(schedulerId);
    const deadline = Date.now() + 10_000;
    while (!(await h.monitorQueue.getJobScheduler(schedulerId)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await h.monitorQueue.getJobScheduler(schedulerId)).toBeDefined();

    // A backup marked running whose job Redis lost is handed to the backup worker again.
    const backup = await h.sql.query<{ id: string }>(
      `insert into deployer.backups (tenant_id, deployment_id, trigger) values ($1, $2, 'manual') returning id`,
      [ref.tenantId, ref.deploymentId],
    );
    const backupId = backup.rows[0]!.id;
    const requeued = Date.now() + 10_000;
    while (!h.worker.logs().includes(`"backupId":"${backupId}"`) && Date.now() < requeued) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(h.worker.logs()).toMatch(new RegExp(`"backupId":"${backupId}".*backup job was missing; re-enqueued`));
  });
});

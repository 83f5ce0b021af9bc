/*
 * The local target when things go wrong: a worker SIGKILLed in the middle of a deploy (BullMQ
 * re-delivers the stalled job, the new worker resumes at the first step not done and ends with
 * exactly one cluster), the agent refusing a bad setting (the deployment goes red with the
 * agent's error, the running server is untouched, the monitor does not paint it green), and the
 * monitor noticing that the admin role's password no longer works (a re-deploy repairs it).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAN_RUN_LOCAL_TARGET,
  asAdmin,
  createDeployHarness,
  createDeployment,
  deploymentState,
  enqueueOperation,
  localPlan,
  operationState,
  pgBin,
  postmastersFor,
  show,
  stepEvents,
  waitForOperation,
  waitForState,
  type DeployHarness,
  type DeploymentRef,
} from './deploy-harness.js';
import { reliabilitySuite } from '../../../tests/support/reliability.js';

const MONITOR_INTERVAL_MS = 1_000;
const ALL_STEPS = ['allocate', 'initdb', 'start', 'configure', 'verify', 'register'];

describe.skipIf(!CAN_RUN_LOCAL_TARGET)('plan.deploy resilience on the local target', () => {
  const fault = reliabilitySuite('faults', 'Deploy worker');
  let h: DeployHarness;
  let ref: DeploymentRef;
  let dataDir = '';

  beforeAll(async () => {
    h = await createDeployHarness('deploy-resilience', '56200-56299', {
      MONITOR_INTERVAL_MS: String(MONITOR_INTERVAL_MS),
      DEPLOY_LOCK_DURATION_MS: '2000',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  fault(
    'Worker SIGKILLed mid-deploy',
    'a local-target deploy; the worker gets SIGKILL right after initdb, then a new worker starts',
    async () => {
      const doc = localPlan(30);
      ref = await createDeployment(h, doc);
      const operationId = await enqueueOperation(h, ref, 'deploy', doc, 1);
      const deadline = Date.now() + 30_000;
      let before = await operationState(h, operationId);
      while (!before.steps_done.includes('initdb')) {
        if (Date.now() > deadline) throw new Error(`initdb never done\n${h.worker.logs().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        before = await operationState(h, operationId);
      }
      h.worker.process.kill('SIGKILL');
      await h.worker.stop();
      const killedAt = await operationState(h, operationId);
      expect(killedAt.status).toBe('running');

      await h.startWorker();
      const op = await waitForOperation(h, operationId, 60_000);
      expect(op.error).toBeNull();
      expect(op.status).toBe('succeeded');
      expect(op.runs).toBe(2);
      expect(op.steps_done).toEqual(ALL_STEPS);

      const d = await deploymentState(h, ref.deploymentId);
      expect(d.state).toBe('running');
      dataDir = d.resources.dataDir!;
      expect(readdirSync(h.root)).toEqual([ref.deploymentId]);
      expect(postmastersFor(dataDir)).toBe(1);
      expect(await show(d.endpoint!, ref.password, 'max_connections')).toBe('30');

      // The second run skipped what the first had finished, and did each step exactly once overall.
      const events = await stepEvents(h, operationId);
      const earlier = events.filter((e) => e.message === 'skipped: done in an earlier run of this operation');
      expect(earlier.map((e) => e.step)).toEqual(killedAt.steps_done);
      const done = events.filter((e) => e.kind === 'step' && /^(done|skipped: the|skipped: Postgre)/.test(e.message));
      expect(new Set(done.map((e) => e.step)).size).toBe(done.length);
      return `resumed at the first step not done (${killedAt.steps_done.join(', ')} skipped): running, one cluster, one postmaster, every step once`;
    },
  );

  it('the agent refuses a bad value: failed with its error, the server untouched, the monitor keeps it red', async () => {
    const before = await deploymentState(h, ref.deploymentId);
    await asAdmin(before.endpoint!, ref.password, (c) =>
      c.query(`create table kept (id int); insert into kept values (7)`),
    );
    const operationId = await enqueueOperation(h, ref, 'redeploy', localPlan(30, { shared_buffers: 'lots' }), 2);
    const op = await waitForOperation(h, operationId, 60_000);
    expect(op.status).toBe('failed');
    expect(op.error).toContain('shared_buffers');
    const d = await deploymentState(h, ref.deploymentId);
    expect(d.state).toBe('failed');
    expect(d.reason).toBe(op.error);
    expect(d.deployed_revision).toBe(1);
    expect(await show(d.endpoint!, ref.password, 'shared_buffers')).toBe('256MB');
    const events = await stepEvents(h, operationId);
    expect(events.find((e) => e.step === 'configure' && e.message.startsWith('failed'))?.message).toContain(
      'shared_buffers',
    );
    await expect
      .poll(() => h.events.filter((e) => e.tenantId === ref.tenantId).at(-1)?.event, { timeout: 5_000 })
      .toMatchObject({ type: 'deployment.status', state: 'failed', reason: op.error });

    // Healthy server, but the last operation failed: the monitor does not turn it green.
    await new Promise((resolve) => setTimeout(resolve, 2.5 * MONITOR_INTERVAL_MS));
    expect((await deploymentState(h, ref.deploymentId)).state).toBe('failed');

    const fixed = await enqueueOperation(h, ref, 'redeploy', localPlan(35), 3);
    expect((await waitForOperation(h, fixed, 60_000)).status).toBe('succeeded');
    const after = await deploymentState(h, ref.deploymentId);
    expect(after).toMatchObject({ state: 'running', reason: null, deployed_revision: 3 });
    expect(await show(after.endpoint!, ref.password, 'max_connections')).toBe('35');
    const rows = await asAdmin(after.endpoint!, ref.password, async (c) => (await c.query('select id from kept')).rows);
    expect(rows).toEqual([{ id: 7 }]);
  });

  it('monitor: a changed admin password → failed "authentication failed for the admin role"; a re-deploy repairs it', async () => {
    const socketDir = path.join(h.root, ref.deploymentId, 'run');
    const { resources } = await deploymentState(h, ref.deploymentId);
    execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(pgBin(), 'psql'),
        '-h',
        socketDir,
        '-p',
        String(resources.port),
        '-d',
        'postgres',
        '-XAtc',
        `alter role orders_admin password 'not-the-stored-one'`,
      ],
      { stdio: 'ignore' },
    );
    const red = await waitForState(h, ref.deploymentId, (d) => d.state === 'failed', 2 * MONITOR_INTERVAL_MS + 1_500);
    expect(red.deployment.reason).toBe('authentication failed for the admin role');

    const operationId = await enqueueOperation(h, ref, 'redeploy', localPlan(35), 4);
    expect((await waitForOperation(h, operationId, 60_000)).status).toBe('succeeded');
    const green = await deploymentState(h, ref.deploymentId);
    expect(green).toMatchObject({ state: 'running', reason: null });
    expect(await show(green.endpoint!, ref.password, 'max_connections')).toBe('35');
    // Still running a few intervals later (the monitor agrees).
    await new Promise((resolve) => setTimeout(resolve, 2 * MONITOR_INTERVAL_MS));
    expect((await deploymentState(h, ref.deploymentId)).state).toBe('running');
  });
});

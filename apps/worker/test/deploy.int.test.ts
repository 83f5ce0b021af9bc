/*
 * plan.deploy / plan.destroy on the local target, for real: the built worker turns a cs-json plan
 * into a PostgreSQL cluster on this machine (initdb + pg_ctl as the postgres OS user, configured by
 * the pg-knowledge agent), re-deploys a changed max_connections in place keeping the data, the
 * monitor turns it red when the cluster is stopped and green when it is back, and destroy removes
 * it. Rows and events are checked the way svc-deployer and the web read them.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
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
  postmastersFor,
  show,
  startCluster,
  stepEvents,
  stopCluster,
  waitForOperation,
  waitForState,
  type DeployHarness,
  type DeploymentRef,
} from './deploy-harness.js';

const MONITOR_INTERVAL_MS = 1_000;

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(!CAN_RUN_LOCAL_TARGET)('plan.deploy on the local target', () => {
  let h: DeployHarness;
  let ref: DeploymentRef;
  let port = 0;
  let dataDir = '';

  beforeAll(async () => {
    h = await createDeployHarness('deploy', '56100-56199', { MONITOR_INTERVAL_MS: String(MONITOR_INTERVAL_MS) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('deploys a plan: pending → provisioning → configuring → running, with the plan max_connections', async () => {
    const doc = localPlan(40);
    ref = await createDeployment(h, doc);
    const operationId = await enqueueOperation(h, ref, 'deploy', doc, 1);
    const op = await waitForOperation(h, operationId, 60_000);
    expect(op.error).toBeNull();
    expect(op).toMatchObject({ status: 'succeeded', runs: 1 });
    expect(op.steps_done).toEqual(['allocate', 'initdb', 'start', 'configure', 'verify', 'register']);

    const d = await deploymentState(h, ref.deploymentId);
    expect(d).toMatchObject({ state: 'running', reason: null, config_version: 1, deployed_revision: 1 });
    port = d.resources.port!;
    dataDir = d.resources.dataDir!;
    expect(port).toBeGreaterThanOrEqual(56100);
    expect(port).toBeLessThanOrEqual(56199);
    expect(d.endpoint).toEqual({ host: '127.0.0.1', port, database: 'orders', user: 'orders_admin' });
    expect(d.health).toMatchObject({ ok: true, reason: null });
    expect(dataDir).toBe(path.join(h.root, ref.deploymentId, 'data'));

    expect(await show(d.endpoint!, ref.password, 'max_connections')).toBe('40');
    expect(await show(d.endpoint!, ref.password, 'log_min_duration_statement')).toBe('500ms');
    expect(postmastersFor(dataDir)).toBe(1);
    // The password verifier was applied and deleted; the plaintext never reached the disk.
    expect(existsSync(path.join(h.root, ref.deploymentId, 'agent', 'admin-password'))).toBe(false);
    expect(h.worker.logs()).not.toContain(ref.password);

    const events = await stepEvents(h, operationId);
    expect(events.filter((e) => e.kind === 'transition').map((e) => e.state)).toEqual([
      'provisioning',
      'configuring',
      'running',
    ]);
    const done = events.filter((e) => e.kind === 'step' && e.message.startsWith('done')).map((e) => e.step);
    expect(done).toEqual(['allocate', 'initdb', 'start', 'configure', 'verify', 'register']);

    // Events are published after the rows commit: give pub/sub a moment to deliver the last ones.
    const mine = () => h.events.filter((e) => e.tenantId === ref.tenantId).map((e) => e.event);
    await expect
      .poll(() => mine().flatMap((e) => (e.type === 'deployment.status' ? [e.state] : [])), { timeout: 5_000 })
      .toEqual(['provisioning', 'configuring', 'running']);
    expect(mine().filter((e) => e.type === 'deployment.step' && e.status === 'done')).toHaveLength(6);
  });

  it('re-deploys a changed max_connections in place: updating → running, data kept', async () => {
    const before = await deploymentState(h, ref.deploymentId);
    await asAdmin(before.endpoint!, ref.password, (c) =>
      c.query(`create table kept (id int primary key, note text); insert into kept values (1, 'before')`),
    );
    const doc = localPlan(60, { work_mem: '8MB' });
    const operationId = await enqueueOperation(h, ref, 'redeploy', doc, 2);
    const op = await waitForOperation(h, operationId, 60_000);
    expect(op.error).toBeNull();
    expect(op.status).toBe('succeeded');

    const d = await deploymentState(h, ref.deploymentId);
    expect(d).toMatchObject({ state: 'running', config_version: 2, deployed_revision: 2 });
    expect(d.resources.port).toBe(port);
    expect(await show(d.endpoint!, ref.password, 'max_connections')).toBe('60');
    expect(await show(d.endpoint!, ref.password, 'work_mem')).toBe('8MB');
    const rows = await asAdmin(d.endpoint!, ref.password, async (c) => (await c.query('select * from kept')).rows);
    expect(rows).toEqual([{ id: 1, note: 'before' }]);
    expect(postmastersFor(dataDir)).toBe(1);

    const events = await stepEvents(h, operationId);
    expect(events.filter((e) => e.kind === 'transition').map((e) => e.state)).toEqual(['updating', 'running']);
    const skipped = events.filter((e) => e.kind === 'step' && e.message.startsWith('skipped')).map((e) => e.step);
    expect(skipped).toEqual(['allocate', 'initdb', 'start']);
    const configure = events.find((e) => e.step === 'configure' && e.message.startsWith('done'));
    expect(configure?.message).toContain('max_connections (restart)');
  });

  it('monitor: a stopped cluster turns failed with the reason; started again, running', async () => {
    // The monitor is scheduled after the deploy; let it take one healthy look first.
    await waitForState(h, ref.deploymentId, (d) => d.health?.settings.server_version !== undefined, 5_000);
    stopCluster(dataDir, 'fast');
    // A probe that lands mid-shutdown may see a reset first; the reason then settles on "refused".
    const refused = `PostgreSQL is not accepting connections on 127.0.0.1:${port} (connection refused)`;
    const red = await waitForState(
      h,
      ref.deploymentId,
      (d) => d.state === 'failed' && d.reason === refused,
      3 * MONITOR_INTERVAL_MS + 1_500,
    );
    expect(red.deployment.reason).toBe(refused);
    expect(red.deployment.health).toMatchObject({ ok: false, reason: red.deployment.reason });

    startCluster(dataDir, path.join(h.root, ref.deploymentId, 'run', 'server.log'));
    const green = await waitForState(
      h,
      ref.deploymentId,
      (d) => d.state === 'running',
      2 * MONITOR_INTERVAL_MS + 1_500,
    );
    expect(green.deployment).toMatchObject({ reason: null, health: { ok: true, reason: null } });
    expect(green.deployment.health?.settings.max_connections).toBe('60');

    // The row is committed before the event is published, and pub/sub delivers it a moment later.
    const lastStatuses = () =>
      h.events
        .filter((e) => e.tenantId === ref.tenantId)
        .flatMap((e) => (e.event.type === 'deployment.status' ? [`${e.event.state}:${e.event.reason ?? ''}`] : []))
        .slice(-2);
    await expect
      .poll(lastStatuses, { timeout: 5_000, interval: 50 })
      .toEqual([
        `failed:PostgreSQL is not accepting connections on 127.0.0.1:${port} (connection refused)`,
        'running:',
      ]);
  });

  it('destroy: destroyed, directory gone, port free, secret deleted, monitor removed', async () => {
    const operationId = await enqueueOperation(h, ref, 'destroy', null, null);
    const op = await waitForOperation(h, operationId, 60_000);
    expect(op.error).toBeNull();
    expect(op.steps_done).toEqual(['unmonitor', 'stop', 'remove', 'forget-secret']);
    const d = await deploymentState(h, ref.deploymentId);
    expect(d).toMatchObject({ state: 'destroyed', endpoint: null, admin_secret_ref: null, resources: {} });
    expect(existsSync(path.join(h.root, ref.deploymentId))).toBe(false);
    expect(await portAnswers(port)).toBe(false);
    expect(postmastersFor(dataDir)).toBe(0);
    const { rows } = await h.sql.query('select 1 from deployer.secrets where id = $1', [ref.secretId]);
    expect(rows).toHaveLength(0);
    expect(await h.monitorQueue.getJobSchedulers()).toEqual([]);
    await expect
      .poll(() => h.events.filter((e) => e.tenantId === ref.tenantId).at(-1)?.event, { timeout: 5_000 })
      .toMatchObject({ type: 'deployment.status', state: 'destroyed' });
    // A re-delivered job of a finished operation does nothing.
    expect((await operationState(h, operationId)).runs).toBe(1);
  });
});

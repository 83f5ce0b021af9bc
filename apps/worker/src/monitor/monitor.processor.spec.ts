import { randomUUID } from 'node:crypto';
import type { TDeploymentHealth } from '@elasticdash/contracts/deployer/deployment';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AwsTarget } from '../deploy/aws/aws-target.js';
import type { DeployRepository, DeploymentRow } from '../deploy/deploy.repository.js';
import type { LocalTarget } from '../deploy/local-target.js';
import { MonitorProcessor } from './monitor.processor.js';

/**
 * Ordering of monitor verdicts: a check slower than the interval must not land after a newer one
 * (the UI would show red after green). The deployment table is a small in-memory stand-in with the
 * repository's conditional-update semantics; the health check is a gate the test opens.
 */
function world(initial: Partial<DeploymentRow> = {}) {
  const row: DeploymentRow = {
    id: randomUUID(),
    tenantId: randomUUID(),
    planId: randomUUID(),
    planName: 'orders',
    componentId: 'pg-1',
    target: 'aws',
    state: 'running',
    reason: null,
    configVersion: 1,
    endpoint: { host: '10.0.0.2', port: 5432, database: 'app', user: 'app_admin' },
    resources: {},
    adminSecretRef: null,
    health: null,
    ...initial,
  };
  const published: string[] = [];
  const repository = {
    findDeployment: async () => ({ ...row }),
    hasActiveOperation: async () => false,
    lastOperationStatus: async () => 'succeeded',
    setHealth: async (d: DeploymentRow, health: TDeploymentHealth) => {
      if (row.state !== d.state) return false;
      row.health = health;
      return true;
    },
    monitorTransition: async (
      _d: DeploymentRow,
      from: DeploymentRow['state'],
      to: DeploymentRow['state'],
      reason: string | null,
      health: TDeploymentHealth,
    ) => {
      if (row.state !== from) return false;
      Object.assign(row, { state: to, reason, health });
      return true;
    },
  } as unknown as DeployRepository;
  const gates: ((health: TDeploymentHealth) => void)[] = [];
  const aws = {
    health: () => new Promise<TDeploymentHealth>((resolve) => gates.push(resolve)),
  } as unknown as AwsTarget;
  const publisher = {
    publish: async (_tenant: string, event: { state: string; reason: string | null }) =>
      void published.push(`${event.state}:${event.reason ?? ''}`),
  } as unknown as RealtimePublisher;
  const monitor = new MonitorProcessor(
    repository,
    {} as LocalTarget,
    publisher,
    { currentId: 'k', keys: new Map() },
    pino({ level: 'silent' }),
    async () => undefined,
    aws,
  );
  const job = { data: { tenantId: row.tenantId, deploymentId: row.id } } as Job;
  const verdict = (ok: boolean): TDeploymentHealth => ({
    ok,
    reason: ok ? null : 'port 5432 on 10.0.0.2 is closed',
    checkedAt: new Date().toISOString(),
    settings: {},
  });
  const untilGates = async (n: number) => {
    while (gates.length < n) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  return { row, published, monitor, job, gates, verdict, untilGates };
}

describe('MonitorProcessor: verdict ordering', () => {
  it('skips a check of a deployment while the previous one still runs', async () => {
    const w = world();
    const first = w.monitor.process(w.job);
    await w.untilGates(1);
    expect(await w.monitor.process(w.job)).toEqual({ checked: false });
    w.gates[0]!(w.verdict(false));
    expect(await first).toEqual({ checked: true, ok: false, state: 'failed' });
    expect(w.published).toEqual(['failed:port 5432 on 10.0.0.2 is closed']);
  });

  it('drops a verdict whose deployment changed state while it was checking (no red after green)', async () => {
    const w = world({
      state: 'failed',
      reason: 'port 5432 on 10.0.0.2 is closed',
      health: { ok: false, reason: 'an older reason', checkedAt: new Date().toISOString(), settings: {} },
    });
    // A check reads "failed" and waits on the network…
    const stale = w.monitor.process(w.job);
    await w.untilGates(1);
    // …meanwhile the server came back and something else (an operation, another worker) turned it green.
    Object.assign(w.row, { state: 'running', reason: null, health: w.verdict(true) });
    w.gates[0]!(w.verdict(false));
    expect(await stale).toEqual({ checked: false });
    expect(w.row).toMatchObject({ state: 'running', reason: null, health: { ok: true } });
    expect(w.published).toEqual([]);
  });
});

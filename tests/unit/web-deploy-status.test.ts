import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_STATES, type TDeploymentOperation } from '@elasticdash/contracts/deployer/deployment';
import { deployAvailability } from '../../apps/web/lib/plans/deploy.js';
import {
  busyReason,
  deploymentStatus,
  failureHint,
  isBusy,
  isLive,
  STATE_LABELS,
  type TDeploymentTone,
} from '../../apps/web/lib/deployments/status.js';

const health = (ok: boolean, reason: string | null = null) => ({
  ok,
  reason,
  checkedAt: '2026-11-22T05:00:00.000Z',
  settings: { max_connections: '40' },
});

const operation = (kind: TDeploymentOperation['kind']): TDeploymentOperation => ({
  id: '33333333-3333-4333-8333-333333333333',
  kind,
  status: 'running',
  planRevision: 2,
  error: null,
  requestedBy: 'ops@example.test',
  createdAt: '2026-11-22T05:00:00.000Z',
  finishedAt: null,
});

describe('deployment state → colour and label', () => {
  it('maps every state to exactly one tone', () => {
    const expected: Record<(typeof DEPLOYMENT_STATES)[number], TDeploymentTone> = {
      pending: 'deploying',
      provisioning: 'deploying',
      configuring: 'deploying',
      updating: 'deploying',
      destroying: 'deploying',
      running: 'running',
      failed: 'failing',
      destroyed: 'not_deployed',
    };
    for (const state of DEPLOYMENT_STATES) {
      const view = deploymentStatus({ state, reason: state === 'failed' ? 'boom' : null });
      expect(view.tone, state).toBe(expected[state]);
      expect(view.label).toBe(STATE_LABELS[state]);
      expect(view.state).toBe(state);
    }
  });

  it('is grey "Not deployed" without a deployment (404)', () => {
    for (const missing of [null, undefined]) {
      expect(deploymentStatus(missing)).toEqual({
        tone: 'not_deployed',
        label: 'Not deployed',
        state: 'none',
        reason: null,
        announcement: 'Status: Not deployed',
      });
    }
  });

  it('is red with the reason as text when failed, and only then', () => {
    const failed = deploymentStatus({ state: 'failed', reason: 'initdb: disk full' });
    expect(failed).toMatchObject({ tone: 'failing', label: 'Failed', reason: 'initdb: disk full' });
    expect(failed.announcement).toBe('Status: Failed. initdb: disk full');
    expect(deploymentStatus({ state: 'failed', reason: null }).reason).toMatch(/no reason was recorded/);
    // A stale reason on a green or orange deployment is not shown.
    expect(deploymentStatus({ state: 'running', reason: 'old problem', health: health(true) }).reason).toBeNull();
    expect(deploymentStatus({ state: 'updating', reason: 'old problem' }).reason).toBeNull();
  });

  it('never shows green while the last health check failed', () => {
    const view = deploymentStatus({ state: 'running', reason: null, health: health(false, 'port 5433 closed') });
    expect(view).toMatchObject({ tone: 'failing', label: 'Unhealthy', reason: 'port 5433 closed' });
    expect(deploymentStatus({ state: 'running', reason: null, health: health(true) }).tone).toBe('running');
  });
});

describe('busy and live', () => {
  it('is busy while an operation is active or the state is on its way', () => {
    expect(isBusy(null)).toBe(false);
    expect(isBusy({ state: 'running', reason: null, activeOperation: null })).toBe(false);
    expect(isBusy({ state: 'running', reason: null, activeOperation: operation('redeploy') })).toBe(true);
    expect(isBusy({ state: 'provisioning', reason: null, activeOperation: null })).toBe(true);
    expect(isBusy({ state: 'failed', reason: 'x', activeOperation: null })).toBe(false);
  });

  it('names the operation in the way', () => {
    expect(busyReason({ state: 'running', reason: null, activeOperation: operation('redeploy') })).toBe(
      'A re-deploy is in progress; wait for it to finish.',
    );
    expect(busyReason({ state: 'destroying', reason: null })).toBe('A destroy is in progress; wait for it to finish.');
    expect(busyReason({ state: 'pending', reason: null })).toBe('A deploy is in progress; wait for it to finish.');
  });

  it('treats destroyed as not deployed', () => {
    expect(isLive(null)).toBe(false);
    expect(isLive({ state: 'destroyed' })).toBe(false);
    expect(isLive({ state: 'failed' })).toBe(true);
  });

  it('disables Deploy with the busy reason before anything else (but after the role)', () => {
    const ready = { canDeploy: true, saved: true, dirty: true, errorCount: 1, saving: false };
    expect(deployAvailability({ ...ready, busy: 'A deploy is in progress; wait for it to finish.' })).toEqual({
      enabled: false,
      reason: 'A deploy is in progress; wait for it to finish.',
    });
    expect(deployAvailability({ ...ready, canDeploy: false, busy: 'x' }).reason).toMatch(/Only admins and owners/);
    expect(deployAvailability({ ...ready, dirty: false, errorCount: 0, busy: null })).toEqual({
      enabled: true,
      reason: null,
    });
  });
});

describe('failure hints', () => {
  it('says nothing when nothing is wrong', () => {
    expect(failureHint({ state: 'running', reason: null, failedStep: null, healthOk: true })).toBeNull();
    expect(failureHint({ state: 'provisioning', reason: null, failedStep: null })).toBeNull();
  });

  it('sends plan problems back to the plan', () => {
    expect(
      failureHint({ state: 'failed', reason: 'bad setting', failedStep: 'configure', failedOperation: 'deploy' }),
    ).toBe('Fix the plan (see the message above), save it and deploy again.');
    expect(
      failureHint({
        state: 'failed',
        reason: 'the plan cannot be deployed: x',
        failedStep: null,
        failedOperation: 'deploy',
      }),
    ).toMatch(/^Fix the plan/);
  });

  it('has a hint for machine steps, destroys, the queue and the monitor', () => {
    expect(failureHint({ state: 'failed', reason: 'no free port', failedStep: 'allocate' })).toMatch(
      /could not be created/,
    );
    expect(failureHint({ state: 'failed', reason: 'x', failedStep: 'remove', failedOperation: 'destroy' })).toMatch(
      /^Destroy again/,
    );
    // The AWS target's steps.
    expect(failureHint({ state: 'failed', reason: 'AccessDenied', failedStep: 'agent-profile' })).toMatch(
      /could not be created/,
    );
    expect(failureHint({ state: 'failed', reason: 'no capacity', failedStep: 'launch' })).toMatch(
      /could not be created/,
    );
    expect(failureHint({ state: 'failed', reason: 'x', failedStep: 'agent-profile-delete' })).toMatch(/^Destroy again/);
    expect(
      failureHint({
        state: 'failed',
        reason: 'the agent on the instance could not apply desired config v2: invalid value',
        failedStep: 'agent-applied',
        failedOperation: 'redeploy',
      }),
    ).toMatch(/^Fix the plan/);
    expect(
      failureHint({ state: 'failed', reason: 'The deploy could not be queued; try again shortly', failedStep: null }),
    ).toBe('Nothing was changed. Try again in a moment.');
    expect(
      failureHint({ state: 'failed', reason: 'connection refused', failedStep: null, failedOperation: null }),
    ).toMatch(/health checks/);
    expect(failureHint({ state: 'running', reason: null, failedStep: null, healthOk: false })).toMatch(/health checks/);
    expect(
      failureHint({ state: 'failed', reason: 'odd', failedStep: 'register', failedOperation: 'redeploy' }),
    ).toMatch(/^Deploy again/);
  });
});

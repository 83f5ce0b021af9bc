import { EXAMPLE_CS_JSON, type TCsJsonDocument, type TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { describe, expect, it } from 'vitest';
import { decideDeploy, type TExistingDeployment } from './deploy-decision.js';

const document = (edit?: (component: TPostgresComponent) => void): TCsJsonDocument => {
  const copy = structuredClone(EXAMPLE_CS_JSON);
  const component = copy.components[0];
  if (!component) throw new Error('the example has a component');
  edit?.(component);
  return copy;
};
const componentOf = (doc: TCsJsonDocument): TPostgresComponent => {
  const component = doc.components[0];
  if (!component) throw new Error('no component');
  return component;
};
const running = (overrides: Partial<TExistingDeployment> = {}): TExistingDeployment => ({
  state: 'running',
  target: 'local',
  componentId: 'pg-1',
  deployedDocument: document(),
  ...overrides,
});

describe('decideDeploy', () => {
  it('deploys when there is no deployment, or it was destroyed, or nothing was ever deployed', () => {
    const next = componentOf(document());
    expect(decideDeploy(undefined, next, 'local', false)).toEqual({ outcome: 'deploy', state: 'pending' });
    expect(decideDeploy(running({ state: 'destroyed' }), next, 'aws', false).outcome).toBe('deploy');
    expect(decideDeploy(running({ state: 'failed', deployedDocument: null }), next, 'local', false).outcome).toBe(
      'deploy',
    );
  });

  it('re-deploys a running or failed deployment, even when nothing changed', () => {
    const same = decideDeploy(running(), componentOf(document()), 'local', false);
    expect(same).toMatchObject({ outcome: 'redeploy', state: 'updating', change: { noop: true } });
    const more = decideDeploy(
      running({ state: 'failed' }),
      componentOf(document((c) => (c.database.maxConnections = 200))),
      'local',
      false,
    );
    expect(more.outcome).toBe('redeploy');
    if (more.outcome !== 'redeploy') return;
    expect(more.change.changes.map((change) => change.path)).toContain('database.maxConnections');
  });

  it.each<[string, (component: TPostgresComponent) => void, string]>([
    ['the OS family', (c) => (c.os = { family: 'debian', version: '12' }), 'os.family'],
    ['the major version', (c) => (c.database.majorVersion = 17), 'database.majorVersion'],
    ['a smaller disk', (c) => (c.storage.sizeGiB = 50), 'storage.sizeGiB'],
  ])('refuses a change of %s unless confirmed', (_what, edit, path) => {
    const next = componentOf(document(edit));
    const refused = decideDeploy(running(), next, 'local', false);
    expect(refused.outcome).toBe('refused');
    if (refused.outcome !== 'refused') return;
    expect(refused.change.destructive.map((change) => change.path)).toContain(path);
    expect(decideDeploy(running(), next, 'local', true).outcome).toBe('redeploy');
  });

  it('refuses to move a live deployment to another target', () => {
    expect(decideDeploy(running(), componentOf(document()), 'aws', false)).toEqual({
      outcome: 'target-mismatch',
      current: 'local',
    });
  });
});

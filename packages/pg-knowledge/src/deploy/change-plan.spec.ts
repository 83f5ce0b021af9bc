import { EXAMPLE_CS_JSON, type TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { describe, expect, it } from 'vitest';
import { planComponentChange, planDesiredConfigChange } from './change-plan.js';
import { desiredConfigFromPlan, type TDesiredConfig } from './desired-config.js';

const base = EXAMPLE_CS_JSON.components[0]!;
function edit(mutate: (c: TPostgresComponent) => void): TPostgresComponent {
  const c = structuredClone(base);
  mutate(c);
  return c;
}
const kinds = (p: ReturnType<typeof planComponentChange>) => p.changes.map((c) => `${c.kind} ${c.path}`);

describe('planComponentChange', () => {
  it('is a no-op for identical components and canvas moves', () => {
    const p = planComponentChange(
      base,
      edit((c) => (c.position = { x: 0, y: 0 })),
    );
    expect(p).toMatchObject({ noop: true, refused: false, requiresRestart: false, requiresStop: false });
  });

  it('reload only for a reloadable parameter', () => {
    const p = planComponentChange(
      base,
      edit((c) => (c.database.parameters = { log_min_duration_statement: '1s' })),
    );
    expect(kinds(p)).toEqual(['reload database.parameters.log_min_duration_statement']);
    expect(p.requiresRestart).toBe(false);
    expect(p.reasons[0]).toBe('database.parameters.log_min_duration_statement: "500ms" → "1s" (applied by a reload)');
  });

  it('restart for max_connections (and the work_mem it retunes is a reload)', () => {
    const p = planComponentChange(
      base,
      edit((c) => (c.database.maxConnections = 200)),
    );
    expect(kinds(p)).toEqual(['restart database.maxConnections', 'reload database.parameters.work_mem']);
    expect(p.requiresRestart).toBe(true);
  });

  it('resize in place for more compute: stop, change type, start, plus retuned settings', () => {
    const p = planComponentChange(
      base,
      edit((c) => {
        c.compute = {
          vcpu: 4,
          memoryGiB: 16,
          architecture: 'x86_64',
          providerHint: { aws: { instanceType: 'm6i.xlarge' } },
        };
      }),
    );
    expect(p.changes[0]).toMatchObject({ kind: 'resize', path: 'compute', from: 'm6i.large', to: 'm6i.xlarge' });
    expect(p.requiresStop).toBe(true);
    expect(p.requiresRestart).toBe(true);
    expect(kinds(p)).toContain('restart database.parameters.shared_buffers');
    expect(p.refused).toBe(false);
  });

  it('grows the volume in place; shrinking it is destructive', () => {
    expect(
      kinds(
        planComponentChange(
          base,
          edit((c) => (c.storage.sizeGiB = 200)),
        ),
      ),
    ).toEqual(['volume-grow storage.sizeGiB']);
    const shrink = planComponentChange(
      base,
      edit((c) => (c.storage.sizeGiB = 50)),
    );
    expect(shrink.refused).toBe(true);
    expect(shrink.destructive[0]!.reason).toMatch(/^storage\.sizeGiB: 100 → 50: EBS volumes cannot shrink/);
    expect(
      planComponentChange(
        base,
        edit((c) => (c.storage.sizeGiB = 50)),
        { confirmDestructive: true },
      ).refused,
    ).toBe(false);
  });

  it('refuses OS family, OS version, major version and architecture changes unless confirmed', () => {
    const os = planComponentChange(
      base,
      edit((c) => (c.os = { family: 'debian', version: '12' })),
    );
    expect(os.destructive.map((c) => c.path)).toEqual(['os.family']);
    expect(os.refused).toBe(true);
    const ver = planComponentChange(
      base,
      edit((c) => (c.os.version = '22.04')),
    );
    expect(ver.destructive.map((c) => c.path)).toEqual(['os.version']);
    const major = planComponentChange(
      base,
      edit((c) => (c.database.majorVersion = 17)),
    );
    expect(major.destructive.map((c) => c.path)).toEqual(['database.majorVersion']);
    expect(major.reasons[0]).toMatch(/pg_upgrade/);
    const arch = planComponentChange(
      base,
      edit((c) => (c.compute = { vcpu: 2, memoryGiB: 8, architecture: 'arm64' })),
    );
    expect(arch.destructive.map((c) => c.path)).toEqual(['compute.architecture']);
  });

  it('CIDR changes update the security group and pg_hba without downtime', () => {
    const p = planComponentChange(
      base,
      edit((c) => (c.network.allowedCidrs = ['10.0.0.0/16', '192.168.0.0/24'])),
    );
    expect(kinds(p)).toEqual(['security-group network.allowedCidrs', 'reload network.allowedCidrs']);
  });

  it('backup changes are applied by the agent', () => {
    const p = planComponentChange(
      base,
      edit((c) => (c.backups.retentionDays = 7)),
    );
    expect(kinds(p)).toEqual(['agent backups']);
  });
});

describe('planDesiredConfigChange', () => {
  const v1 = (): TDesiredConfig => {
    const r = desiredConfigFromPlan(EXAMPLE_CS_JSON, 'pg-1', { version: 1, backupRegion: 'eu-west-1' });
    if (!r.ok) throw new Error('example');
    return r.config;
  };

  it('classifies parameter, hba and major version changes', () => {
    const a = v1();
    const b = structuredClone(a);
    b.version = 2;
    b.parameters.work_mem = '32MB';
    b.parameters.shared_buffers = '3GB';
    b.hba.push({ type: 'host', database: 'all', user: 'all', cidr: '172.16.0.0/12', method: 'scram-sha-256' });
    const p = planDesiredConfigChange(a, b);
    expect(p.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([
      'restart parameters.shared_buffers',
      'reload parameters.work_mem',
      'reload hba',
    ]);
    const c = structuredClone(a);
    c.postgres.majorVersion = 17;
    expect(planDesiredConfigChange(a, c).refused).toBe(true);
    expect(planDesiredConfigChange(a, structuredClone(a)).noop).toBe(true);
  });
});

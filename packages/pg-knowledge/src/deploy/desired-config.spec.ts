import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { describe, expect, it } from 'vitest';
import { desiredConfigFromPlan, ZDesiredConfig, type TDesiredConfig } from './desired-config.js';

function example(): TDesiredConfig {
  const r = desiredConfigFromPlan(EXAMPLE_CS_JSON, 'pg-1', { version: 3, backupRegion: 'eu-west-1' });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

describe('desiredConfigFromPlan', () => {
  it('builds the example plan: pgtune + max_connections + overrides, port apart, one hba rule per CIDR', () => {
    const c = example();
    expect(c.version).toBe(3);
    expect(c.postgres).toEqual({ majorVersion: 16, port: 5432, listenAddresses: ['*'] });
    expect(c.parameters).toMatchObject({
      shared_buffers: '2GB',
      effective_cache_size: '6GB',
      work_mem: '19418kB',
      max_connections: '100',
      log_min_duration_statement: '500ms',
    });
    expect(c.parameters).not.toHaveProperty('port');
    expect(c.hba).toEqual([
      { type: 'host', database: 'all', user: 'all', cidr: '10.0.0.0/16', method: 'scram-sha-256' },
    ]);
    expect(c.admin).toEqual({ role: 'orders_admin', database: 'orders' });
    expect(c.backups).toEqual({
      enabled: true,
      schedule: '0 3 * * *',
      retentionDays: 14,
      s3: { bucket: 'acme-orders-db-backups', prefix: 'orders-db/', region: 'eu-west-1' },
    });
    expect(ZDesiredConfig.parse(c)).toBe(c);
  });

  it('refuses an unknown component', () => {
    const r = desiredConfigFromPlan(EXAMPLE_CS_JSON, 'nope', { version: 1, backupRegion: 'eu-west-1' });
    expect(r.ok).toBe(false);
  });

  it('disables backups without a target', () => {
    const doc = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    doc.components[0]!.backups = { ...doc.components[0]!.backups, enabled: false, target: null };
    const r = desiredConfigFromPlan(doc, 'pg-1', { version: 1, backupRegion: 'eu-west-1' });
    expect(r.ok && r.config.backups).toMatchObject({ enabled: false, s3: null });
  });
});

/** A desired config whose fields tests may set to anything. */
interface TLoose {
  version: unknown;
  parameters: Record<string, unknown>;
  hba: Record<string, unknown>[];
  admin: Record<string, unknown>;
  backups: Record<string, unknown>;
}

describe('ZDesiredConfig', () => {
  const issues = (mutate: (c: TLoose) => void) => {
    const c = structuredClone(example()) as unknown as TLoose;
    mutate(c);
    const r = ZDesiredConfig.safeParse(c);
    return r.success ? [] : r.issues.map((i) => i.path);
  };

  it('rejects managed and invalid parameters', () => {
    expect(issues((c) => (c.parameters.port = '5433'))).toEqual(['parameters.port']);
    expect(issues((c) => (c.parameters['Bad-Name'] = '1'))).toEqual(['parameters.Bad-Name']);
    expect(issues((c) => (c.parameters.work_mem = '4MB\nshared_buffers = 1'))).toEqual(['parameters.work_mem']);
  });

  it('rejects bad hba rules, identifiers and backups', () => {
    expect(issues((c) => (c.hba[0]!.cidr = '10.0.0.1/16'))).toEqual(['hba.0.cidr']);
    expect(issues((c) => (c.hba[0]!.method = 'trust'))).toEqual(['hba.0']);
    expect(issues((c) => (c.admin.role = 'postgres'))).toEqual(['admin.role']);
    expect(issues((c) => (c.backups.s3 = null))).toEqual(['backups.s3']);
    expect(issues((c) => (c.backups.schedule = '0 3 * *'))).toEqual(['backups.schedule']);
    expect(issues((c) => (c.version = 0))).toEqual(['version']);
    expect(() => ZDesiredConfig.parse({})).toThrow(/invalid desired config/);
  });
});

import { describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON, type TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { tuningFor } from './tuning-preview.js';

const example = EXAMPLE_CS_JSON.components[0] as TPostgresComponent;

describe('tuningFor', () => {
  it('tunes the example (8 GiB, 2 vCPU, web, 100 connections, SSD, PG 16) and applies its override', () => {
    const preview = tuningFor(example);
    expect(preview.settings).toEqual({
      max_connections: '100',
      shared_buffers: '2GB',
      effective_cache_size: '6GB',
      maintenance_work_mem: '512MB',
      checkpoint_completion_target: '0.9',
      wal_buffers: '16MB',
      default_statistics_target: '100',
      random_page_cost: '1.1',
      effective_io_concurrency: '200',
      work_mem: '19418kB',
      huge_pages: 'try',
      min_wal_size: '1GB',
      max_wal_size: '4GB',
      jit: 'off',
      wal_compression: 'lz4',
      port: '5432',
      log_min_duration_statement: '500ms',
    });
    expect(preview.overridden).toEqual(['log_min_duration_statement']);
    expect(preview.entries.at(-1)).toEqual({ name: 'log_min_duration_statement', value: '500ms', source: 'override' });
    expect(preview.entries.find((e) => e.name === 'port')).toEqual({ name: 'port', value: '5432', source: 'plan' });
    expect(preview.warnings).toEqual([]);
  });

  it('an override of a tuned setting keeps the tuned value for display', () => {
    const component = structuredClone(example);
    component.database.parameters = { work_mem: '64MB' };
    component.network.port = 6432;
    const preview = tuningFor(component);
    expect(preview.settings.work_mem).toBe('64MB');
    expect(preview.settings.port).toBe('6432');
    expect(preview.entries.find((e) => e.name === 'work_mem')).toEqual({
      name: 'work_mem',
      value: '64MB',
      source: 'override',
      tunedValue: '19418kB',
    });
    expect(preview.overridden).toEqual(['work_mem']);
  });

  it('maps storage, workload and version (nvme dw PG 17 on 16 vCPU)', () => {
    const component = structuredClone(example);
    component.compute = { vcpu: 16, memoryGiB: 64, architecture: 'arm64' };
    component.storage = { type: 'nvme', sizeGiB: 500 };
    component.database = { ...component.database, workload: 'dw', majorVersion: 17, maxConnections: 40 };
    delete component.database.parameters;
    const { settings, overridden } = tuningFor(component);
    expect(settings.effective_io_concurrency).toBe('1000');
    expect(settings.default_statistics_target).toBe('500');
    expect(settings.max_parallel_workers_per_gather).toBe('8');
    expect(settings.work_mem).toBe('149796kB'); // same as the dw 64 GiB / 16 vCPU / 40 connections vector
    expect(settings.jit).toBeUndefined();
    expect(overridden).toEqual([]);
  });
});

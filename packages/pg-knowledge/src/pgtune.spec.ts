import { describe, expect, it } from 'vitest';
import { formatKb, parseKb, tunePostgres } from './pgtune.js';

// All arithmetic in kB: 1 GiB = 1048576 kB, 1 MiB = 1024 kB.

describe('tunePostgres: vectors', () => {
  it('worked example: 8 GiB, 2 vCPU, web, 100 connections, SSD, PG 16', () => {
    // RAM = 8 × 1048576 = 8388608 kB
    // shared_buffers = 8388608 / 4 = 2097152 kB = 2GB
    // effective_cache_size = 8388608 × 3/4 = 6291456 = 6GB
    // maintenance_work_mem = 8388608 / 16 = 524288 = 512MB
    // wal_buffers = floor(3% × 2097152) = 62914 > 16384 → 16MB
    // work_mem = (8388608 − 2097152) / ((100 + 8) × 3) = 6291456 / 324 = 19418.07 → 19418kB
    //   (W = 8, the default max_worker_processes, since CPU < 4)
    // huge_pages: shared_buffers 2GB ≥ 2GB → try
    expect(
      tunePostgres({ memoryGiB: 8, vcpu: 2, workload: 'web', maxConnections: 100, storage: 'ssd', majorVersion: 16 }),
    ).toEqual({
      settings: {
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
      },
      warnings: [],
    });
  });

  it('dw, 64 GiB, 16 vCPU, HDD, PG 16, default connections', () => {
    // RAM = 67108864 kB; max_connections = dw default 40
    // shared_buffers = 16777216 = 16GB; effective_cache_size = 50331648 = 48GB
    // maintenance_work_mem = RAM/8 = 8388608 = 8GB (≥ the 8GB cap → 8GB)
    // work_mem = (67108864 − 16777216) / ((40 + 16) × 3) / 2 = 50331648 / 168 / 2 = 149796.57 → 149796kB
    //   (W = CPU = 16 since CPU ≥ 4; ÷2 for dw)
    // parallel: workers 16, per gather ceil(16/2) = 8 (dw: no cap of 4), maintenance min(8, 4) = 4
    // autovacuum_max_workers 4 (CPU ≥ 16); autovacuum_work_mem 2GB (maintenance 8GB ≥ 2GB)
    // dw: default_statistics_target 500, no jit line; HDD: random_page_cost 4, io concurrency 2
    expect(tunePostgres({ memoryGiB: 64, vcpu: 16, workload: 'dw', storage: 'hdd', majorVersion: 16 })).toEqual({
      settings: {
        max_connections: '40',
        shared_buffers: '16GB',
        effective_cache_size: '48GB',
        maintenance_work_mem: '8GB',
        checkpoint_completion_target: '0.9',
        wal_buffers: '16MB',
        default_statistics_target: '500',
        random_page_cost: '4',
        effective_io_concurrency: '2',
        work_mem: '149796kB',
        huge_pages: 'try',
        min_wal_size: '4GB',
        max_wal_size: '16GB',
        max_worker_processes: '16',
        max_parallel_workers_per_gather: '8',
        max_parallel_workers: '16',
        max_parallel_maintenance_workers: '4',
        wal_compression: 'lz4',
        autovacuum_max_workers: '4',
        autovacuum_work_mem: '2GB',
      },
      warnings: [],
    });
  });

  it('oltp, 32 GiB, 8 vCPU, NVMe, PG 17, 300 connections, data fits in RAM', () => {
    // RAM = 33554432 kB; shared_buffers 8388608 = 8GB; effective_cache_size 25165824 = 24GB
    // maintenance_work_mem = 33554432 / 16 = 2097152 = 2GB → autovacuum_work_mem 2GB (≥ 2GB)
    // work_mem = (33554432 − 8388608) / ((300 + 8) × 3) × 1.3 = 25165824 / 924 × 1.3
    //          = 27235.740 × 1.3 = 35406.46 → 35406kB
    // parallel: 8 workers, per gather min(ceil(8/2), 4) = 4, maintenance 4
    // NVMe: random_page_cost 1.1, effective_io_concurrency 1000
    expect(
      tunePostgres({
        memoryGiB: 32,
        vcpu: 8,
        workload: 'oltp',
        maxConnections: 300,
        storage: 'nvme',
        majorVersion: 17,
        dbSizeRelativeToRam: 'fits',
      }),
    ).toEqual({
      settings: {
        max_connections: '300',
        shared_buffers: '8GB',
        effective_cache_size: '24GB',
        maintenance_work_mem: '2GB',
        checkpoint_completion_target: '0.9',
        wal_buffers: '16MB',
        default_statistics_target: '100',
        random_page_cost: '1.1',
        effective_io_concurrency: '1000',
        work_mem: '35406kB',
        huge_pages: 'try',
        min_wal_size: '2GB',
        max_wal_size: '8GB',
        max_worker_processes: '8',
        max_parallel_workers_per_gather: '4',
        max_parallel_workers: '8',
        max_parallel_maintenance_workers: '4',
        jit: 'off',
        wal_compression: 'lz4',
        autovacuum_work_mem: '2GB',
      },
      warnings: [],
    });
  });

  it('mixed, 2 GiB, 1 vCPU, PG 14: wal_buffers snapped to 16MB, work_mem at the 4MB floor, wal_compression on', () => {
    // RAM = 2097152 kB; shared_buffers 524288 = 512MB; effective_cache_size 1572864 = 1536MB (not whole GB)
    // maintenance_work_mem = 131072 = 128MB
    // wal_buffers = floor(3 × 524288 / 100) = floor(15728.64) = 15728 kB: > 14336 (14MB) and < 16384 → 16MB
    // work_mem = (2097152 − 524288) / ((100 + 8) × 3) / 2 = 1572864 / 324 / 2 = 2427.26 → 2427 < 4096 → 4MB
    // huge_pages off (512MB < 2GB); PG 14 → wal_compression on
    expect(
      tunePostgres({ memoryGiB: 2, vcpu: 1, workload: 'mixed', maxConnections: 100, storage: 'ssd', majorVersion: 14 }),
    ).toEqual({
      settings: {
        max_connections: '100',
        shared_buffers: '512MB',
        effective_cache_size: '1536MB',
        maintenance_work_mem: '128MB',
        checkpoint_completion_target: '0.9',
        wal_buffers: '16MB',
        default_statistics_target: '100',
        random_page_cost: '1.1',
        effective_io_concurrency: '200',
        work_mem: '4MB',
        huge_pages: 'off',
        min_wal_size: '1GB',
        max_wal_size: '4GB',
        jit: 'off',
        wal_compression: 'on',
      },
      warnings: [],
    });
  });

  it('web, 1 GiB, 1 vCPU, default connections, PG 15: wal_buffers below 16MB, work_mem floor', () => {
    // RAM = 1048576 kB; max_connections = web default 200
    // shared_buffers 262144 = 256MB; effective_cache_size 786432 = 768MB; maintenance 65536 = 64MB
    // wal_buffers = floor(3 × 262144 / 100) = floor(7864.32) = 7864kB (< 14MB: no snap; 7864 % 1024 ≠ 0 → kB)
    // work_mem = (1048576 − 262144) / ((200 + 8) × 3) = 786432 / 624 = 1260.3 → 1260 < 4096 → 4MB
    const { settings } = tunePostgres({ memoryGiB: 1, vcpu: 1, workload: 'web', storage: 'ssd', majorVersion: 15 });
    expect(settings.max_connections).toBe('200');
    expect(settings.shared_buffers).toBe('256MB');
    expect(settings.effective_cache_size).toBe('768MB');
    expect(settings.maintenance_work_mem).toBe('64MB');
    expect(settings.wal_buffers).toBe('7864kB');
    expect(settings.work_mem).toBe('4MB');
    expect(settings.huge_pages).toBe('off');
    expect(settings.wal_compression).toBe('lz4');
  });

  it('web, 64 GiB, 32 vCPU, SAN, PG 18, data larger than RAM: caps, autovacuum 5, io_method', () => {
    // RAM = 67108864 kB; shared_buffers 16GB; effective_cache_size 48GB; maintenance 67108864/16 = 4194304 = 4GB
    // work_mem = (67108864 − 16777216) / ((200 + 32) × 3) × 0.9 = 50331648 / 696 × 0.9
    //          = 72315.586 × 0.9 = 65084.03 → 65084kB
    // per gather min(ceil(32/2), 4) = 4 (web caps at 4); maintenance min(16, 4) = 4
    // autovacuum_max_workers 5 (CPU ≥ 32); autovacuum_work_mem 2GB (4GB ≥ 2GB)
    // random_page_cost stays 1.1 (only dw larger than RAM gets 4); SAN → effective_io_concurrency 300
    // PG 18: io_method io_uring; io_workers = min(32, max(3, floor(32/4) = 8)) = 8 > 3 → 8
    expect(
      tunePostgres({
        memoryGiB: 64,
        vcpu: 32,
        workload: 'web',
        storage: 'san',
        majorVersion: 18,
        dbSizeRelativeToRam: 'larger',
      }),
    ).toEqual({
      settings: {
        max_connections: '200',
        shared_buffers: '16GB',
        effective_cache_size: '48GB',
        maintenance_work_mem: '4GB',
        checkpoint_completion_target: '0.9',
        wal_buffers: '16MB',
        default_statistics_target: '100',
        random_page_cost: '1.1',
        effective_io_concurrency: '300',
        work_mem: '65084kB',
        huge_pages: 'try',
        min_wal_size: '1GB',
        max_wal_size: '4GB',
        max_worker_processes: '32',
        max_parallel_workers_per_gather: '4',
        max_parallel_workers: '32',
        max_parallel_maintenance_workers: '4',
        jit: 'off',
        wal_compression: 'lz4',
        autovacuum_max_workers: '5',
        autovacuum_work_mem: '2GB',
        io_method: 'io_uring',
        io_workers: '8',
      },
      warnings: [],
    });
  });

  it('desktop, 512 MB, 1 vCPU, HDD, PG 13: desktop divisors, wal_level minimal', () => {
    // RAM = 524288 kB; max_connections = desktop default 20
    // shared_buffers = RAM/16 = 32768 = 32MB; effective_cache_size = RAM/4 = 131072 = 128MB
    // maintenance_work_mem = RAM/16 = 32768 = 32MB
    // wal_buffers = floor(3 × 32768 / 100) = floor(983.04) = 983kB
    // work_mem = (524288 − 32768) / ((20 + 8) × 3) / 6 = 491520 / 84 / 6 = 975.2 → 975 < 4096 → 4MB
    // min/max_wal_size 100MB/2GB; no jit line for desktop; PG 13 → wal_compression on
    expect(tunePostgres({ memoryKb: 524288, vcpu: 1, workload: 'desktop', storage: 'hdd', majorVersion: 13 })).toEqual({
      settings: {
        max_connections: '20',
        shared_buffers: '32MB',
        effective_cache_size: '128MB',
        maintenance_work_mem: '32MB',
        checkpoint_completion_target: '0.9',
        wal_buffers: '983kB',
        default_statistics_target: '100',
        random_page_cost: '4',
        effective_io_concurrency: '2',
        work_mem: '4MB',
        huge_pages: 'off',
        min_wal_size: '100MB',
        max_wal_size: '2GB',
        wal_compression: 'on',
        wal_level: 'minimal',
        max_wal_senders: '0',
      },
      warnings: [],
    });
  });

  it('wal_buffers never below 32kB; warns below 256 MB', () => {
    // RAM = 4096 kB; shared_buffers = 1024 kB = 1MB; wal_buffers = floor(30.72) = 30 → 32kB
    const r = tunePostgres({ memoryKb: 4096, vcpu: 1, workload: 'web', storage: 'ssd', majorVersion: 16 });
    expect(r.settings.shared_buffers).toBe('1MB');
    expect(r.settings.wal_buffers).toBe('32kB');
    expect(r.warnings).toEqual(['pgtune is not optimal for low memory systems (below 256 MB)']);
  });

  it('dw with data larger than RAM on SSD gets random_page_cost 4; work_mem ×0.9', () => {
    // RAM = 16777216 kB; shared_buffers 4194304; W = 4 (CPU = 4)
    // work_mem = (16777216 − 4194304) / ((40 + 4) × 3) / 2 × 0.9 = 12582912 / 132 / 2 × 0.9
    //          = 47662.545 × 0.9 = 42896.29 → 42896kB
    // maintenance = RAM/8 = 2097152 = 2GB → autovacuum_work_mem 2GB
    // parallel: per gather ceil(4/2) = 2, maintenance 2
    const { settings } = tunePostgres({
      memoryGiB: 16,
      vcpu: 4,
      workload: 'dw',
      storage: 'ssd',
      majorVersion: 17,
      dbSizeRelativeToRam: 'larger',
    });
    expect(settings.random_page_cost).toBe('4');
    expect(settings.work_mem).toBe('42896kB');
    expect(settings.maintenance_work_mem).toBe('2GB');
    expect(settings.autovacuum_work_mem).toBe('2GB');
    expect(settings.max_parallel_workers_per_gather).toBe('2');
    expect(settings.max_parallel_maintenance_workers).toBe('2');
    expect(settings.jit).toBeUndefined();
  });

  it('warns above 100 GB and caps maintenance_work_mem at 8GB', () => {
    // 256 GiB / 16 = 16GB → capped at 8GB
    const r = tunePostgres({ memoryGiB: 256, vcpu: 64, workload: 'oltp', storage: 'nvme', majorVersion: 17 });
    expect(r.settings.maintenance_work_mem).toBe('8GB');
    expect(r.warnings).toEqual(['pgtune is not optimal for very high memory systems (above 100 GB)']);
  });
});

describe('formatKb / parseKb', () => {
  it('formats like pgtune', () => {
    expect(formatKb(2097152)).toBe('2GB');
    expect(formatKb(1572864)).toBe('1536MB');
    expect(formatKb(19418)).toBe('19418kB');
    expect(formatKb(32)).toBe('32kB');
  });
  it('parses PostgreSQL memory units', () => {
    expect(parseKb('2GB')).toBe(2097152);
    expect(parseKb('512MB')).toBe(524288);
    expect(parseKb('64kB')).toBe(64);
    expect(parseKb('1TB')).toBe(1073741824);
    expect(parseKb('100')).toBe(100);
    expect(parseKb('lots')).toBeNull();
  });
});

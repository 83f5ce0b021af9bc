/*
 * PostgreSQL tuning with pgtune's formulas (le0pard/pgtune, configurationSlice.js), Linux only.
 * See /docs/cs-json.md and the reference table; every number below is in kB unless said otherwise.
 */

export const PGTUNE_WORKLOADS = ['web', 'oltp', 'dw', 'mixed', 'desktop'] as const;
export type TPgtuneWorkload = (typeof PGTUNE_WORKLOADS)[number];
export const PGTUNE_STORAGE = ['ssd', 'hdd', 'nvme', 'san'] as const;
export type TPgtuneStorage = (typeof PGTUNE_STORAGE)[number];
export type TDbSizeRelativeToRam = 'fits' | 'larger' | 'unknown';

interface TTuneInputBase {
  vcpu: number;
  /** Defaults per workload when omitted: web 200, oltp 300, dw 40, desktop 20, mixed 100. */
  maxConnections?: number;
  workload: TPgtuneWorkload;
  storage: TPgtuneStorage;
  majorVersion: number;
  /** work_mem ×1.3 when the data fits in RAM, ×0.9 when larger; dw larger than RAM → random_page_cost 4. */
  dbSizeRelativeToRam?: TDbSizeRelativeToRam;
}
export type TTuneInput =
  | (TTuneInputBase & { memoryGiB: number; memoryKb?: never })
  | (TTuneInputBase & { memoryKb: number; memoryGiB?: never });

export interface TTuneResult {
  /** postgresql.conf name → value as pgtune prints it (`2GB`, `512MB`, `19418kB`, `0.9`, `try`). */
  settings: Record<string, string>;
  warnings: string[];
}

const KB_PER_MB = 1024;
const KB_PER_GB = 1024 * 1024;

export const DEFAULT_MAX_CONNECTIONS: Readonly<Record<TPgtuneWorkload, number>> = {
  web: 200,
  oltp: 300,
  dw: 40,
  desktop: 20,
  mixed: 100,
};

/** min_wal_size / max_wal_size per workload, in kB. */
export const WAL_SIZES_KB: Readonly<Record<TPgtuneWorkload, { min: number; max: number }>> = {
  web: { min: 1024 * KB_PER_MB, max: 4096 * KB_PER_MB },
  oltp: { min: 2048 * KB_PER_MB, max: 8192 * KB_PER_MB },
  dw: { min: 4096 * KB_PER_MB, max: 16384 * KB_PER_MB },
  desktop: { min: 100 * KB_PER_MB, max: 2048 * KB_PER_MB },
  mixed: { min: 1024 * KB_PER_MB, max: 4096 * KB_PER_MB },
};

const EFFECTIVE_IO_CONCURRENCY: Readonly<Record<TPgtuneStorage, number>> = { hdd: 2, ssd: 200, san: 300, nvme: 1000 };

/** pgtune's formatting: GB or MB only when the kB value divides exactly, otherwise kB. */
export function formatKb(kb: number): string {
  if (kb % KB_PER_GB === 0) return `${kb / KB_PER_GB}GB`;
  if (kb % KB_PER_MB === 0) return `${kb / KB_PER_MB}MB`;
  return `${kb}kB`;
}

/** Parses a PostgreSQL memory value (`2GB`, `512MB`, `64kB`, `1TB`, bare number = kB) into kB. */
export function parseKb(value: string): number | null {
  const m = /^\s*(\d+)\s*(kB|MB|GB|TB)?\s*$/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 'kB';
  return n * { kB: 1, MB: KB_PER_MB, GB: KB_PER_GB, TB: KB_PER_GB * 1024 }[unit as 'kB' | 'MB' | 'GB' | 'TB'];
}

export function tunePostgres(input: TTuneInput): TTuneResult {
  const ramKb = input.memoryKb !== undefined ? Math.floor(input.memoryKb) : Math.floor(input.memoryGiB * KB_PER_GB);
  const cpu = Math.floor(input.vcpu);
  const { workload, storage, majorVersion } = input;
  const dbSize = input.dbSizeRelativeToRam ?? 'unknown';
  const maxConnections = input.maxConnections ?? DEFAULT_MAX_CONNECTIONS[workload];
  const warnings: string[] = [];
  const s: Record<string, string> = {};

  if (ramKb < 256 * KB_PER_MB) warnings.push('pgtune is not optimal for low memory systems (below 256 MB)');
  if (ramKb > 100 * KB_PER_GB) warnings.push('pgtune is not optimal for very high memory systems (above 100 GB)');

  s.max_connections = String(maxConnections);

  const sharedBuffers = Math.floor(workload === 'desktop' ? ramKb / 16 : ramKb / 4);
  s.shared_buffers = formatKb(sharedBuffers);

  s.effective_cache_size = formatKb(Math.floor(workload === 'desktop' ? ramKb / 4 : (ramKb * 3) / 4));

  const maintenanceCap = 8 * KB_PER_GB;
  let maintenanceWorkMem = Math.floor(workload === 'dw' ? ramKb / 8 : ramKb / 16);
  if (maintenanceWorkMem >= maintenanceCap) maintenanceWorkMem = maintenanceCap;
  s.maintenance_work_mem = formatKb(maintenanceWorkMem);

  s.checkpoint_completion_target = '0.9';

  // 3% of shared_buffers, at most 16MB, snapped up to 16MB above 14MB, at least 32kB.
  let walBuffers = Math.floor((3 * sharedBuffers) / 100);
  const maxWalBuffers = 16 * KB_PER_MB;
  if (walBuffers > maxWalBuffers) walBuffers = maxWalBuffers;
  if (walBuffers > 14 * KB_PER_MB && walBuffers < maxWalBuffers) walBuffers = maxWalBuffers;
  if (walBuffers < 32) walBuffers = 32;
  s.wal_buffers = formatKb(walBuffers);

  s.default_statistics_target = workload === 'dw' ? '500' : '100';

  s.random_page_cost = storage === 'hdd' || (workload === 'dw' && dbSize === 'larger') ? '4' : '1.1';

  s.effective_io_concurrency = String(EFFECTIVE_IO_CONCURRENCY[storage]);

  // Parallel settings only from 4 CPUs; W in the work_mem formula is max_worker_processes (CPU),
  // else PostgreSQL's default of 8.
  const parallel = cpu >= 4;
  const workerTerm = parallel ? cpu : 8;
  const perConnection = (ramKb - sharedBuffers) / ((maxConnections + workerTerm) * 3);
  const divisor = workload === 'dw' || workload === 'mixed' ? 2 : workload === 'desktop' ? 6 : 1;
  const sizeFactor = dbSize === 'fits' ? 1.3 : dbSize === 'larger' ? 0.9 : 1;
  // One floor to whole kB at the end (pgtune: Math.floor(value / divisor)).
  let workMem = Math.floor((perConnection / divisor) * sizeFactor);
  const workMemFloor = 4 * KB_PER_MB;
  if (workMem < workMemFloor) workMem = workMemFloor;
  s.work_mem = formatKb(workMem);

  s.huge_pages = sharedBuffers >= 2 * KB_PER_GB ? 'try' : 'off';

  const wal = WAL_SIZES_KB[workload];
  s.min_wal_size = formatKb(wal.min);
  s.max_wal_size = formatKb(wal.max);

  if (parallel) {
    const half = Math.ceil(cpu / 2);
    s.max_worker_processes = String(cpu);
    s.max_parallel_workers_per_gather = String(workload === 'dw' ? half : Math.min(half, 4));
    if (majorVersion >= 10) s.max_parallel_workers = String(cpu);
    if (majorVersion >= 11) s.max_parallel_maintenance_workers = String(Math.min(half, 4));
  }

  if (majorVersion >= 12 && (workload === 'web' || workload === 'oltp' || workload === 'mixed')) s.jit = 'off';

  if (majorVersion >= 15) s.wal_compression = 'lz4';
  else if (majorVersion >= 10) s.wal_compression = 'on';

  if (cpu >= 32) s.autovacuum_max_workers = '5';
  else if (cpu >= 16) s.autovacuum_max_workers = '4';

  if (maintenanceWorkMem >= 2 * KB_PER_GB) s.autovacuum_work_mem = formatKb(2 * KB_PER_GB);

  if (majorVersion >= 18) {
    s.io_method = 'io_uring';
    const ioWorkers = Math.min(32, Math.max(3, Math.floor(cpu / 4)));
    if (ioWorkers > 3) s.io_workers = String(ioWorkers);
  }

  if (workload === 'desktop') {
    s.wal_level = 'minimal';
    s.max_wal_senders = '0';
  }

  return { settings: s, warnings };
}

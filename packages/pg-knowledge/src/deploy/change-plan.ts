import type { TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { describeInstanceType, instanceTypeFor } from '../instances.js';
import { tuningFor } from '../tuning-preview.js';
import type { TDesiredConfig } from './desired-config.js';

/*
 * What a re-deploy of a component will do, before doing it. Pure: compares two cs-json components
 * (the deployed one and the new one) or two desired configs.
 *
 * Change kinds, from least to most disruptive:
 *  - agent:            desired config only, no PostgreSQL reload (backup schedule, retention, target)
 *  - reload:           a setting or pg_hba change PostgreSQL applies on reload
 *  - restart:          a setting PostgreSQL applies only on restart
 *  - security-group:   ingress rules change (no downtime)
 *  - volume-modify:    ModifyVolume without resizing the filesystem (IOPS)
 *  - volume-grow:      ModifyVolume to a larger size, then resize2fs online
 *  - resize:           stop → ModifyInstanceAttribute(instanceType) → start; same volumes
 *  - destructive:      needs a new instance or data migration (OS, architecture, major version,
 *                      shrinking the disk, public address); refused unless confirmDestructive.
 *
 * reload vs restart here is a PREDICTION for display (a short list of well-known postmaster
 * settings); on the server the agent decides from pg_settings.context, never from this list.
 */

export type TChangeKind =
  'agent' | 'reload' | 'restart' | 'security-group' | 'volume-modify' | 'volume-grow' | 'resize' | 'destructive';

export interface TChange {
  kind: TChangeKind;
  /** cs-json path under the component (`storage.sizeGiB`) or desired-config path (`parameters.work_mem`). */
  path: string;
  from: unknown;
  to: unknown;
  reason: string;
}

export interface TChangePlan {
  changes: TChange[];
  /** Nothing to do. */
  noop: boolean;
  requiresRestart: boolean;
  /** Stop/start of the instance (resize). */
  requiresStop: boolean;
  destructive: TChange[];
  /** True when destructive changes exist and were not confirmed: the deployer must not proceed. */
  refused: boolean;
  /** One sentence per change, for the deploy timeline. */
  reasons: string[];
}

/** Well-known postmaster-context settings, used only to PREDICT restarts (the agent asks pg_settings). */
export const LIKELY_RESTART_SETTINGS: ReadonlySet<string> = new Set([
  'port',
  'listen_addresses',
  'max_connections',
  'shared_buffers',
  'huge_pages',
  'max_worker_processes',
  'max_wal_senders',
  'max_replication_slots',
  'wal_buffers',
  'wal_level',
  'max_prepared_transactions',
  'max_locks_per_transaction',
  'shared_preload_libraries',
  'autovacuum_max_workers',
  'io_method',
  'io_workers',
]);

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

function settingChange(path: string, name: string, from: string | undefined, to: string | undefined): TChange {
  const restart = LIKELY_RESTART_SETTINGS.has(name);
  return {
    kind: restart ? 'restart' : 'reload',
    path,
    from,
    to,
    reason: `${path}: ${show(from)} → ${show(to)} (${restart ? 'needs a PostgreSQL restart' : 'applied by a reload'})`,
  };
}

function finish(changes: TChange[], confirmDestructive: boolean): TChangePlan {
  const destructive = changes.filter((c) => c.kind === 'destructive');
  return {
    changes,
    noop: changes.length === 0,
    requiresRestart: changes.some((c) => c.kind === 'restart'),
    requiresStop: changes.some((c) => c.kind === 'resize'),
    destructive,
    refused: destructive.length > 0 && !confirmDestructive,
    reasons: changes.map((c) => c.reason),
  };
}

/** Differences between two desired configs (what the agent will do). */
export function diffDesiredConfigs(before: TDesiredConfig, after: TDesiredConfig): TChange[] {
  const changes: TChange[] = [];
  if (before.postgres.majorVersion !== after.postgres.majorVersion) {
    changes.push({
      kind: 'destructive',
      path: 'postgres.majorVersion',
      from: before.postgres.majorVersion,
      to: after.postgres.majorVersion,
      reason: `postgres.majorVersion: ${before.postgres.majorVersion} → ${after.postgres.majorVersion} needs a major upgrade (pg_upgrade or dump/restore), not an in-place change`,
    });
  }
  if (before.postgres.port !== after.postgres.port) {
    changes.push(settingChange('postgres.port', 'port', String(before.postgres.port), String(after.postgres.port)));
  }
  const la = (c: TDesiredConfig) => c.postgres.listenAddresses.join(',');
  if (la(before) !== la(after)) {
    changes.push(settingChange('postgres.listenAddresses', 'listen_addresses', la(before), la(after)));
  }
  const names = [...new Set([...Object.keys(before.parameters), ...Object.keys(after.parameters)])].sort();
  for (const name of names) {
    const from = before.parameters[name];
    const to = after.parameters[name];
    if (from !== to) changes.push(settingChange(`parameters.${name}`, name, from, to));
  }
  const cidrs = (c: TDesiredConfig) => c.hba.map((r) => r.cidr).join(',');
  if (cidrs(before) !== cidrs(after)) {
    changes.push({
      kind: 'reload',
      path: 'hba',
      from: cidrs(before),
      to: cidrs(after),
      reason: `hba: allowed networks ${show(cidrs(before))} → ${show(cidrs(after))} (pg_hba.conf rewritten, reload)`,
    });
  }
  for (const key of ['role', 'database'] as const) {
    if (before.admin[key] !== after.admin[key]) {
      changes.push({
        kind: 'agent',
        path: `admin.${key}`,
        from: before.admin[key],
        to: after.admin[key],
        reason: `admin.${key}: ${before.admin[key]} → ${after.admin[key]} (created by the agent; the old one is kept)`,
      });
    }
  }
  if (JSON.stringify(before.backups) !== JSON.stringify(after.backups)) {
    changes.push({
      kind: 'agent',
      path: 'backups',
      from: before.backups,
      to: after.backups,
      reason: 'backups: schedule/retention/target updated by the agent (no PostgreSQL reload)',
    });
  }
  return changes;
}

export interface TChangePlanOptions {
  confirmDestructive?: boolean;
}

function instanceTypeName(c: TPostgresComponent): string | null {
  const hint = c.compute.providerHint?.aws?.instanceType;
  if (hint) return describeInstanceType(hint)?.name ?? hint;
  return instanceTypeFor(c.compute).instanceType?.name ?? null;
}

/** Change plan between the deployed component and the new one. */
export function planComponentChange(
  before: TPostgresComponent,
  after: TPostgresComponent,
  opts: TChangePlanOptions = {},
): TChangePlan {
  const changes: TChange[] = [];
  const destructive = (path: string, from: unknown, to: unknown, why: string) =>
    changes.push({ kind: 'destructive', path, from, to, reason: `${path}: ${show(from)} → ${show(to)}: ${why}` });

  if (before.os.family !== after.os.family || before.os.version !== after.os.version) {
    const path = before.os.family !== after.os.family ? 'os.family' : 'os.version';
    destructive(path, before.os, after.os, 'a different OS needs a new instance (data migrated by backup/restore)');
  }
  if (before.compute.architecture !== after.compute.architecture) {
    destructive(
      'compute.architecture',
      before.compute.architecture,
      after.compute.architecture,
      'another architecture needs another image, so a new instance',
    );
  }
  if (before.database.majorVersion !== after.database.majorVersion) {
    destructive(
      'database.majorVersion',
      before.database.majorVersion,
      after.database.majorVersion,
      'a major version change needs pg_upgrade or dump/restore',
    );
  }
  if (after.storage.sizeGiB < before.storage.sizeGiB) {
    destructive(
      'storage.sizeGiB',
      before.storage.sizeGiB,
      after.storage.sizeGiB,
      'EBS volumes cannot shrink; a smaller disk means a new volume and a copy of the data',
    );
  } else if (after.storage.sizeGiB > before.storage.sizeGiB) {
    changes.push({
      kind: 'volume-grow',
      path: 'storage.sizeGiB',
      from: before.storage.sizeGiB,
      to: after.storage.sizeGiB,
      reason: `storage.sizeGiB: ${before.storage.sizeGiB} → ${after.storage.sizeGiB} (ModifyVolume, then grow the filesystem online)`,
    });
  }
  if (before.storage.iops !== after.storage.iops || before.storage.type !== after.storage.type) {
    const path = before.storage.iops !== after.storage.iops ? 'storage.iops' : 'storage.type';
    const key = path === 'storage.iops' ? 'iops' : 'type';
    changes.push({
      kind: 'volume-modify',
      path,
      from: before.storage[key],
      to: after.storage[key],
      reason: `${path}: ${show(before.storage[key])} → ${show(after.storage[key])} (ModifyVolume, no downtime)`,
    });
  }
  if (before.network.public !== after.network.public) {
    destructive(
      'network.public',
      before.network.public,
      after.network.public,
      'the public address is chosen at launch; changing it replaces the instance',
    );
  }
  const typeBefore = instanceTypeName(before);
  const typeAfter = instanceTypeName(after);
  if (typeBefore !== typeAfter) {
    changes.push({
      kind: 'resize',
      path: 'compute',
      from: typeBefore,
      to: typeAfter,
      reason: `compute: instance type ${typeBefore} → ${typeAfter} (stop, change the type, start; same volumes)`,
    });
  }
  const cidrsBefore = [...before.network.allowedCidrs].sort().join(',');
  const cidrsAfter = [...after.network.allowedCidrs].sort().join(',');
  if (cidrsBefore !== cidrsAfter || before.network.port !== after.network.port) {
    const path = before.network.port !== after.network.port ? 'network.port' : 'network.allowedCidrs';
    changes.push({
      kind: 'security-group',
      path,
      from: path === 'network.port' ? before.network.port : before.network.allowedCidrs,
      to: path === 'network.port' ? after.network.port : after.network.allowedCidrs,
      reason: `${path}: security group ingress updated (no downtime)`,
    });
  }
  if (before.network.port !== after.network.port) {
    changes.push(settingChange('network.port', 'port', String(before.network.port), String(after.network.port)));
  }
  if (cidrsBefore !== cidrsAfter) {
    changes.push({
      kind: 'reload',
      path: 'network.allowedCidrs',
      from: before.network.allowedCidrs,
      to: after.network.allowedCidrs,
      reason: 'network.allowedCidrs: pg_hba.conf rewritten (reload)',
    });
  }

  // Settings: the tuned result (memory, vCPU, workload, storage, connections) plus overrides.
  if (before.database.majorVersion === after.database.majorVersion) {
    const { port: _a, ...s1 } = tuningFor(before).settings;
    const { port: _b, ...s2 } = tuningFor(after).settings;
    for (const name of [...new Set([...Object.keys(s1), ...Object.keys(s2)])].sort()) {
      if (s1[name] !== s2[name]) {
        const path = name === 'max_connections' ? 'database.maxConnections' : `database.parameters.${name}`;
        changes.push(settingChange(path, name, s1[name], s2[name]));
      }
    }
  }
  for (const key of ['adminUser', 'initialDatabase'] as const) {
    if (before.database[key] !== after.database[key]) {
      changes.push({
        kind: 'agent',
        path: `database.${key}`,
        from: before.database[key],
        to: after.database[key],
        reason: `database.${key}: ${before.database[key]} → ${after.database[key]} (created by the agent; the old one is kept)`,
      });
    }
  }
  if (JSON.stringify(before.backups) !== JSON.stringify(after.backups)) {
    changes.push({
      kind: 'agent',
      path: 'backups',
      from: before.backups,
      to: after.backups,
      reason: 'backups: schedule/retention/target updated by the agent (no PostgreSQL reload)',
    });
  }
  return finish(changes, opts.confirmDestructive === true);
}

/** Change plan between two desired configs. */
export function planDesiredConfigChange(
  before: TDesiredConfig,
  after: TDesiredConfig,
  opts: TChangePlanOptions = {},
): TChangePlan {
  return finish(diffDesiredConfigs(before, after), opts.confirmDestructive === true);
}

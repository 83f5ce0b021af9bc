import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import {
  cronScheduleProblem,
  parseCidr,
  type TCsJsonDocument,
  type TPostgresComponent,
} from '@elasticdash/contracts/plans/cs-json';
import { tuningFor } from '../tuning-preview.js';

/*
 * The desired configuration of one deployed PostgreSQL server: what the on-instance agent
 * (`agent.ts`) reads and applies on every run. On AWS the deployer uploads it to S3 and the agent
 * fetches it; on the local target it is a file. Re-deploying = writing a new version.
 *
 * Schema note: pg-knowledge has no zod dependency (only contracts has), and this task may not
 * add one, so `ZDesiredConfig` is a small hand-written validator with zod's `parse`/`safeParse`
 * surface. It checks exactly what the agent re-checks before writing files (names, CIDRs,
 * identifiers), so a bad document is refused on both sides.
 */

export const DESIRED_CONFIG_FORMAT = 1 as const;

export interface THbaRule {
  type: 'host';
  database: 'all';
  user: 'all';
  /** IPv4 or IPv6 network CIDR. */
  cidr: string;
  method: 'scram-sha-256';
}

export interface TDesiredBackups {
  enabled: boolean;
  /** 5-field cron, UTC. */
  schedule: string;
  retentionDays: number;
  /** Null when backups are disabled or have no target. */
  s3: { bucket: string; prefix: string; region: string } | null;
}

export interface TDesiredConfig {
  format: typeof DESIRED_CONFIG_FORMAT;
  /** Monotonic version of this deployment's desired config; the agent reports which one it applied. */
  version: number;
  postgres: { majorVersion: number; port: number; listenAddresses: string[] };
  /** postgresql.conf settings (pgtune + max_connections + plan overrides); never `port`/`listen_addresses`. */
  parameters: Record<string, string>;
  hba: THbaRule[];
  admin: { role: string; database: string };
  backups: TDesiredBackups;
}

export type TSafeParse<T> = { success: true; data: T } | { success: false; issues: TFieldIssue[] };

export const PARAMETER_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** Set by dedicated fields (postgres.port / listenAddresses), never through `parameters`. */
export const MANAGED_BY_AGENT = ['port', 'listen_addresses'] as const;
const LISTEN_ADDRESS = /^(\*|localhost|[0-9A-Fa-f:.]{2,45})$/;
const S3_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function check(input: unknown): TFieldIssue[] {
  const issues: TFieldIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  if (!isRecord(input)) return [{ path: '(root)', message: 'the desired config must be a JSON object' }];
  if (input.format !== DESIRED_CONFIG_FORMAT) bad('format', `format must be ${DESIRED_CONFIG_FORMAT}`);
  if (!intIn(input.version, 1, Number.MAX_SAFE_INTEGER)) bad('version', 'version must be a positive integer');

  const pg = input.postgres;
  if (!isRecord(pg)) bad('postgres', 'postgres is required');
  else {
    if (!intIn(pg.majorVersion, 10, 99)) bad('postgres.majorVersion', 'majorVersion must be a PostgreSQL major');
    if (!intIn(pg.port, 1024, 65535)) bad('postgres.port', 'port must be between 1024 and 65535');
    if (!Array.isArray(pg.listenAddresses) || pg.listenAddresses.length === 0) {
      bad('postgres.listenAddresses', 'listenAddresses must be a non-empty list');
    } else {
      pg.listenAddresses.forEach((a: unknown, i) => {
        if (typeof a !== 'string' || !LISTEN_ADDRESS.test(a)) {
          bad(`postgres.listenAddresses.${i}`, 'must be *, localhost or an IP address');
        }
      });
    }
  }

  const params = input.parameters;
  if (!isRecord(params)) bad('parameters', 'parameters must be an object of name → string value');
  else {
    for (const [name, value] of Object.entries(params)) {
      if (!PARAMETER_NAME.test(name)) bad(`parameters.${name}`, `"${name}" is not a valid setting name`);
      else if ((MANAGED_BY_AGENT as readonly string[]).includes(name)) {
        bad(`parameters.${name}`, `${name} is set by the postgres section, not by parameters`);
      }
      if (typeof value !== 'string' || value.length > 1024 || /[\n\r\0]/.test(value)) {
        bad(`parameters.${name}`, 'the value must be a single-line string of at most 1024 characters');
      }
    }
  }

  if (!Array.isArray(input.hba)) bad('hba', 'hba must be a list');
  else {
    input.hba.forEach((r: unknown, i) => {
      const at = `hba.${i}`;
      if (!isRecord(r)) return bad(at, 'an hba rule must be an object');
      if (r.type !== 'host' || r.database !== 'all' || r.user !== 'all' || r.method !== 'scram-sha-256') {
        bad(at, 'hba rules are {type: "host", database: "all", user: "all", cidr, method: "scram-sha-256"}');
      }
      const parsed = typeof r.cidr === 'string' ? parseCidr(r.cidr) : { reason: 'cidr is required' };
      if ('reason' in parsed) bad(`${at}.cidr`, parsed.reason);
    });
  }

  const admin = input.admin;
  if (!isRecord(admin)) bad('admin', 'admin is required');
  else {
    for (const key of ['role', 'database'] as const) {
      const v = admin[key];
      if (typeof v !== 'string' || !IDENTIFIER.test(v) || v === 'postgres' || v.startsWith('pg_')) {
        bad(`admin.${key}`, `admin.${key} must be a lower-case identifier other than postgres / pg_…`);
      }
    }
  }

  const b = input.backups;
  if (!isRecord(b)) bad('backups', 'backups is required');
  else {
    if (typeof b.enabled !== 'boolean') bad('backups.enabled', 'enabled must be true or false');
    const cron = typeof b.schedule === 'string' ? cronScheduleProblem(b.schedule) : 'schedule is required';
    if (cron) bad('backups.schedule', cron);
    if (!intIn(b.retentionDays, 1, 3650)) bad('backups.retentionDays', 'retentionDays must be 1-3650');
    if (b.s3 !== null) {
      if (!isRecord(b.s3)) bad('backups.s3', 's3 must be an object or null');
      else {
        if (typeof b.s3.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b.s3.bucket)) {
          bad('backups.s3.bucket', 'not an S3 bucket name');
        }
        if (typeof b.s3.prefix !== 'string' || b.s3.prefix.startsWith('/') || /[\n\r\0]/.test(b.s3.prefix)) {
          bad('backups.s3.prefix', 'the prefix must be a single-line string not starting with /');
        }
        if (typeof b.s3.region !== 'string' || !S3_REGION.test(b.s3.region)) {
          bad('backups.s3.region', 'not an AWS region');
        }
      }
    }
    if (b.enabled === true && b.s3 === null) bad('backups.s3', 'backups are enabled but have no S3 target');
  }
  return issues;
}

/** zod-like schema object (see the note at the top of the file). */
export const ZDesiredConfig = {
  safeParse(input: unknown): TSafeParse<TDesiredConfig> {
    const issues = check(input);
    return issues.length === 0 ? { success: true, data: input as TDesiredConfig } : { success: false, issues };
  },
  parse(input: unknown): TDesiredConfig {
    const r = ZDesiredConfig.safeParse(input);
    if (!r.success) {
      throw new Error(`invalid desired config: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    }
    return r.data;
  },
};

export interface TDesiredConfigOptions {
  /** Version of this desired config (increment on every re-deploy). */
  version: number;
  /** Region of the backup bucket (the plan's target has bucket + prefix only). */
  backupRegion: string;
  /** Default `['*']`: the security group and pg_hba restrict who connects. */
  listenAddresses?: string[];
}

export type TDesiredConfigResult = { ok: true; config: TDesiredConfig } | { ok: false; errors: TFieldIssue[] };

/** Finds a PostgreSQL component by id. */
export function findPostgresComponent(doc: TCsJsonDocument, componentId: string): TPostgresComponent | null {
  return doc.components.find((c) => c.type === 'postgresql' && c.id === componentId) ?? null;
}

/**
 * The desired config of one component of a plan: `tuningFor` (pgtune + max_connections + the
 * plan's parameter overrides; `port` moves to `postgres.port`), one scram-sha-256 hba rule per
 * allowed CIDR, the admin role and initial database, and the backup schedule.
 */
export function desiredConfigFromPlan(
  doc: TCsJsonDocument,
  componentId: string,
  opts: TDesiredConfigOptions,
): TDesiredConfigResult {
  const c = findPostgresComponent(doc, componentId);
  if (!c) return { ok: false, errors: [{ path: 'components', message: `no postgresql component "${componentId}"` }] };
  const { port: _port, ...parameters } = tuningFor(c).settings;
  const target = c.backups.target;
  const config: TDesiredConfig = {
    format: DESIRED_CONFIG_FORMAT,
    version: opts.version,
    postgres: {
      majorVersion: c.database.majorVersion,
      port: c.network.port,
      listenAddresses: opts.listenAddresses ?? ['*'],
    },
    parameters,
    hba: [...new Set(c.network.allowedCidrs)].map((cidr) => ({
      type: 'host',
      database: 'all',
      user: 'all',
      cidr,
      method: 'scram-sha-256',
    })),
    admin: { role: c.database.adminUser, database: c.database.initialDatabase },
    backups: {
      enabled: c.backups.enabled && target !== null,
      schedule: c.backups.schedule,
      retentionDays: Math.max(1, c.backups.retentionDays),
      s3: target ? { bucket: target.bucket, prefix: target.prefix, region: opts.backupRegion } : null,
    },
  };
  const index = doc.components.indexOf(c);
  const parsed = ZDesiredConfig.safeParse(config);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.issues.map((i) => ({ path: `components.${index}.(desired).${i.path}`, message: i.message })),
    };
  }
  return { ok: true, config };
}

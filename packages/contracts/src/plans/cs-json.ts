import { z } from 'zod';
import { toFieldIssues, type TFieldIssue } from '../platform/errors.js';

/*
 * cs-json v1: the cloud-agnostic plan document (documented in docs/cs-json.md).
 *
 * Two layers:
 * - the structural schema (`ZCsJsonDocument`): what must hold for a document to be SAVED: types,
 *   enums and ranges that are never acceptable. An import that fails it is rejected.
 * - the semantic checks (`checkCsJson`): errors (deploy refused, but the plan can be saved while
 *   being edited) and warnings (never block). Format checks of free-text values typed in the
 *   editor (CIDRs, cron, bucket names, identifiers, GUC names) are semantic errors so that a
 *   half-edited plan can still be saved and show the problem next to the field.
 *
 * This file must stay dependency-free (zod only). Checks that need the instance-type catalog live
 * in `@elasticdash/pg-knowledge/validate` (`validatePlanWithCatalog`).
 */

// ---------------------------------------------------------------------------------------------
// Constants shared with the editor, svc-plans and pg-knowledge
// ---------------------------------------------------------------------------------------------

export const CS_JSON_VERSION = 1 as const;
export const MAX_COMPONENTS = 50;

export const COMPONENT_TYPES = ['postgresql'] as const;
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type TArchitecture = (typeof ARCHITECTURES)[number];
export const STORAGE_TYPES = ['ssd', 'hdd', 'nvme'] as const;
export type TStorageType = (typeof STORAGE_TYPES)[number];
export const OS_FAMILIES = ['amazon-linux', 'ubuntu', 'debian'] as const;
export type TOsFamily = (typeof OS_FAMILIES)[number];
export const PG_MAJOR_VERSIONS = [14, 15, 16, 17] as const;
export type TPgMajorVersion = (typeof PG_MAJOR_VERSIONS)[number];
export const WORKLOADS = ['web', 'oltp', 'dw', 'mixed'] as const;
export type TWorkload = (typeof WORKLOADS)[number];

/** OS versions the deployer supports, per family. Any PostgreSQL 14-17 is accepted on each. */
export const SUPPORTED_OS_VERSIONS: Readonly<Record<TOsFamily, readonly string[]>> = {
  'amazon-linux': ['2023'],
  ubuntu: ['22.04', '24.04'],
  debian: ['12'],
};

export const MIN_DISK_GIB = 10;
export const BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;
/** PostgreSQL runs as an unprivileged user: no ports below 1024. */
export const MIN_PORT = 1024;
/** The RDS rule: max_connections ≤ LEAST(memory_bytes / 9531392, 5000). */
export const BYTES_PER_CONNECTION = 9_531_392;
export const MAX_CONNECTIONS_CAP = 5000;
/** pgtune's max_wal_size per workload (GiB); the disk should hold at least twice that. */
export const WORKLOAD_MAX_WAL_SIZE_GIB: Readonly<Record<TWorkload, number>> = { web: 4, oltp: 8, dw: 16, mixed: 4 };
/** Settings the document controls elsewhere; overriding them in `parameters` is an error. */
export const MANAGED_PARAMETERS: Readonly<Record<string, string>> = {
  port: 'network.port',
  max_connections: 'database.maxConnections',
};

/** Highest max_connections the memory allows: LEAST(floor(memory_bytes / 9531392), 5000). */
export function maxConnectionsLimit(memoryGiB: number): number {
  return Math.min(Math.floor((memoryGiB * 1024 ** 3) / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}

// ---------------------------------------------------------------------------------------------
// Structural schema
// ---------------------------------------------------------------------------------------------

/** Error option: "<what> is required" when the field is missing, else `message`. */
function says(what: string, message: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? `${what} is required` : message) };
}

function intIn(what: string, min: number, max: number) {
  const message = `${what} must be a whole number between ${min} and ${max}`;
  return z.int(says(what, message)).min(min, message).max(max, message);
}

function text(what: string, min: number, max: number) {
  const message =
    min > 0 ? `${what} must be between ${min} and ${max} characters` : `${what} must be at most ${max} characters`;
  return z
    .string(says(what, `${what} must be text`))
    .min(min, message)
    .max(max, message);
}

function oneOf<const T extends readonly [string, ...string[]]>(what: string, values: T) {
  return z.enum(values, says(what, `${what} must be one of: ${values.join(', ')}`));
}

const bool = (what: string) => z.boolean(says(what, `${what} must be true or false`));

/** For fields without their own message (objects): `<field> is required`. */
function missingField(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type' || issue.input !== undefined) return undefined;
  const last = issue.path?.at(-1);
  return last === undefined ? undefined : `${String(last)} is required`;
}

export const ZCanvasPosition = z.strictObject({
  x: z.number(says('x', 'x must be a finite number')),
  y: z.number(says('y', 'y must be a finite number')),
});
export type TCanvasPosition = z.infer<typeof ZCanvasPosition>;

export const ZCompute = z.strictObject({
  vcpu: intIn('vCPU', 1, 128),
  memoryGiB: z
    .number(says('memory', 'memory must be a number of GiB between 0.5 and 1024'))
    .min(0.5, 'memory must be a number of GiB between 0.5 and 1024')
    .max(1024, 'memory must be a number of GiB between 0.5 and 1024'),
  architecture: oneOf('architecture', ARCHITECTURES),
  /** Optional provider-specific sizing; the plan stays cloud-agnostic without it. */
  providerHint: z
    .strictObject({
      aws: z.strictObject({ instanceType: text('AWS instance type', 1, 40) }).optional(),
    })
    .optional(),
});
export type TCompute = z.infer<typeof ZCompute>;

export const ZStorage = z.strictObject({
  type: oneOf('storage type', STORAGE_TYPES).default('ssd'),
  sizeGiB: intIn('disk size (GiB)', 1, 65536),
  iops: intIn('IOPS', 100, 256000).optional(),
});
export type TStorage = z.infer<typeof ZStorage>;

export const ZOperatingSystem = z.strictObject({
  family: oneOf('OS family', OS_FAMILIES),
  version: text('OS version', 1, 20),
});
export type TOperatingSystem = z.infer<typeof ZOperatingSystem>;

export const ZDatabase = z.strictObject({
  engine: z.literal('postgres', says('engine', 'engine must be "postgres"')),
  majorVersion: z.literal(
    PG_MAJOR_VERSIONS,
    says('PostgreSQL major version', 'PostgreSQL major version must be one of: 14, 15, 16, 17'),
  ),
  /** PostgreSQL needs more than superuser_reserved_connections (3). */
  maxConnections: intIn('max connections', 4, 262143),
  workload: oneOf('workload', WORKLOADS),
  /** postgresql.conf overrides applied on top of the tuned settings (names checked semantically). */
  parameters: z
    .record(z.string().max(100, 'parameter names must be at most 100 characters'), text('parameter value', 0, 1024))
    .optional(),
  initialDatabase: text('initial database name', 1, 63),
  adminUser: text('admin user name', 1, 63),
});
export type TDatabase = z.infer<typeof ZDatabase>;

export const ZBackupTarget = z.strictObject({
  bucket: text('bucket name', 1, 255),
  prefix: text('bucket prefix', 0, 1024),
});
export type TBackupTarget = z.infer<typeof ZBackupTarget>;

export const ZBackups = z.strictObject({
  enabled: bool('backups.enabled'),
  /** 5-field cron, UTC (checked semantically). */
  schedule: text('backup schedule', 1, 100),
  /** 1-35 is checked semantically; the structural range only rejects nonsense. */
  retentionDays: intIn('retention (days)', 0, 3650),
  /** Required when enabled (checked semantically so a half-edited plan can be saved). */
  target: ZBackupTarget.nullable(),
  validateByRestore: bool('validateByRestore'),
});
export type TBackups = z.infer<typeof ZBackups>;

export const ZNetwork = z.strictObject({
  port: intIn('port', 1, 65535).default(5432),
  /** Clients allowed to connect (CIDR notation, checked semantically). */
  allowedCidrs: z
    .array(text('CIDR', 1, 64), { error: 'allowed CIDRs must be a list' })
    .max(100, 'at most 100 allowed CIDRs'),
  /** Reachable from the internet (public IP). Required for 0.0.0.0/0 or ::/0. */
  public: bool('public'),
});
export type TNetwork = z.infer<typeof ZNetwork>;

export const ZComponentId = z
  .string(says('component id', 'component id must be text'))
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'component id must be 1-64 letters, digits, "-" or "_", starting with a letter or digit',
  );

export const ZPostgresComponent = z.strictObject({
  id: ZComponentId,
  type: z.literal('postgresql'),
  name: text('component name', 1, 80),
  position: ZCanvasPosition,
  compute: ZCompute,
  storage: ZStorage,
  os: ZOperatingSystem,
  database: ZDatabase,
  backups: ZBackups,
  network: ZNetwork,
});
export type TPostgresComponent = z.infer<typeof ZPostgresComponent>;
export type TPostgresComponentInput = z.input<typeof ZPostgresComponent>;

/** Discriminated on `type` so that more component types can be added later. */
export const ZComponent = z.discriminatedUnion('type', [ZPostgresComponent], {
  error: `component type must be one of: ${COMPONENT_TYPES.join(', ')}`,
});
export type TComponent = z.infer<typeof ZComponent>;
export type TComponentType = TComponent['type'];

export const ZCsJsonDocument = z
  .strictObject(
    {
      version: z.literal(CS_JSON_VERSION, says('version', 'version must be 1 (this is cs-json v1)')),
      name: text('plan name', 1, 80),
      components: z
        .array(ZComponent, { error: 'components must be a list' })
        .max(MAX_COMPONENTS, `a plan has at most ${MAX_COMPONENTS} components`),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'a cs-json document must be a JSON object' : undefined) },
  )
  .meta({ id: 'CsJsonDocument' });
/** The parsed document (defaults applied). */
export type TCsJsonDocument = z.infer<typeof ZCsJsonDocument>;
/** What a client may send (`storage.type` and `network.port` may be omitted). */
export type TCsJsonDocumentInput = z.input<typeof ZCsJsonDocument>;

// ---------------------------------------------------------------------------------------------
// Format helpers (exported for the editor)
// ---------------------------------------------------------------------------------------------

const IPV4_OCTET = /^(0|[1-9]\d{0,2})$/;

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | null {
  // Returns 16 bytes, or null.
  let head = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tailV4 = v4;
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = 8 - tailV4.length / 2;
  const double = head.split('::');
  if (double.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(double[0] ?? '');
  const right = double.length === 2 ? parseGroups(double[1] ?? '') : [];
  if (!left || !right) return null;
  let groups: number[];
  if (double.length === 2) {
    const missing = groupsWanted - left.length - right.length;
    if (missing < 1) return null;
    groups = [...left, ...Array<number>(missing).fill(0), ...right];
  } else {
    if (left.length !== groupsWanted) return null;
    groups = left;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return [...bytes, ...tailV4];
}

export interface TParsedCidr {
  family: 4 | 6;
  prefix: number;
  /** True for 0.0.0.0/0 and ::/0 (any address). */
  anyAddress: boolean;
}

/** Parses `a.b.c.d/n` or `ipv6/n`; returns a reason when it is not a valid network CIDR. */
export function parseCidr(input: string): { cidr: TParsedCidr } | { reason: string } {
  const slash = input.indexOf('/');
  if (slash < 0) {
    const single = parseIpv4(input) ? '/32' : parseIpv6(input) ? '/128' : null;
    return single
      ? { reason: `"${input}" needs a prefix length; for a single address use "${input}${single}"` }
      : { reason: `"${input}" is not a CIDR such as 10.0.0.0/16 or 2001:db8::/32` };
  }
  const address = input.slice(0, slash);
  const prefixText = input.slice(slash + 1);
  const v4 = parseIpv4(address);
  const bytes = v4 ?? parseIpv6(address);
  if (!bytes) return { reason: `"${input}" is not a CIDR such as 10.0.0.0/16 or 2001:db8::/32` };
  const family = v4 ? 4 : 6;
  const maxPrefix = family === 4 ? 32 : 128;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    return { reason: `"${input}" has an invalid prefix length; IPv${family} prefixes are 0-${maxPrefix}` };
  }
  const prefix = Number(prefixText);
  // Host bits must be zero (cloud firewalls reject 10.0.0.1/24).
  const network = bytes.map((b, i) => {
    const bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - bitsInByte)) & 0xff);
  });
  if (network.some((b, i) => b !== bytes[i])) {
    const fixed = family === 4 ? network.join('.') : formatIpv6(network);
    return { reason: `"${input}" has host bits set; did you mean ${fixed}/${prefix}?` };
  }
  return { cidr: { family, prefix, anyAddress: prefix === 0 } };
}

function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // Compress the longest run of zero groups (length ≥ 2).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[] },
  { name: 'hour', min: 0, max: 23, names: [] as string[] },
  { name: 'day of month', min: 1, max: 31, names: [] as string[] },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

/**
 * Checks a 5-field cron expression (minute hour day-of-month month day-of-week; `*`, lists,
 * ranges, steps, JAN-DEC and SUN-SAT names). Returns null when valid, else the reason.
 */
export function cronScheduleProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"; this one has ${fields.length}`;
  }
  for (let f = 0; f < 5; f++) {
    const spec = CRON_FIELDS[f]!;
    const field = fields[f]!;
    const value = (token: string): number | null => {
      if (/^\d{1,2}$/.test(token)) return Number(token);
      const named = (spec.names as readonly string[]).indexOf(token.toUpperCase());
      return named >= 0 ? named + spec.min : null;
    };
    for (const part of field.split(',')) {
      const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `${spec.name} field "${field}" is not valid cron syntax`;
      const range = m[1]!;
      if (m[2] !== undefined) {
        const step = Number(m[2]);
        if (step < 1 || step > spec.max) return `${spec.name} step "/${m[2]}" must be between 1 and ${spec.max}`;
      }
      if (range === '*') continue;
      const [fromText, toText] = range.split('-') as [string, string | undefined];
      for (const token of toText === undefined ? [fromText] : [fromText, toText]) {
        const n = value(token);
        if (n === null) return `${spec.name} value "${token}" is not a number`;
        if (n < spec.min || n > spec.max) return `${spec.name} ${n} is outside ${spec.min}-${spec.max}`;
      }
      if (toText !== undefined && value(fromText)! > value(toText)!) {
        return `${spec.name} range "${range}" goes backwards`;
      }
    }
  }
  return null;
}

/** S3 bucket naming rules (general purpose buckets). Returns null when valid, else the reason. */
export function s3BucketNameProblem(bucket: string): string | null {
  if (bucket.length < 3 || bucket.length > 63) return 'an S3 bucket name is 3-63 characters long';
  if (!/^[a-z0-9.-]+$/.test(bucket)) return 'an S3 bucket name uses only lowercase letters, digits, "." and "-"';
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) {
    return 'an S3 bucket name starts and ends with a lowercase letter or digit';
  }
  if (bucket.includes('..')) return 'an S3 bucket name cannot contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return 'an S3 bucket name cannot look like an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (bucket.startsWith(prefix)) return `an S3 bucket name cannot start with "${prefix}"`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (bucket.endsWith(suffix)) return `an S3 bucket name cannot end with "${suffix}"`;
  }
  return null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const GUC_NAME = /^[a-z_][a-z0-9_.]*$/;
const AWS_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const RESERVED_DATABASES = ['postgres', 'template0', 'template1'];

// ---------------------------------------------------------------------------------------------
// Semantic checks
// ---------------------------------------------------------------------------------------------

export interface TCsJsonCheck {
  errors: TFieldIssue[];
  warnings: TFieldIssue[];
}

export interface TCsJsonValidation extends TCsJsonCheck {
  /** Null when the input is not structurally cs-json v1 (then `errors` says why). */
  document: TCsJsonDocument | null;
}

function checkPostgres(c: TPostgresComponent, at: string, out: TCsJsonCheck): void {
  const error = (path: string, message: string) => out.errors.push({ path: `${at}.${path}`, message });
  const warn = (path: string, message: string) => out.warnings.push({ path: `${at}.${path}`, message });

  // compute
  const hint = c.compute.providerHint?.aws?.instanceType;
  if (hint !== undefined && !AWS_INSTANCE_TYPE.test(hint)) {
    error('compute.providerHint.aws.instanceType', `"${hint}" is not an AWS instance type name such as m6i.large`);
  }

  // storage
  if (c.storage.sizeGiB < MIN_DISK_GIB) {
    error('storage.sizeGiB', `disk is ${c.storage.sizeGiB} GiB; PostgreSQL needs at least ${MIN_DISK_GIB} GiB`);
  } else {
    const wal = WORKLOAD_MAX_WAL_SIZE_GIB[c.database.workload];
    if (c.storage.sizeGiB < wal * 2) {
      warn(
        'storage.sizeGiB',
        `disk is ${c.storage.sizeGiB} GiB but the ${c.database.workload} workload lets WAL grow to ${wal} GB (max_wal_size); use at least ${wal * 2} GiB so that WAL and data both fit`,
      );
    }
  }

  // os
  const versions = SUPPORTED_OS_VERSIONS[c.os.family];
  if (!versions.includes(c.os.version)) {
    error(
      'os.version',
      `${c.os.family} ${c.os.version} is not supported; supported: ${versions.map((v) => `${c.os.family} ${v}`).join(', ')}`,
    );
  }

  // database
  const limit = maxConnectionsLimit(c.compute.memoryGiB);
  if (c.database.maxConnections > limit) {
    error(
      'database.maxConnections',
      `${c.database.maxConnections} connections is too many for ${c.compute.memoryGiB} GiB of memory: at most ${limit} (LEAST(memory in bytes / ${BYTES_PER_CONNECTION}, ${MAX_CONNECTIONS_CAP})); lower it or add memory`,
    );
  }
  for (const name of Object.keys(c.database.parameters ?? {})) {
    if (!GUC_NAME.test(name)) {
      error(
        `database.parameters.${name}`,
        `"${name}" is not a PostgreSQL setting name (lowercase letters, digits, "_" and ".", not starting with a digit)`,
      );
    } else if (MANAGED_PARAMETERS[name] !== undefined) {
      error(`database.parameters.${name}`, `set ${name} with ${MANAGED_PARAMETERS[name]}, not as a parameter override`);
    }
  }
  if (!IDENTIFIER.test(c.database.initialDatabase)) {
    error(
      'database.initialDatabase',
      `"${c.database.initialDatabase}" is not a valid name: use lowercase letters, digits and "_", starting with a letter or "_" (at most 63)`,
    );
  } else if (RESERVED_DATABASES.includes(c.database.initialDatabase)) {
    error(
      'database.initialDatabase',
      `"${c.database.initialDatabase}" already exists on every PostgreSQL server; choose your application's database name`,
    );
  }
  if (!IDENTIFIER.test(c.database.adminUser)) {
    error(
      'database.adminUser',
      `"${c.database.adminUser}" is not a valid name: use lowercase letters, digits and "_", starting with a letter or "_" (at most 63)`,
    );
  } else if (c.database.adminUser === 'postgres') {
    error(
      'database.adminUser',
      '"postgres" is the built-in superuser, kept for local maintenance; choose another admin user name',
    );
  } else if (c.database.adminUser.startsWith('pg_')) {
    error('database.adminUser', 'role names starting with "pg_" are reserved by PostgreSQL');
  }

  // backups
  const b = c.backups;
  if (b.enabled) {
    const cron = cronScheduleProblem(b.schedule);
    if (cron) error('backups.schedule', `"${b.schedule}" is not a valid cron schedule: ${cron}`);
    if (b.retentionDays < BACKUP_RETENTION_DAYS.min || b.retentionDays > BACKUP_RETENTION_DAYS.max) {
      error(
        'backups.retentionDays',
        `retention must be between ${BACKUP_RETENTION_DAYS.min} and ${BACKUP_RETENTION_DAYS.max} days (got ${b.retentionDays})`,
      );
    }
    if (b.target === null) {
      error('backups.target', 'backups are enabled but have no target: set the S3 bucket and prefix');
    } else {
      const bucket = s3BucketNameProblem(b.target.bucket);
      if (bucket) error('backups.target.bucket', `"${b.target.bucket}" is not a valid bucket name: ${bucket}`);
      if (b.target.prefix.startsWith('/')) {
        error('backups.target.prefix', 'the prefix must not start with "/" (S3 keys are relative, e.g. "orders-db/")');
      }
    }
  } else {
    warn('backups.enabled', 'backups are disabled: the data is lost if the host or its disk fails');
  }

  // network
  const n = c.network;
  if (n.port < MIN_PORT) {
    error('network.port', `port ${n.port} is below ${MIN_PORT}; PostgreSQL runs unprivileged, use ${MIN_PORT}-65535`);
  }
  const seen = new Map<string, number>();
  n.allowedCidrs.forEach((cidr, i) => {
    const path = `network.allowedCidrs.${i}`;
    const parsed = parseCidr(cidr);
    if ('reason' in parsed) {
      error(path, parsed.reason);
      return;
    }
    const first = seen.get(cidr);
    if (first !== undefined) warn(path, `"${cidr}" is listed twice (also network.allowedCidrs.${first})`);
    else seen.set(cidr, i);
    if (parsed.cidr.anyAddress) {
      if (!n.public) {
        error(path, `"${cidr}" allows any address, which needs public: true; list your clients' networks instead`);
      } else {
        warn(path, `"${cidr}" exposes PostgreSQL to the whole internet; prefer the networks of your clients`);
      }
    }
  });
}

/** Semantic checks of a structurally valid document: errors block deploys, warnings never do. */
export function checkCsJson(document: TCsJsonDocument): TCsJsonCheck {
  const out: TCsJsonCheck = { errors: [], warnings: [] };
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  document.components.forEach((component, i) => {
    const at = `components.${i}`;
    const sameId = ids.get(component.id);
    if (sameId !== undefined) {
      out.errors.push({
        path: `${at}.id`,
        message: `id "${component.id}" is already used by components.${sameId}; component ids must be unique`,
      });
    } else ids.set(component.id, i);
    const key = component.name.trim().toLowerCase();
    const sameName = names.get(key);
    if (sameName !== undefined) {
      out.errors.push({
        path: `${at}.name`,
        message: `name "${component.name}" is already used by components.${sameName}; component names must be unique`,
      });
    } else names.set(key, i);
    switch (component.type) {
      case 'postgresql':
        checkPostgres(component, at, out);
        break;
    }
  });
  return out;
}

/**
 * Structural parse, then semantic checks. `document` is null when the input is not cs-json v1;
 * every issue carries a dotted path such as `components.0.network.allowedCidrs.1`.
 */
export function validateCsJson(input: unknown): TCsJsonValidation {
  const parsed = ZCsJsonDocument.safeParse(input, { error: missingField });
  if (!parsed.success) {
    // One issue per unknown key, at the key's own path (zod reports them together on the object).
    const errors = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: [...issue.path.map(String), key].join('.'),
            message: `unknown field "${key}" (not part of cs-json v1)`,
          }))
        : toFieldIssues([issue]),
    );
    return { document: null, errors, warnings: [] };
  }
  return { document: parsed.data, ...checkCsJson(parsed.data) };
}

// ---------------------------------------------------------------------------------------------
// Defaults and example
// ---------------------------------------------------------------------------------------------

/** A fresh PostgreSQL node for the canvas palette (valid; one warning: backups are off until a bucket is set). */
export function defaultPostgresComponent(id: string, position: TCanvasPosition): TPostgresComponent {
  return {
    id,
    type: 'postgresql',
    name: id,
    position: { x: position.x, y: position.y },
    compute: { vcpu: 2, memoryGiB: 8, architecture: 'x86_64' },
    storage: { type: 'ssd', sizeGiB: 50 },
    os: { family: 'ubuntu', version: '24.04' },
    database: {
      engine: 'postgres',
      majorVersion: 17,
      maxConnections: 100,
      workload: 'web',
      initialDatabase: 'app',
      adminUser: 'app_admin',
    },
    backups: { enabled: false, schedule: '0 3 * * *', retentionDays: 7, target: null, validateByRestore: false },
    network: { port: 5432, allowedCidrs: ['10.0.0.0/8'], public: false },
  };
}

/** The next free `pg-N` id for a document's components. */
export function nextComponentId(components: readonly { id: string }[], prefix = 'pg'): string {
  const used = new Set(components.map((c) => c.id));
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

/** A realistic single-node web database; valid with no errors and no warnings. */
export const EXAMPLE_CS_JSON: TCsJsonDocument = {
  version: 1,
  name: 'orders',
  components: [
    {
      id: 'pg-1',
      type: 'postgresql',
      name: 'orders-db',
      position: { x: 240, y: 160 },
      compute: { vcpu: 2, memoryGiB: 8, architecture: 'x86_64', providerHint: { aws: { instanceType: 'm6i.large' } } },
      storage: { type: 'ssd', sizeGiB: 100, iops: 3000 },
      os: { family: 'ubuntu', version: '24.04' },
      database: {
        engine: 'postgres',
        majorVersion: 16,
        maxConnections: 100,
        workload: 'web',
        parameters: { log_min_duration_statement: '500ms' },
        initialDatabase: 'orders',
        adminUser: 'orders_admin',
      },
      backups: {
        enabled: true,
        schedule: '0 3 * * *',
        retentionDays: 14,
        target: { bucket: 'acme-orders-db-backups', prefix: 'orders-db/' },
        validateByRestore: true,
      },
      network: { port: 5432, allowedCidrs: ['10.0.0.0/16'], public: false },
    },
  ],
};

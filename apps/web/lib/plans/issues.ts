/**
 * Where a validation issue goes in the editor. Issues from `validateCsJson` and
 * `validatePlanWithCatalog` carry dotted paths into the document
 * (`components.0.network.allowedCidrs.1`, `components.2.database.parameters.auto_explain.log_analyze`,
 * `name`); this maps each to the node (component index), the properties-panel field and, for
 * lists and maps, the item (CIDR index, parameter name).
 */

export interface TIssue {
  path: string;
  message: string;
}

/** Fields of a component the properties panel shows, as paths relative to the component. */
export const COMPONENT_FIELDS = [
  'id',
  'type',
  'name',
  'position',
  // Whole sections: catalog checks about the size as a whole (`components.0.compute`), unknown keys.
  'compute',
  'storage',
  'os',
  'database',
  'backups',
  'network',
  'compute.vcpu',
  'compute.memoryGiB',
  'compute.architecture',
  'compute.providerHint.aws.instanceType',
  'storage.type',
  'storage.sizeGiB',
  'storage.iops',
  'os.family',
  'os.version',
  'database.engine',
  'database.majorVersion',
  'database.maxConnections',
  'database.workload',
  'database.parameters',
  'database.initialDatabase',
  'database.adminUser',
  'backups.enabled',
  'backups.schedule',
  'backups.retentionDays',
  'backups.target',
  'backups.target.bucket',
  'backups.target.prefix',
  'backups.validateByRestore',
  'network.port',
  'network.allowedCidrs',
  'network.public',
] as const;
export type TComponentField = (typeof COMPONENT_FIELDS)[number];

/** Fields whose issues may name one item: a CIDR by index, a parameter override by name. */
const ITEM_FIELDS: readonly TComponentField[] = ['network.allowedCidrs', 'database.parameters'];

export const FIELD_LABELS: Readonly<Record<TComponentField, string>> = {
  id: 'Id',
  type: 'Type',
  name: 'Name',
  position: 'Position',
  compute: 'Size',
  storage: 'Disk',
  os: 'Operating system',
  database: 'PostgreSQL',
  backups: 'Backups',
  network: 'Network',
  'compute.vcpu': 'vCPU',
  'compute.memoryGiB': 'Memory',
  'compute.architecture': 'Architecture',
  'compute.providerHint.aws.instanceType': 'Instance type',
  'storage.type': 'Disk type',
  'storage.sizeGiB': 'Disk size',
  'storage.iops': 'IOPS',
  'os.family': 'OS',
  'os.version': 'OS version',
  'database.engine': 'Engine',
  'database.majorVersion': 'PostgreSQL version',
  'database.maxConnections': 'Max connections',
  'database.workload': 'Workload',
  'database.parameters': 'Parameter overrides',
  'database.initialDatabase': 'Initial database',
  'database.adminUser': 'Admin user',
  'backups.enabled': 'Backups',
  'backups.schedule': 'Backup schedule',
  'backups.retentionDays': 'Retention',
  'backups.target': 'Backup target',
  'backups.target.bucket': 'S3 bucket',
  'backups.target.prefix': 'S3 prefix',
  'backups.validateByRestore': 'Validate by restore',
  'network.port': 'Port',
  'network.allowedCidrs': 'Allowed CIDRs',
  'network.public': 'Public',
};

export interface TIssueLocation {
  /** Index in `components`, or null for the document itself (`name`, `version`, `components`). */
  componentIndex: number | null;
  /** For components: a TComponentField, or null for the component as a whole; for the document: its top-level key. */
  field: string | null;
  /** The CIDR index or parameter name inside an item field. */
  item: string | null;
}

const FIELDS_LONGEST_FIRST = [...COMPONENT_FIELDS].sort((a, b) => b.length - a.length);

export function locateIssue(path: string): TIssueLocation {
  const match = /^components\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!match) {
    const top = path === '(root)' || path === '' ? null : (path.split('.')[0] ?? null);
    return { componentIndex: null, field: top, item: null };
  }
  const componentIndex = Number(match[1]);
  const rest = match[2];
  if (rest === undefined || rest === '') return { componentIndex, field: null, item: null };
  for (const field of FIELDS_LONGEST_FIRST) {
    if (rest === field) return { componentIndex, field, item: null };
    if (rest.startsWith(`${field}.`)) {
      const tail = rest.slice(field.length + 1);
      // Parameter names may contain dots (auto_explain.log_analyze): the whole tail is the name.
      if (ITEM_FIELDS.includes(field)) return { componentIndex, field, item: tail };
      return { componentIndex, field, item: null };
    }
  }
  // A path the panel has no field for (an unknown top-level key of an imported component).
  return { componentIndex, field: null, item: null };
}

export interface TMessages {
  errors: string[];
  warnings: string[];
}

export interface TComponentIssues {
  errorCount: number;
  warningCount: number;
  /** By TComponentField (messages about the field as a whole). */
  fields: Partial<Record<string, TMessages>>;
  /** By TComponentField, then by item (CIDR index or parameter name). */
  items: Partial<Record<string, Record<string, TMessages>>>;
  /** About the component as a whole, or a part the panel has no field for (`path` kept). */
  general: { severity: 'error' | 'warning'; path: string; message: string }[];
}

export interface TPlanIssues {
  errorCount: number;
  warningCount: number;
  /** Document-level: by top-level key (`name`, `version`, `components`, or `(root)`). */
  document: Partial<Record<string, TMessages>>;
  /** Index-aligned with `components`. */
  components: TComponentIssues[];
}

function emptyComponentIssues(): TComponentIssues {
  return { errorCount: 0, warningCount: 0, fields: {}, items: {}, general: [] };
}

function push(target: TMessages, severity: 'error' | 'warning', message: string) {
  (severity === 'error' ? target.errors : target.warnings).push(message);
}

/** Sorts every issue into its node, field and item; same message on the same place is kept once. */
export function collectIssues(
  componentCount: number,
  errors: readonly TIssue[],
  warnings: readonly TIssue[],
): TPlanIssues {
  const result: TPlanIssues = {
    errorCount: 0,
    warningCount: 0,
    document: {},
    components: Array.from({ length: componentCount }, emptyComponentIssues),
  };
  const seen = new Set<string>();
  const all = [
    ...errors.map((issue) => ({ ...issue, severity: 'error' as const })),
    ...warnings.map((issue) => ({ ...issue, severity: 'warning' as const })),
  ];
  for (const issue of all) {
    const key = `${issue.severity}\u0000${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (issue.severity === 'error') result.errorCount++;
    else result.warningCount++;
    const location = locateIssue(issue.path);
    const component = location.componentIndex === null ? undefined : result.components[location.componentIndex];
    if (!component) {
      const field = location.componentIndex === null ? (location.field ?? '(root)') : 'components';
      push((result.document[field] ??= { errors: [], warnings: [] }), issue.severity, issue.message);
      continue;
    }
    if (issue.severity === 'error') component.errorCount++;
    else component.warningCount++;
    if (location.field === null) {
      component.general.push({ severity: issue.severity, path: issue.path, message: issue.message });
    } else if (location.item !== null) {
      const items = (component.items[location.field] ??= {});
      push((items[location.item] ??= { errors: [], warnings: [] }), issue.severity, issue.message);
    } else {
      push((component.fields[location.field] ??= { errors: [], warnings: [] }), issue.severity, issue.message);
    }
  }
  return result;
}

const NO_MESSAGES: TMessages = { errors: [], warnings: [] };

/** Messages for one field of one component, including those naming one of its items. */
export function fieldMessages(
  issues: TComponentIssues | undefined,
  field: TComponentField,
  options: { includeItems?: boolean } = {},
): TMessages {
  const own = issues?.fields[field] ?? NO_MESSAGES;
  if (!options.includeItems) return own;
  const items = Object.values(issues?.items[field] ?? {});
  return {
    errors: [...own.errors, ...items.flatMap((item) => item.errors)],
    warnings: [...own.warnings, ...items.flatMap((item) => item.warnings)],
  };
}

export function itemMessages(issues: TComponentIssues | undefined, field: TComponentField, item: string): TMessages {
  return issues?.items[field]?.[item] ?? NO_MESSAGES;
}

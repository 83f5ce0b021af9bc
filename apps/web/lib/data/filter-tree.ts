import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';
import {
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  type TFilterCondition,
  type TFilterGroup,
  type TFilterOperator,
} from '@elasticdash/contracts/data/rows';

/**
 * What the grid offers per column kind. Mirrors svc-connections (rows/filter.ts, rows/sql.ts):
 * the UI offers only what the server accepts, and the server still checks everything.
 */
const COMPARISONS: TFilterOperator[] = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in'];
const EMPTINESS: TFilterOperator[] = ['is_empty', 'is_not_empty'];
const PATTERNS: TFilterOperator[] = ['contains', 'not_contains', 'starts_with', 'ends_with'];

export const OPERATORS_BY_KIND: Record<TColumnKind, readonly TFilterOperator[]> = {
  integer: [...COMPARISONS, ...EMPTINESS],
  bigint: [...COMPARISONS, ...EMPTINESS],
  numeric: [...COMPARISONS, ...EMPTINESS],
  float: [...COMPARISONS, ...EMPTINESS],
  text: [...PATTERNS, ...COMPARISONS, ...EMPTINESS],
  uuid: ['eq', 'neq', 'in', 'not_in', ...PATTERNS, ...EMPTINESS],
  enum: ['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'between', ...PATTERNS, ...EMPTINESS],
  boolean: ['eq', 'neq', ...EMPTINESS],
  date: [...COMPARISONS, 'in_last', ...EMPTINESS],
  timestamp: [...COMPARISONS, 'in_last', ...EMPTINESS],
  timestamptz: [...COMPARISONS, 'in_last', ...EMPTINESS],
  time: [...COMPARISONS, ...EMPTINESS],
  interval: [...COMPARISONS, ...EMPTINESS],
  json: ['contains', 'not_contains', 'eq', 'neq', ...EMPTINESS],
  array: ['contains', 'not_contains', 'eq', 'neq', ...EMPTINESS],
  bytea: ['eq', 'neq', ...EMPTINESS],
  other: ['eq', 'neq', ...PATTERNS, ...EMPTINESS],
};

export const OPERATOR_LABELS: Record<TFilterOperator, string> = {
  eq: 'is',
  neq: 'is not',
  lt: 'less than',
  lte: 'at most',
  gt: 'greater than',
  gte: 'at least',
  between: 'between',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  in: 'is one of',
  not_in: 'is none of',
  in_last: 'in the last',
};

/** Date-like kinds read better with before/after. */
const TEMPORAL_LABELS: Partial<Record<TFilterOperator, string>> = {
  lt: 'before',
  lte: 'on or before',
  gt: 'after',
  gte: 'on or after',
};

export function operatorLabel(op: TFilterOperator, kind: TColumnKind): string {
  if (kind === 'date' || kind === 'timestamp' || kind === 'timestamptz')
    return TEMPORAL_LABELS[op] ?? OPERATOR_LABELS[op];
  return OPERATOR_LABELS[op];
}

/** The shape of the value an operator takes. */
export type TValueShape = 'none' | 'single' | 'pair' | 'list' | 'amount';

export function valueShape(op: TFilterOperator): TValueShape {
  switch (op) {
    case 'is_empty':
    case 'is_not_empty':
      return 'none';
    case 'between':
      return 'pair';
    case 'in':
    case 'not_in':
      return 'list';
    case 'in_last':
      return 'amount';
    default:
      return 'single';
  }
}

export const IN_LAST_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export type TInLastUnit = (typeof IN_LAST_UNITS)[number];

export function operatorsFor(kind: TColumnKind): readonly TFilterOperator[] {
  return OPERATORS_BY_KIND[kind] ?? OPERATORS_BY_KIND.other;
}

/**
 * Editing a filter tree (and/or groups of conditions) immutably. Nodes are addressed by their
 * path of child indexes from the root group: [] is the root, [2, 0] the first child of the
 * root's third child. Values are kept as the text the user typed; the server coerces them.
 */
export type TFilterNode = TFilterCondition | TFilterGroup;
export type TPath = readonly number[];

export type TFilterColumn = Pick<TCatalogColumn, 'name' | 'kind' | 'enumValues'>;

export function emptyFilter(combinator: 'and' | 'or' = 'and'): TFilterGroup {
  return { type: 'group', combinator, children: [] };
}

export function nodeAt(tree: TFilterGroup, path: TPath): TFilterNode | undefined {
  let node: TFilterNode | undefined = tree;
  for (const index of path) {
    if (!node || node.type !== 'group') return undefined;
    node = node.children[index];
  }
  return node;
}

function replaceAt(group: TFilterGroup, path: TPath, replace: (node: TFilterNode) => TFilterNode | null): TFilterGroup {
  if (path.length === 0) {
    const next = replace(group);
    return next && next.type === 'group' ? next : group;
  }
  const [head, ...rest] = path as [number, ...number[]];
  const child = group.children[head];
  if (!child) return group;
  let next: TFilterNode | null;
  if (rest.length === 0) next = replace(child);
  else if (child.type === 'group') next = replaceAt(child, rest, replace);
  else return group;
  const children = [...group.children];
  if (next === null) children.splice(head, 1);
  else children[head] = next;
  return { ...group, children };
}

/** The first value an operator starts with. */
export function initialValue(op: TFilterOperator): Pick<TFilterCondition, 'value' | 'unit'> {
  switch (valueShape(op)) {
    case 'none':
      return {};
    case 'pair':
      return { value: ['', ''] };
    case 'list':
      return { value: [] };
    case 'amount':
      return { value: '7', unit: 'day' };
    default:
      return { value: '' };
  }
}

export function defaultCondition(column: TFilterColumn): TFilterCondition {
  const op = operatorsFor(column.kind)[0] ?? 'eq';
  const condition: TFilterCondition = { type: 'condition', column: column.name, op, ...initialValue(op) };
  if (column.kind === 'boolean' && op === 'eq') condition.value = 'true';
  return condition;
}

/** A condition on `column` with `op` and `value` (e.g. "filter by this value"). */
export function conditionFor(column: TFilterColumn, op: TFilterOperator, value?: unknown): TFilterCondition {
  return { type: 'condition', column: column.name, op, ...initialValue(op), ...(value === undefined ? {} : { value }) };
}

export function addCondition(tree: TFilterGroup, groupPath: TPath, condition: TFilterCondition): TFilterGroup {
  return replaceAt(tree, groupPath, (node) =>
    node.type === 'group' ? { ...node, children: [...node.children, condition] } : node,
  );
}

/** Depth of the group at `path` (the root group is depth 1). */
export function groupDepth(path: TPath): number {
  return path.length + 1;
}

export function canAddGroup(groupPath: TPath): boolean {
  return groupDepth(groupPath) < MAX_FILTER_DEPTH;
}

/** Adds a nested group (the other combinator of its parent) holding one condition. */
export function addGroup(tree: TFilterGroup, groupPath: TPath, first: TFilterCondition): TFilterGroup {
  if (!canAddGroup(groupPath)) return tree;
  return replaceAt(tree, groupPath, (node) => {
    if (node.type !== 'group') return node;
    const combinator = node.combinator === 'and' ? 'or' : 'and';
    return { ...node, children: [...node.children, { type: 'group', combinator, children: [first] }] };
  });
}

export function removeAt(tree: TFilterGroup, path: TPath): TFilterGroup {
  if (path.length === 0) return emptyFilter(tree.combinator);
  return replaceAt(tree, path, () => null);
}

export function setCombinator(tree: TFilterGroup, groupPath: TPath, combinator: 'and' | 'or'): TFilterGroup {
  return replaceAt(tree, groupPath, (node) => (node.type === 'group' ? { ...node, combinator } : node));
}

export function updateCondition(
  tree: TFilterGroup,
  path: TPath,
  update: (condition: TFilterCondition) => TFilterCondition,
): TFilterGroup {
  return replaceAt(tree, path, (node) => (node.type === 'condition' ? update(node) : node));
}

/** Keeps what still makes sense when the column changes: the operator if allowed, the value if same kind. */
export function withColumn(
  condition: TFilterCondition,
  from: TFilterColumn | undefined,
  to: TFilterColumn,
): TFilterCondition {
  const allowed = operatorsFor(to.kind);
  if (!allowed.includes(condition.op)) return defaultCondition(to);
  if (from && from.kind === to.kind) return { ...condition, column: to.name };
  const next: TFilterCondition = {
    type: 'condition',
    column: to.name,
    op: condition.op,
    ...initialValue(condition.op),
  };
  if (to.kind === 'boolean' && condition.op !== 'is_empty' && condition.op !== 'is_not_empty') next.value = 'true';
  return next;
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/** Changes the operator and reshapes the value (one ↔ pair ↔ list) without losing what was typed. */
export function withOperator(condition: TFilterCondition, op: TFilterOperator): TFilterCondition {
  const fromShape = valueShape(condition.op);
  const toShape = valueShape(op);
  const base: TFilterCondition = { type: 'condition', column: condition.column, op };
  if (fromShape === toShape) {
    if (condition.value !== undefined) base.value = condition.value;
    if (condition.unit) base.unit = condition.unit;
    return base;
  }
  const first =
    fromShape === 'pair' || fromShape === 'list'
      ? textOf(Array.isArray(condition.value) ? condition.value[0] : '')
      : fromShape === 'single'
        ? textOf(condition.value)
        : '';
  switch (toShape) {
    case 'none':
      return base;
    case 'single':
      return { ...base, value: first };
    case 'pair':
      return { ...base, value: [first, ''] };
    case 'list':
      return { ...base, value: first === '' ? [] : [first] };
    case 'amount':
      return { ...base, ...initialValue(op) };
  }
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** True when the condition can be sent (has the values its operator needs). */
export function isComplete(condition: TFilterCondition): boolean {
  switch (valueShape(condition.op)) {
    case 'none':
      return true;
    case 'single':
      return !blank(condition.value);
    case 'pair':
      return Array.isArray(condition.value) && condition.value.length === 2 && condition.value.some((v) => !blank(v));
    case 'list':
      return Array.isArray(condition.value) && condition.value.some((v) => !blank(v));
    case 'amount':
      return typeof condition.value === 'string'
        ? /^\d+$/.test(condition.value.trim())
        : Number.isInteger(condition.value);
  }
}

function cleanCondition(condition: TFilterCondition): TFilterCondition | null {
  if (!isComplete(condition)) return null;
  const base: TFilterCondition = { type: 'condition', column: condition.column, op: condition.op };
  switch (valueShape(condition.op)) {
    case 'none':
      return base;
    case 'single':
      return { ...base, value: typeof condition.value === 'string' ? condition.value.trim() : condition.value };
    case 'pair': {
      const [from, to] = condition.value as unknown[];
      return { ...base, value: [blank(from) ? null : textOf(from).trim(), blank(to) ? null : textOf(to).trim()] };
    }
    case 'list':
      return { ...base, value: (condition.value as unknown[]).filter((v) => !blank(v)).map((v) => textOf(v).trim()) };
    case 'amount':
      return { ...base, value: Number(textOf(condition.value).trim()), unit: (condition.unit ?? 'day') as TInLastUnit };
  }
}

function cleanGroup(group: TFilterGroup): TFilterGroup | null {
  const children: TFilterNode[] = [];
  for (const child of group.children) {
    const cleaned = child.type === 'group' ? cleanGroup(child) : cleanCondition(child);
    if (cleaned) children.push(cleaned);
  }
  if (children.length === 0) return null;
  return { type: 'group', combinator: group.combinator, children };
}

/**
 * What is sent and put in the URL: incomplete conditions and empty groups dropped, values
 * trimmed, pairs with a blank side as null. `undefined` when nothing filters.
 */
export function cleanFilter(tree: TFilterGroup | undefined): TFilterGroup | undefined {
  if (!tree) return undefined;
  return cleanGroup(tree) ?? undefined;
}

export function countConditions(tree: TFilterGroup | undefined): number {
  if (!tree) return 0;
  return tree.children.reduce((total, child) => total + (child.type === 'group' ? countConditions(child) : 1), 0);
}

export function canAddCondition(tree: TFilterGroup): boolean {
  return countConditions(tree) < MAX_FILTER_CONDITIONS;
}

/** Drops conditions on columns that no longer exist (a shared link to a changed table). */
export function filterKnownColumns(
  tree: TFilterGroup | undefined,
  known: ReadonlySet<string>,
): TFilterGroup | undefined {
  if (!tree) return undefined;
  const walk = (group: TFilterGroup): TFilterGroup => ({
    ...group,
    children: group.children
      .filter((child) => child.type === 'group' || known.has(child.column))
      .map((child) => (child.type === 'group' ? walk(child) : child)),
  });
  return cleanGroup(walk(tree)) ?? undefined;
}

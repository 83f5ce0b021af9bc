/**
 * Edits of a cs-json document, as pure functions: every edit returns a new document (the editor
 * keeps the last saved one to compare with), and nothing here touches React.
 */
import {
  defaultPostgresComponent,
  nextComponentId,
  type TCanvasPosition,
  type TCsJsonDocument,
  type TPostgresComponent,
} from '@elasticdash/contracts/plans/cs-json';

export function emptyDocument(name = 'Untitled plan'): TCsJsonDocument {
  return { version: 1, name, components: [] };
}

/** `base`, or `base 2`, `base 3`… : the first not taken (plan names are unique per workspace, ignoring case). */
export function uniquePlanName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((name) => name.trim().toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  let n = 2;
  while (used.has(`${base} ${n}`.toLowerCase())) n++;
  return `${base} ${n}`;
}

/** Canvas positions are stored as whole pixels (a drag should not make a 15-digit diff). */
export function roundPosition(position: TCanvasPosition): TCanvasPosition {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

/** Adds a PostgreSQL node at `position` (its top-left corner) with the next free id and a unique name. */
export function addPostgres(
  document: TCsJsonDocument,
  position: TCanvasPosition,
): { document: TCsJsonDocument; id: string } {
  const id = nextComponentId(document.components);
  const names = new Set(document.components.map((component) => component.name.trim().toLowerCase()));
  let name = id;
  for (let n = 2; names.has(name.toLowerCase()); n++) name = `${id}-${n}`;
  const component = { ...defaultPostgresComponent(id, roundPosition(position)), name };
  return { document: { ...document, components: [...document.components, component] }, id };
}

export function updateComponent(
  document: TCsJsonDocument,
  id: string,
  update: (component: TPostgresComponent) => TPostgresComponent,
): TCsJsonDocument {
  let changed = false;
  const components = document.components.map((component) => {
    if (component.id !== id) return component;
    const next = update(component);
    if (next !== component) changed = true;
    return next;
  });
  return changed ? { ...document, components } : document;
}

export function moveComponent(document: TCsJsonDocument, id: string, position: TCanvasPosition): TCsJsonDocument {
  const rounded = roundPosition(position);
  return updateComponent(document, id, (component) =>
    component.position.x === rounded.x && component.position.y === rounded.y
      ? component
      : { ...component, position: rounded },
  );
}

export function removeComponents(document: TCsJsonDocument, ids: readonly string[]): TCsJsonDocument {
  if (ids.length === 0) return document;
  const components = document.components.filter((component) => !ids.includes(component.id));
  return components.length === document.components.length ? document : { ...document, components };
}

export function componentIndex(document: TCsJsonDocument, id: string | null): number {
  return id === null ? -1 : document.components.findIndex((component) => component.id === id);
}

// ---------------------------------------------------------------------------------------------
// Compute: vCPU + memory, or an instance type from the catalog
// ---------------------------------------------------------------------------------------------

export interface TInstanceSize {
  vcpu: number;
  memoryGiB: number;
  architecture: TPostgresComponent['compute']['architecture'];
}

/** Sizes the host by an AWS instance type: vCPU, memory and architecture come from the catalog. */
export function setInstanceType(
  component: TPostgresComponent,
  instanceType: string,
  size: TInstanceSize | null,
): TPostgresComponent {
  // Only the three sizing fields: a catalog entry carries more (name, family, purpose) that cs-json has not.
  const sizing = size ? { vcpu: size.vcpu, memoryGiB: size.memoryGiB, architecture: size.architecture } : {};
  return {
    ...component,
    compute: {
      ...component.compute,
      ...sizing,
      providerHint: { ...component.compute.providerHint, aws: { instanceType } },
    },
  };
}

/** Back to a cloud-agnostic size: keeps vCPU and memory, drops the instance type. */
export function clearInstanceType(component: TPostgresComponent): TPostgresComponent {
  const { providerHint: _hint, ...compute } = component.compute;
  return { ...component, compute };
}

export function instanceTypeOf(component: TPostgresComponent): string | null {
  return component.compute.providerHint?.aws?.instanceType ?? null;
}

/** "2 vCPU · 8 GiB" or "m6i.large (2 vCPU · 8 GiB)" — what a node shows as its size. */
export function sizeLabel(component: TPostgresComponent): string {
  const { vcpu, memoryGiB } = component.compute;
  const size = `${formatNumber(vcpu)} vCPU · ${formatNumber(memoryGiB)} GiB`;
  const type = instanceTypeOf(component);
  return type ? `${type} (${size})` : size;
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '?';
}

// ---------------------------------------------------------------------------------------------
// Number inputs: an empty box is NaN in the document, so validation names the field
// ---------------------------------------------------------------------------------------------

/** The number typed in an input (`''` → NaN, so the validator reports the field instead of keeping a stale value). */
export function parseNumberInput(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** What a number input shows for a document value. */
export function numberInputValue(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '' : String(value);
}

// ---------------------------------------------------------------------------------------------
// Parameter overrides: edited as rows (a record cannot hold a half-typed or duplicated name)
// ---------------------------------------------------------------------------------------------

export interface TParameterRow {
  key: string;
  value: string;
}

export function parametersToRows(parameters: Record<string, string> | undefined): TParameterRow[] {
  return Object.entries(parameters ?? {}).map(([key, value]) => ({ key, value }));
}

/** Rows → the document's record: blank names are skipped, and for a repeated name the last row wins. */
export function rowsToParameters(rows: readonly TParameterRow[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key) out[key] = row.value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Problems of the rows themselves (the document cannot express them): by row index. */
export function parameterRowProblems(rows: readonly TParameterRow[]): Record<number, string> {
  const problems: Record<number, string> = {};
  const first = new Map<string, number>();
  rows.forEach((row, index) => {
    const key = row.key.trim();
    if (!key) {
      if (row.value !== '') problems[index] = 'Enter a setting name, or remove this row';
      return;
    }
    const earlier = first.get(key);
    if (earlier !== undefined) problems[index] = `${key} is already set above; only this last value is kept`;
    else first.set(key, index);
  });
  return problems;
}

export function setParameters(component: TPostgresComponent, rows: readonly TParameterRow[]): TPostgresComponent {
  const parameters = rowsToParameters(rows);
  const { parameters: _old, ...database } = component.database;
  return { ...component, database: parameters ? { ...database, parameters } : database };
}

// ---------------------------------------------------------------------------------------------
// Backups and network
// ---------------------------------------------------------------------------------------------

/** An empty bucket means "no target yet" (null), never a blank bucket name. */
export function setBackupTarget(component: TPostgresComponent, bucket: string, prefix: string): TPostgresComponent {
  const target = bucket.trim() === '' ? null : { bucket: bucket.trim(), prefix };
  return { ...component, backups: { ...component.backups, target } };
}

/** Adds a CIDR (trimmed) unless it is blank or already listed; returns the component unchanged then. */
export function addCidr(component: TPostgresComponent, cidr: string): TPostgresComponent {
  const value = cidr.trim();
  if (!value || component.network.allowedCidrs.includes(value)) return component;
  return { ...component, network: { ...component.network, allowedCidrs: [...component.network.allowedCidrs, value] } };
}

export function removeCidr(component: TPostgresComponent, index: number): TPostgresComponent {
  return {
    ...component,
    network: {
      ...component.network,
      allowedCidrs: component.network.allowedCidrs.filter((_cidr, position) => position !== index),
    },
  };
}

/** True when the CIDR list opens PostgreSQL to any address (what the public toggle warns about). */
export function allowsAnyAddress(component: TPostgresComponent): boolean {
  return component.network.allowedCidrs.some((cidr) => cidr.trim() === '0.0.0.0/0' || cidr.trim() === '::/0');
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** `Orders DB (prod)` → `orders-db-prod.cs.json`. */
export function exportFileName(planName: string): string {
  const slug = planName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'plan'}.cs.json`;
}

/** The file an export writes: the document, pretty-printed, ending with a newline. */
export function exportFileContents(document: TCsJsonDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export type TParsedImport = { ok: true; document: unknown } | { ok: false; message: string };

/** Reads an imported file's text; only JSON syntax is checked here (the API checks it is cs-json). */
export function parseImportFile(text: string): TParsedImport {
  if (text.trim() === '') return { ok: false, message: 'The file is empty.' };
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    return { ok: false, message: `The file is not valid JSON: ${detail}` };
  }
}

import type { TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { tunePostgres } from './pgtune.js';

export type TSettingSource = 'tuned' | 'plan' | 'override';

export interface TTunedSetting {
  name: string;
  /** The value that goes into postgresql.conf. */
  value: string;
  /** tuned = pgtune; plan = from another field of the component (port); override = database.parameters. */
  source: TSettingSource;
  /** For overrides of a tuned setting: what pgtune would have set. */
  tunedValue?: string;
}

export interface TTuningPreview {
  /** Final postgresql.conf settings (tuned, then plan fields, then overrides). */
  settings: Record<string, string>;
  /** The same, in order, with where each value comes from. */
  entries: TTunedSetting[];
  /** Names set by `database.parameters`. */
  overridden: string[];
  warnings: string[];
}

/**
 * pgtune settings for a cs-json PostgreSQL component (memory, vCPU, workload, storage, version,
 * max connections), then `port` from the network, then the `parameters` overrides on top.
 */
export function tuningFor(component: TPostgresComponent): TTuningPreview {
  const tuned = tunePostgres({
    memoryGiB: component.compute.memoryGiB,
    vcpu: component.compute.vcpu,
    maxConnections: component.database.maxConnections,
    workload: component.database.workload,
    storage: component.storage.type,
    majorVersion: component.database.majorVersion,
    dbSizeRelativeToRam: 'unknown',
  });
  const entries = new Map<string, TTunedSetting>();
  for (const [name, value] of Object.entries(tuned.settings)) entries.set(name, { name, value, source: 'tuned' });
  entries.set('port', { name: 'port', value: String(component.network.port), source: 'plan' });
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(component.database.parameters ?? {})) {
    const previous = entries.get(name);
    entries.set(name, {
      name,
      value,
      source: 'override',
      ...(previous?.source === 'tuned' ? { tunedValue: previous.value } : {}),
    });
    overridden.push(name);
  }
  const list = [...entries.values()];
  return {
    settings: Object.fromEntries(list.map((e) => [e.name, e.value])),
    entries: list,
    overridden,
    warnings: tuned.warnings,
  };
}

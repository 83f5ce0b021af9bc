import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, it } from 'vitest';
import { repoRoot } from './env-file.js';

/**
 * Each attack or fault is one test whose outcome becomes a row of docs/reliability.md: the test
 * body returns a sentence saying what was observed, and a failure records its message. Rows go to
 * artifacts/reliability/<section>-<area>.json; `node scripts/reliability-report.mjs` renders them.
 */
export const REPORT_DIR = path.join(repoRoot, 'artifacts', 'reliability');

export type TReliabilitySection = 'attacks' | 'faults';

export interface ReliabilityRow {
  area: string;
  attack: string;
  how: string;
  result: string;
  passed: boolean;
}

export function reliabilitySuite(section: TReliabilitySection, area: string) {
  const rows: ReliabilityRow[] = [];
  afterAll(() => {
    if (rows.length === 0) return;
    mkdirSync(REPORT_DIR, { recursive: true });
    const prefix = section === 'attacks' ? 'security' : section;
    const file = path.join(REPORT_DIR, `${prefix}-${area.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.json`);
    const report = { section, area, recordedAt: new Date().toISOString(), rows };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  });

  /** A test that records itself: `how` says what is tried; the body returns what was observed. */
  return function record(name: string, how: string, body: () => Promise<string>, timeout?: number) {
    it(
      name,
      async () => {
        try {
          const result = await body();
          rows.push({ area, attack: name, how, result, passed: true });
        } catch (error) {
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          rows.push({ area, attack: name, how, result: `FAILED: ${message}`, passed: false });
          throw error;
        }
      },
      timeout,
    );
  };
}

import { reliabilitySuite } from '../../../support/reliability.js';

/** An attack recorded as a row of docs/reliability.md ("Attacks"). */
export function attackSuite(area: string) {
  return reliabilitySuite('attacks', area);
}

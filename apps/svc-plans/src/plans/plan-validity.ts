import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { TPlanValidity } from '@elasticdash/contracts/plans/plan';
import { validatePlan } from '@elasticdash/pg-knowledge/validate';

/**
 * Whether a saved document can be deployed: the semantic checks of cs-json plus the catalog
 * checks (instance types, OS images), as the editor runs them. Computed on read, so a plan saved
 * before a rule changed is judged by today's rules. Errors make it invalid; warnings never do.
 */
export function planValidity(document: TCsJsonDocument): TPlanValidity {
  const { errors, warnings } = validatePlan(document);
  return { valid: errors.length === 0, errors, warnings };
}

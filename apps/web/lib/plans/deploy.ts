/**
 * When the Deploy button is enabled, and what it says when it is not: admins and owners, on a saved
 * plan without unsaved changes or errors, while no other operation of its deployment runs.
 */

export interface TDeployInput {
  /** Admin or owner: deploying creates and destroys real infrastructure. */
  canDeploy: boolean;
  /** The plan exists on the server (it has an id and a revision). */
  saved: boolean;
  dirty: boolean;
  /** Semantic and structural errors of the document as edited. */
  errorCount: number;
  saving: boolean;
  /** Why an operation of the deployment is in the way ("A deploy is in progress…"), or null. */
  busy?: string | null;
}

export interface TDeployAvailability {
  enabled: boolean;
  /** Why it is disabled, as one sentence for a tooltip; null when enabled. */
  reason: string | null;
}

export function deployAvailability(input: TDeployInput): TDeployAvailability {
  if (!input.canDeploy) return { enabled: false, reason: 'Only admins and owners can deploy a plan.' };
  if (input.busy) return { enabled: false, reason: input.busy };
  const problems: string[] = [];
  if (input.errorCount > 0) {
    problems.push(`fix ${input.errorCount} ${input.errorCount === 1 ? 'error' : 'errors'}`);
  }
  if (input.saving) problems.push('wait for the save to finish');
  else if (!input.saved) problems.push('save the plan');
  else if (input.dirty) problems.push('save your changes');
  if (problems.length === 0) return { enabled: true, reason: null };
  const sentence = problems.join(' and ');
  return { enabled: false, reason: `To deploy, ${sentence} first.` };
}

/**
 * When the Deploy button is enabled, and what it says when it is not. The deployer itself does
 * not exist yet: an enabled button only tells so (no fake success).
 */

export interface TDeployInput {
  canWrite: boolean;
  /** The plan exists on the server (it has an id and a revision). */
  saved: boolean;
  dirty: boolean;
  /** Semantic and structural errors of the document as edited. */
  errorCount: number;
  saving: boolean;
}

export interface TDeployAvailability {
  enabled: boolean;
  /** Why it is disabled, as one sentence for a tooltip; null when enabled. */
  reason: string | null;
}

export function deployAvailability(input: TDeployInput): TDeployAvailability {
  if (!input.canWrite) return { enabled: false, reason: 'Only editors, admins and owners can deploy a plan.' };
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

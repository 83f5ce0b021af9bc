import type { TDeployment, TDeploymentState, TOperationKind } from '@elasticdash/contracts/deployer/deployment';

/**
 * The one mapping from a deployment to what the UI shows, used by the plans list and the editor
 * (pure, unit-tested). Colours come from the deployer's live state, never from the plan:
 * grey = not deployed (no deployment, 404, or destroyed), orange = an operation is on its way,
 * green = running and healthy, red = failed (with the reason, as visible text).
 */
export type TDeploymentTone = 'not_deployed' | 'deploying' | 'running' | 'failing';

/** What a status indicator needs (a deployment, a cached partial of one, or nothing). */
export type TStatusSource = Pick<TDeployment, 'state' | 'reason'> & {
  health?: TDeployment['health'];
  activeOperation?: TDeployment['activeOperation'];
};

export const TONE_LABELS: Record<TDeploymentTone, string> = {
  not_deployed: 'Not deployed',
  deploying: 'Deploying',
  running: 'Running',
  failing: 'Failing',
};

export const STATE_LABELS: Record<TDeploymentState, string> = {
  pending: 'Queued',
  provisioning: 'Provisioning',
  configuring: 'Configuring',
  running: 'Running',
  updating: 'Updating',
  failed: 'Failed',
  destroying: 'Destroying',
  destroyed: 'Destroyed',
};

const TONE_OF_STATE: Record<TDeploymentState, TDeploymentTone> = {
  pending: 'deploying',
  provisioning: 'deploying',
  configuring: 'deploying',
  updating: 'deploying',
  destroying: 'deploying',
  running: 'running',
  failed: 'failing',
  destroyed: 'not_deployed',
};

/** States in which an operation is on its way (the deployer refuses another one: 409). */
export const BUSY_STATES: ReadonlySet<TDeploymentState> = new Set([
  'pending',
  'provisioning',
  'configuring',
  'updating',
  'destroying',
]);

export interface TDeploymentStatusView {
  tone: TDeploymentTone;
  /** The state in words ("Provisioning", "Failed"…), or "Not deployed". */
  label: string;
  /** The raw state, or 'none' when the plan has no deployment. */
  state: TDeploymentState | 'none';
  /** Why it is red (or what the monitor says is wrong); null otherwise. */
  reason: string | null;
  /** One sentence for screen readers ("Status: Failed. disk full"). */
  announcement: string;
}

/**
 * A running deployment whose monitor says it is unhealthy is red too: the status never says
 * green while the last health check failed (the monitor normally moves it to `failed` itself).
 */
export function deploymentStatus(deployment: TStatusSource | null | undefined): TDeploymentStatusView {
  if (!deployment) {
    return {
      tone: 'not_deployed',
      label: TONE_LABELS.not_deployed,
      state: 'none',
      reason: null,
      announcement: 'Status: Not deployed',
    };
  }
  let tone = TONE_OF_STATE[deployment.state];
  let reason = deployment.reason;
  if (tone === 'running' && deployment.health && !deployment.health.ok) {
    tone = 'failing';
    reason = deployment.health.reason ?? reason ?? 'The last health check failed';
  }
  if (tone === 'failing' && !reason) reason = 'The deployment failed; no reason was recorded';
  if (tone !== 'failing') reason = null;
  const label = tone === 'failing' && deployment.state === 'running' ? 'Unhealthy' : STATE_LABELS[deployment.state];
  return {
    tone,
    label,
    state: deployment.state,
    reason,
    announcement: reason ? `Status: ${label}. ${reason}` : `Status: ${label}`,
  };
}

/** True while an operation is queued or running (Deploy and Destroy wait for it). */
export function isBusy(deployment: TStatusSource | null | undefined): boolean {
  if (!deployment) return false;
  return deployment.activeOperation != null || BUSY_STATES.has(deployment.state);
}

/** A deployment that exists (not destroyed): the next Deploy is a re-deploy in place. */
export function isLive(deployment: Pick<TDeployment, 'state'> | null | undefined): boolean {
  return deployment != null && deployment.state !== 'destroyed';
}

const OPERATION_WORDS: Record<TOperationKind, string> = {
  deploy: 'A deploy',
  redeploy: 'A re-deploy',
  destroy: 'A destroy',
};

/** "A re-deploy is in progress" for the disabled Deploy button's reason. */
export function busyReason(deployment: TStatusSource): string {
  const kind: TOperationKind =
    deployment.activeOperation?.kind ??
    (deployment.state === 'destroying' ? 'destroy' : deployment.state === 'updating' ? 'redeploy' : 'deploy');
  return `${OPERATION_WORDS[kind]} is in progress; wait for it to finish.`;
}

export interface THintInput {
  state: TDeploymentState;
  reason: string | null;
  /** The step that failed in the log (`configure`, `start`…), if any. */
  failedStep: string | null;
  /** The operation that failed (from the log), if known. */
  failedOperation?: TOperationKind | null;
  /** The monitor's verdict. */
  healthOk?: boolean | null;
}

// Local and AWS steps (apps/worker/src/deploy): the agent refusing a setting is a plan problem.
const PLAN_STEPS = new Set(['configure', 'verify', 'plan-change', 'validate', 'agent-applied']);
const MACHINE_STEPS = new Set([
  'allocate',
  'initdb',
  'start',
  'provision',
  'state-bucket',
  'security-group',
  'agent-profile',
  'launch',
  'wait-running',
  'resize',
  'volume',
  'replace-terminate',
]);
const DESTROY_STEPS = new Set([
  'unmonitor',
  'stop',
  'remove',
  'forget-secret',
  'terminate',
  'security-group-delete',
  'agent-profile-delete',
]);

/**
 * What to do about a red deployment, as one sentence ("failed at configure: …" → fix the plan
 * and deploy again). Null when nothing is wrong.
 */
export function failureHint(input: THintInput): string | null {
  const failing = input.state === 'failed' || (input.state === 'running' && input.healthOk === false);
  if (!failing) return null;
  const reason = (input.reason ?? '').toLowerCase();
  const step = input.failedStep;
  if (input.failedOperation === 'destroy' || (step && DESTROY_STEPS.has(step))) {
    return 'Destroy again: every step checks what is already gone, so it continues where it stopped.';
  }
  if (reason.includes('could not be queued') || reason.includes('queue')) {
    return 'Nothing was changed. Try again in a moment.';
  }
  if (reason.includes('cannot be deployed') || (step && PLAN_STEPS.has(step))) {
    return 'Fix the plan (see the message above), save it and deploy again.';
  }
  if (step && MACHINE_STEPS.has(step)) {
    return 'The server could not be created. Check the message above, then deploy again: finished steps are not repeated.';
  }
  if (!step && !input.failedOperation) {
    return 'The server stopped answering its health checks. It turns green by itself when it answers again; deploy again to repair it.';
  }
  return 'Deploy again; if it fails the same way, check the plan against the message above.';
}

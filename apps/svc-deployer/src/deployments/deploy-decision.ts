import type { TDeploymentState, TDeployTargetKind } from '@elasticdash/contracts/deployer/deployment';
import type { TCsJsonDocument, TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { planComponentChange, type TChangePlan } from '@elasticdash/pg-knowledge/deploy/change-plan';

/** What is known of the plan's deployment when a deploy is requested. */
export interface TExistingDeployment {
  state: TDeploymentState;
  target: TDeployTargetKind;
  componentId: string;
  /** The document of the last successful deploy (what is running). */
  deployedDocument: TCsJsonDocument | null;
}

export type TDeployDecision =
  /** Nothing is running: create it (a first deploy, after a destroy, or after a first deploy that failed). */
  | { outcome: 'deploy'; state: 'pending' }
  /** Something is running: change it in place. */
  | { outcome: 'redeploy'; state: 'updating'; change: TChangePlan }
  /** The change would replace the server or lose data and was not confirmed. */
  | { outcome: 'refused'; change: TChangePlan }
  /** A live deployment cannot move to another target; it must be destroyed first. */
  | { outcome: 'target-mismatch'; current: TDeployTargetKind };

/** The component of the deployed document that `componentId` names (v1: the first one). */
function deployedComponent(existing: TExistingDeployment): TPostgresComponent | undefined {
  const components = existing.deployedDocument?.components ?? [];
  return components.find((component) => component.id === existing.componentId) ?? components[0];
}

/**
 * Deploy or re-deploy, decided from the deployment row alone (pure). A re-deploy compares the
 * deployed component with the new one: an unchanged plan is still re-applied (cheap, and it
 * repairs drift); destructive changes need `confirmDestructive`.
 */
export function decideDeploy(
  existing: TExistingDeployment | undefined,
  next: TPostgresComponent,
  target: TDeployTargetKind,
  confirmDestructive: boolean,
): TDeployDecision {
  if (!existing || existing.state === 'destroyed') return { outcome: 'deploy', state: 'pending' };
  if (existing.target !== target) return { outcome: 'target-mismatch', current: existing.target };
  const before = deployedComponent(existing);
  if (!before) return { outcome: 'deploy', state: 'pending' };
  const change = planComponentChange(before, next, { confirmDestructive });
  if (change.refused) return { outcome: 'refused', change };
  return { outcome: 'redeploy', state: 'updating', change };
}

import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  type IAMClient,
  type InstanceProfile,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import type { TIamPolicy } from '@elasticdash/pg-knowledge/deploy/aws-json';
import { StepError } from '../deploy.processor.js';
import { awsErrorName, verdictFor } from './aws-errors.js';
import { DEFAULT_RETRY, type RetryPolicy, withThrottlingRetry } from './retry.js';

/** The inline policy's name on the agent's role (one per role: PutRolePolicy replaces it). */
export const AGENT_POLICY_NAME = 'elasticdash-agent';

/** Only EC2 may assume the agent's role (the instance profile hands it to the instance). */
export const EC2_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
} as const;

/**
 * Role and instance profile of one deployment's agent: `elasticdash-agent-<deployment id, 32 hex>`
 * (≤ 64 characters, `[\w+=,.@-]`). One per deployment, so its inline policy can be least privilege:
 * only that deployment's desired config, status object and backup prefix (aws-json's requiredIamPolicy).
 */
export function agentProfileName(deploymentId: string): string {
  return `elasticdash-agent-${deploymentId.replace(/-/g, '').toLowerCase()}`;
}

export interface AgentProfileResult {
  createdRole: boolean;
  createdProfile: boolean;
  arn: string | null;
}

const isNoSuchEntity = (error: unknown) => ['NoSuchEntity', 'NoSuchEntityException'].includes(awsErrorName(error));
const isAlreadyExists = (error: unknown) =>
  ['EntityAlreadyExists', 'EntityAlreadyExistsException'].includes(awsErrorName(error));
const isLimitExceeded = (error: unknown) => ['LimitExceeded', 'LimitExceededException'].includes(awsErrorName(error));

/**
 * IAM for the agent, in the tenant's account. Every call looks before it creates (by name), and
 * losing a create race (EntityAlreadyExists) counts as found, so a step re-run after a crash
 * changes nothing. Throttling is retried; verdicts (AccessDenied…) become a StepError.
 */
export class IamProvisioner {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly iam: IAMClient,
    options: { retry?: RetryPolicy } = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  private async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withThrottlingRetry(fn, this.retry);
    } catch (error) {
      const verdict = verdictFor(error, { action, region: 'global' });
      if (verdict) throw new StepError(`${verdict.reason}: ${verdict.hint}`, { cause: error });
      throw error;
    }
  }

  /** Role (EC2 trust) + inline policy (always written: the backup target may have changed) + instance profile with the role. */
  async ensureAgentProfile(
    name: string,
    policy: TIamPolicy,
    tags: Record<string, string>,
  ): Promise<AgentProfileResult> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    let createdRole = false;
    if (!(await this.role(name))) {
      try {
        await this.call('iam:CreateRole', () =>
          this.iam.send(
            new CreateRoleCommand({
              RoleName: name,
              AssumeRolePolicyDocument: JSON.stringify(EC2_TRUST_POLICY),
              Description:
                'ElasticDash agent of one deployment: reads its desired config, writes its status and backups',
              Tags,
            }),
          ),
        );
        createdRole = true;
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
    await this.call('iam:PutRolePolicy', () =>
      this.iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: AGENT_POLICY_NAME,
          PolicyDocument: JSON.stringify(policy),
        }),
      ),
    );

    let createdProfile = false;
    let profile = await this.profile(name);
    if (!profile) {
      try {
        const out = await this.call('iam:CreateInstanceProfile', () =>
          this.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Tags })),
        );
        profile = out.InstanceProfile ?? null;
        createdProfile = true;
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        profile = await this.profile(name);
      }
    }
    if (!profile?.Roles?.some((role) => role.RoleName === name)) {
      try {
        await this.call('iam:AddRoleToInstanceProfile', () =>
          this.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name })),
        );
      } catch (error) {
        // A profile holds one role: it is already there (a create race), or someone attached another.
        if (!isLimitExceeded(error)) throw error;
        const now = await this.profile(name);
        if (!now?.Roles?.some((role) => role.RoleName === name)) {
          throw new StepError(
            `the instance profile ${name} holds another role (${now?.Roles?.map((r) => r.RoleName).join(', ') ?? '?'}): remove it in the IAM console`,
            { cause: error },
          );
        }
      }
    }
    return { createdRole, createdProfile, arn: profile?.Arn ?? null };
  }

  /** Instance profile (role removed first), inline policy, role; each absent part is skipped. */
  async deleteAgentProfile(name: string): Promise<'deleted' | 'absent'> {
    let deleted = false;
    const profile = await this.profile(name);
    if (profile) {
      for (const role of profile.Roles ?? []) {
        await this.ignoreMissing(() =>
          this.call('iam:RemoveRoleFromInstanceProfile', () =>
            this.iam.send(
              new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role.RoleName }),
            ),
          ),
        );
      }
      deleted =
        (await this.ignoreMissing(() =>
          this.call('iam:DeleteInstanceProfile', () =>
            this.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name })),
          ),
        )) || deleted;
    }
    if (await this.role(name)) {
      await this.ignoreMissing(() =>
        this.call('iam:DeleteRolePolicy', () =>
          this.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: AGENT_POLICY_NAME })),
        ),
      );
      deleted =
        (await this.ignoreMissing(() =>
          this.call('iam:DeleteRole', () => this.iam.send(new DeleteRoleCommand({ RoleName: name }))),
        )) || deleted;
    }
    return deleted ? 'deleted' : 'absent';
  }

  private async role(name: string): Promise<boolean> {
    try {
      await this.call('iam:GetRole', () => this.iam.send(new GetRoleCommand({ RoleName: name })));
      return true;
    } catch (error) {
      if (isNoSuchEntity(error)) return false;
      throw error;
    }
  }

  private async profile(name: string): Promise<InstanceProfile | null> {
    try {
      const out = await this.call('iam:GetInstanceProfile', () =>
        this.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
      );
      return out.InstanceProfile ?? null;
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  }

  /** True when the call did it; false when the entity was already gone (a resumed destroy). */
  private async ignoreMissing(fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (error) {
      if (isNoSuchEntity(error)) return false;
      throw error;
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  type TPlan,
  type TPlanValidity,
  ZPlanResponse,
  ZPlanRevisionResponse,
} from '@elasticdash/contracts/plans/plan';
import { notFound } from '@elasticdash/service-kit/errors';
import { validatePlan } from '@elasticdash/pg-knowledge/validate';
import type { z } from 'zod';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';
import { forwardedRequest, type TForwardedCaller } from './forwarded-request.js';
export const PLAN_NOT_FOUND = 'Plan not found';

/** What a deploy needs from svc-plans: the plan, and the document of the revision to deploy with its validity. */
export interface TPlanSnapshot {
  plan: TPlan;
  revision: number;
  document: TCsJsonDocument;
  validity: TPlanValidity;
}

/**
 * Reads plans from svc-plans on the caller's behalf. svc-plans scopes by the tenant in the
 * token, so another workspace's plan is a 404 here too. Its error bodies are never passed on.
 */
@Injectable()
export class PlansClient {
  private readonly logger = new Logger('PlansClient');
  private readonly baseUrl: string;

  constructor(@Inject(DEPLOYER_ENV) env: TDeployerEnv) {
    this.baseUrl = env.SVC_PLANS_URL.replace(/\/+$/, '');
  }

  async snapshot(caller: TForwardedCaller, planId: string, revision?: number): Promise<TPlanSnapshot> {
    const { plan } = await this.get(caller, `/v1/plans/${planId}`, ZPlanResponse, PLAN_NOT_FOUND);
    if (revision === undefined || revision === plan.revision) {
      return { plan, revision: plan.revision, document: plan.document, validity: plan.validity };
    }
    if (revision > plan.revision)
      throw notFound(`This plan has no revision ${revision} (the latest is ${plan.revision})`);
    const answer = await this.get(
      caller,
      `/v1/plans/${planId}/revisions/${revision}`,
      ZPlanRevisionResponse,
      `This plan has no revision ${revision}`,
    );
    // Judged by today's rules, exactly as svc-plans judges the latest revision.
    const { errors, warnings } = validatePlan(answer.document);
    return {
      plan,
      revision: answer.revision.revision,
      document: answer.document,
      validity: { valid: errors.length === 0, errors, warnings },
    };
  }

  private get<TSchema extends z.ZodType>(
    caller: TForwardedCaller,
    path: string,
    schema: TSchema,
    notFoundMessage: string,
  ): Promise<z.infer<TSchema>> {
    return forwardedRequest(caller, {
      service: 'plans',
      baseUrl: this.baseUrl,
      method: 'GET',
      path,
      schema,
      notFoundMessage,
      logger: this.logger,
    });
  }
}

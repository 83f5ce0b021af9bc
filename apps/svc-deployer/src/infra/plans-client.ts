import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  type TPlan,
  type TPlanValidity,
  ZPlanResponse,
  ZPlanRevisionResponse,
} from '@elasticdash/contracts/plans/plan';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';
import { AppError, notFound, serviceUnavailable } from '@elasticdash/service-kit/errors';
import { validatePlan } from '@elasticdash/pg-knowledge/validate';
import type { z } from 'zod';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';

const TIMEOUT_MS = 5_000;
export const PLAN_NOT_FOUND = 'Plan not found';

/** What a deploy needs from svc-plans: the plan, and the document of the revision to deploy with its validity. */
export interface TPlanSnapshot {
  plan: TPlan;
  revision: number;
  document: TCsJsonDocument;
  validity: TPlanValidity;
}

/** Who is calling: the caller's own token (signed for svc-plans too) and request id. */
export interface TForwardedCaller {
  token: string;
  requestId: string;
}

/** The plans service answered something we cannot use (refused the token, broke its contract). */
const badGateway = (message: string) => new AppError(502, 'bad_gateway', message);

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

  private async get<TSchema extends z.ZodType>(
    caller: TForwardedCaller,
    path: string,
    schema: TSchema,
    notFoundMessage: string,
  ): Promise<z.infer<TSchema>> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        headers: { [INTERNAL_CONTEXT_HEADER]: caller.token, [REQUEST_ID_HEADER]: caller.requestId },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn(`svc-plans unreachable: ${error instanceof Error ? error.message : String(error)}`);
      throw serviceUnavailable('The plans service is unavailable; try again shortly');
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw notFound(notFoundMessage);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      this.logger.warn(`svc-plans refused the forwarded token (${response.status})`);
      throw badGateway(
        'The plans service refused to share this plan with the deployer (the request was not authorised for svc-plans); deploy through the gateway',
      );
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      this.logger.warn(`svc-plans answered ${response.status}`);
      throw serviceUnavailable('The plans service is unavailable; try again shortly');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const parsed = response.ok ? schema.safeParse(body) : undefined;
    if (!parsed?.success) {
      this.logger.warn(`svc-plans answered ${response.status} with an unexpected body`);
      throw badGateway('The plans service gave an unexpected answer; try again or contact support');
    }
    return parsed.data as z.infer<TSchema>;
  }
}

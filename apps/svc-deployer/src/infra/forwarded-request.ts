import type { Logger } from '@nestjs/common';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';
import { AppError, notFound, serviceUnavailable } from '@elasticdash/service-kit/errors';
import type { z } from 'zod';

const TIMEOUT_MS = 5_000;

/** Who is calling: the caller's own token (signed for the other service too) and request id. */
export interface TForwardedCaller {
  token: string;
  requestId: string;
}

/** The other service answered something we cannot use (refused the token, broke its contract). */
export const badGateway = (message: string) => new AppError(502, 'bad_gateway', message);

export interface ForwardedRequest<TSchema extends z.ZodType> {
  /** e.g. "plans": used in messages ("The plans service is unavailable…"). */
  service: string;
  baseUrl: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  schema: TSchema;
  notFoundMessage: string;
  /** Statuses whose error message is passed on to the caller as is (e.g. 409 from a create). */
  passThrough?: readonly number[];
  logger: Logger;
}

/**
 * One call to another service on the caller's behalf, with the caller's token: that service
 * scopes by the tenant in the token and checks the role itself. Its error bodies are never passed
 * on, except the messages of `passThrough` statuses, which are written for users.
 */
export async function forwardedRequest<TSchema extends z.ZodType>(
  caller: TForwardedCaller,
  request: ForwardedRequest<TSchema>,
): Promise<z.infer<TSchema>> {
  const { service, logger } = request;
  let response: Response;
  try {
    response = await fetch(request.baseUrl + request.path, {
      method: request.method,
      headers: {
        [INTERNAL_CONTEXT_HEADER]: caller.token,
        [REQUEST_ID_HEADER]: caller.requestId,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    logger.warn(`svc-${service} unreachable: ${error instanceof Error ? error.message : String(error)}`);
    throw serviceUnavailable(`The ${service} service is unavailable; try again shortly`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw notFound(request.notFoundMessage);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    logger.warn(`svc-${service} refused the forwarded token (${response.status})`);
    throw badGateway(
      `The ${service} service refused this request from the deployer (it was not authorised for svc-${service}); use the gateway`,
    );
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    logger.warn(`svc-${service} answered ${response.status}`);
    throw serviceUnavailable(`The ${service} service is unavailable; try again shortly`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok && request.passThrough?.includes(response.status)) {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (typeof error?.message === 'string' && typeof error.code === 'string') {
      throw new AppError(response.status, error.code, error.message, error.details);
    }
  }
  const parsed = response.ok ? request.schema.safeParse(body) : undefined;
  if (!parsed?.success) {
    logger.warn(`svc-${service} answered ${response.status} with an unexpected body`);
    throw badGateway(`The ${service} service gave an unexpected answer; try again or contact support`);
  }
  return parsed.data as z.infer<TSchema>;
}

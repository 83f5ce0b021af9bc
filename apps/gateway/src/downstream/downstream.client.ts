import {
  INTERNAL_CONTEXT_HEADER,
  REQUEST_ID_HEADER,
  type TInternalContext,
} from '@elasticdash/contracts/platform/internal-context';
import type { InternalTokenSigner } from '@elasticdash/service-kit/internal-token';
import type { z } from 'zod';
import type { DownstreamService } from './services.js';

/** A downstream answer that is not 2xx: status plus the error body the service sent. */
export class DownstreamError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {
    super(`downstream answered ${status}`);
  }
}

/** The service could not be reached at all (refused, reset, timed out). */
export class DownstreamUnavailableError extends Error {
  constructor(
    readonly service: DownstreamService,
    cause: unknown,
  ) {
    super(`${service.audience} is unavailable`, { cause });
  }
}

/** JSON calls from the gateway itself to a service, signed with an internal context token. */
export class DownstreamClient {
  constructor(private readonly signer: InternalTokenSigner) {}

  async call<T extends z.ZodType>(
    service: DownstreamService,
    method: 'GET' | 'POST',
    path: string,
    context: TInternalContext,
    responseSchema: T | null,
    body?: unknown,
  ): Promise<z.infer<T>> {
    const token = await this.signer.sign(service.audience, context);
    let response: Response;
    try {
      response = await fetch(service.baseUrl + path, {
        method,
        headers: {
          [INTERNAL_CONTEXT_HEADER]: token,
          [REQUEST_ID_HEADER]: context.requestId,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new DownstreamUnavailableError(service, error);
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new DownstreamError(response.status, parsed, response.headers);
    return responseSchema ? responseSchema.parse(parsed) : (parsed as z.infer<T>);
  }
}

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { INTERNAL_CONTEXT_HEADER } from '@elasticdash/contracts/platform/internal-context';
import { unauthenticated } from '@elasticdash/service-kit/errors';
import type { FastifyRequest } from 'fastify';

/**
 * The caller's raw internal context token (already verified by the global guard). Routes whose
 * contract lists `calls` get a token signed for those services too, so it is forwarded as is:
 * svc-deployer never mints tokens.
 */
export const InternalToken = createParamDecorator((_: unknown, execution: ExecutionContext): string => {
  const header = execution.switchToHttp().getRequest<FastifyRequest>().headers[INTERNAL_CONTEXT_HEADER];
  if (typeof header !== 'string' || header.length === 0) throw unauthenticated();
  return header;
});

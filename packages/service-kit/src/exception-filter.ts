import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode, type TErrorResponse, toFieldIssues } from '@elasticdash/contracts/platform/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { isConnectionError } from '@elasticdash/db/errors';
import { AppError } from './errors.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.badRequest,
  401: ErrorCode.unauthenticated,
  403: ErrorCode.forbidden,
  404: ErrorCode.notFound,
  409: ErrorCode.conflict,
  413: ErrorCode.payloadTooLarge,
  415: ErrorCode.badRequest,
  429: ErrorCode.rateLimited,
  503: ErrorCode.unavailable,
};

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/**
 * drizzle wraps driver errors in DrizzleQueryError, whose message embeds every bound
 * parameter (emails, hashes) and hides the SQLSTATE; answer and log the driver's own error.
 */
export function unwrapQueryError(error: unknown): unknown {
  if (error instanceof Error && error.name === 'DrizzleQueryError' && error.cause) return error.cause;
  if (error instanceof Error && error.constructor.name === 'DrizzleQueryError' && error.cause) return error.cause;
  return error;
}

export function mapError(thrown: unknown): Mapped {
  const error = unwrapQueryError(thrown);
  if (error instanceof AppError) {
    return {
      status: error.getStatus(),
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
    };
  }
  if (error instanceof ZodError) {
    return {
      status: 400,
      code: ErrorCode.validation,
      message: 'Request validation failed',
      details: { issues: toFieldIssues(error.issues) },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const message = status === 404 ? 'No such route' : error.message;
    return {
      status,
      code: CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.internal : ErrorCode.badRequest),
      message,
    };
  }
  if (isConnectionError(error)) {
    return { status: 503, code: ErrorCode.unavailable, message: 'A dependency is unavailable, try again shortly' };
  }
  // Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      code: CODE_BY_STATUS[statusCode] ?? ErrorCode.badRequest,
      message: (error as Error).message,
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    code: ErrorCode.internal,
    message: 'Something went wrong on our side',
  };
}

/** Renders every error as `{ error: { code, message, details?, requestId } }`. */
@Catch()
export class ErrorShapeFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = mapError(error);
    if (mapped.status >= 500) {
      this.logger.error({ err: unwrapQueryError(error), status: mapped.status }, 'request failed');
    }
    const body: TErrorResponse = {
      error: {
        code: mapped.code,
        message: mapped.message,
        ...(mapped.details === undefined ? {} : { details: mapped.details }),
        requestId: String(request.id),
      },
    };
    if (reply.sent) return;
    void reply
      .status(mapped.status)
      .headers(mapped.headers ?? {})
      .send(body);
  }
}

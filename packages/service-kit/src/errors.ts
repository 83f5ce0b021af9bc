import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode, type TErrorCode, type TFieldIssue } from '@elasticdash/contracts/platform/errors';

/** An error that maps to one HTTP answer in the shared error shape. */
export class AppError extends HttpException {
  constructor(
    status: number,
    readonly code: TErrorCode | string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(HttpStatus.BAD_REQUEST, ErrorCode.badRequest, message, details);
export const validationFailed = (issues: TFieldIssue[], message = 'Request validation failed') =>
  new AppError(HttpStatus.BAD_REQUEST, ErrorCode.validation, message, { issues });
export const unauthenticated = (message = 'Sign in to continue') =>
  new AppError(HttpStatus.UNAUTHORIZED, ErrorCode.unauthenticated, message);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError(HttpStatus.FORBIDDEN, ErrorCode.forbidden, message);
export const notFound = (message = 'Not found') => new AppError(HttpStatus.NOT_FOUND, ErrorCode.notFound, message);
export const conflict = (message: string, details?: unknown) =>
  new AppError(HttpStatus.CONFLICT, ErrorCode.conflict, message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(
    HttpStatus.TOO_MANY_REQUESTS,
    ErrorCode.rateLimited,
    message,
    { retryAfterSeconds },
    {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    },
  );
export const serviceUnavailable = (message: string) =>
  new AppError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.unavailable, message);

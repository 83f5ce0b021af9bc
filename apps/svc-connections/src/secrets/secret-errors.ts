import { SecretDecryptError } from '@elasticdash/service-kit/secrets/envelope';
import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@elasticdash/contracts/platform/errors';
import { AppError } from '@elasticdash/service-kit/errors';
import { SecretNotFoundError, SecretStoreError } from './secret-store.js';

/** Maps secret-store failures to answers a person can act on; other errors pass through. */
export function secretFailure(error: unknown): unknown {
  if (error instanceof SecretNotFoundError || error instanceof SecretDecryptError) {
    return new AppError(
      HttpStatus.CONFLICT,
      'secret_unavailable',
      'The stored password of this connection cannot be read; edit the connection and enter its password again',
    );
  }
  if (error instanceof SecretStoreError) {
    return new AppError(
      HttpStatus.SERVICE_UNAVAILABLE,
      ErrorCode.unavailable,
      'The secret store is unavailable, try again shortly',
    );
  }
  return error;
}

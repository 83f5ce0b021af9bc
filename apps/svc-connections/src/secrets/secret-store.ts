/**
 * Where connection passwords live. Our tables keep only the reference `put` returns.
 * Implementations: `LocalSecretStore` (default; envelope encryption in our schema) and
 * `AwsSecretStore` (AWS Secrets Manager), chosen by `SECRET_STORE`.
 */
export interface SecretStore {
  /** Stores a new secret for a connection and returns its reference. */
  put(input: { tenantId: string; connectionId: string; value: string }): Promise<string>;
  /** The secret's value; throws SecretNotFoundError when the reference is unknown. */
  get(ref: string): Promise<string>;
  /** Replaces the value (a new password); throws SecretNotFoundError when the reference is unknown. */
  rotate(ref: string, value: string): Promise<void>;
  /** Removes the secret; a reference that is already gone is not an error. */
  delete(ref: string): Promise<void>;
}

export const SECRET_STORE = Symbol('SECRET_STORE');

/** The reference points at no secret (deleted, or never stored). */
export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
  constructor(message = 'secret not found', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The store itself failed (unreachable, throttled, denied). Never carries a secret value. */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

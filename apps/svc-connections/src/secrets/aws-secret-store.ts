import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError, type SecretStore, SecretStoreError } from './secret-store.js';

/** Days AWS keeps a deleted secret recoverable. */
export const AWS_RECOVERY_WINDOW_DAYS = 7;

/** Maps an SDK error to ours; AWS error messages never contain the secret value. */
function mapAwsError(error: unknown, action: string): Error {
  const name = (error as { name?: unknown } | null)?.name;
  const message = (error as { message?: unknown } | null)?.message;
  const scheduledForDeletion =
    name === 'InvalidRequestException' &&
    typeof message === 'string' &&
    /(marked|scheduled) for deletion/i.test(message);
  if (name === 'ResourceNotFoundException' || scheduledForDeletion) {
    return new SecretNotFoundError(`secret not found (${action})`, { cause: error });
  }
  const detail = typeof name === 'string' ? name : 'unknown error';
  return new SecretStoreError(`AWS Secrets Manager ${action} failed: ${detail}`, { cause: error });
}

/**
 * AWS Secrets Manager: one secret per connection, named
 * `<prefix>/<tenantId>/connections/<connectionId>` and tagged with the tenant and connection,
 * so IAM policies and cost reports can scope by tenant. The reference is the secret's ARN.
 */
export class AwsSecretStore implements SecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  secretName(tenantId: string, connectionId: string): string {
    return `${this.prefix}/${tenantId}/connections/${connectionId}`;
  }

  async put(input: { tenantId: string; connectionId: string; value: string }): Promise<string> {
    try {
      const output = await this.client.send(
        new CreateSecretCommand({
          Name: this.secretName(input.tenantId, input.connectionId),
          Description: 'ElasticDash: password of a customer database connection',
          SecretString: input.value,
          Tags: [
            { Key: 'tenant-id', Value: input.tenantId },
            { Key: 'connection-id', Value: input.connectionId },
            { Key: 'managed-by', Value: 'elasticdash' },
          ],
        }),
      );
      if (!output.ARN) throw new SecretStoreError('AWS Secrets Manager CreateSecret returned no ARN');
      return output.ARN;
    } catch (error) {
      if (error instanceof SecretStoreError) throw error;
      throw mapAwsError(error, 'CreateSecret');
    }
  }

  async get(ref: string): Promise<string> {
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: ref }))).SecretString;
    } catch (error) {
      throw mapAwsError(error, 'GetSecretValue');
    }
    if (value === undefined) throw new SecretStoreError('AWS Secrets Manager secret has no string value');
    return value;
  }

  async rotate(ref: string, value: string): Promise<void> {
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: ref, SecretString: value }));
    } catch (error) {
      throw mapAwsError(error, 'PutSecretValue');
    }
  }

  /**
   * Schedules deletion with a recovery window. (`ForceDeleteWithoutRecovery` is left unset,
   * i.e. false: AWS rejects a call that sets it together with `RecoveryWindowInDays`.)
   */
  async delete(ref: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteSecretCommand({ SecretId: ref, RecoveryWindowInDays: AWS_RECOVERY_WINDOW_DAYS }),
      );
    } catch (error) {
      const mapped = mapAwsError(error, 'DeleteSecret');
      if (mapped instanceof SecretNotFoundError) return;
      throw mapped;
    }
  }
}

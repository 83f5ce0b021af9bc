import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSecretStore } from './aws-secret-store.js';
import { SecretNotFoundError, SecretStoreError } from './secret-store.js';

const sm = mockClient(SecretsManagerClient);
const tenantId = '3f2c1a9e-4b7d-4e0a-9c1b-2d3e4f5a6b7c';
const connectionId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticdash/${tenantId}/connections/${connectionId}-AbCdEf`;

function store(prefix = 'elasticdash') {
  return new AwsSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }), prefix);
}

const notFound = () =>
  new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });

afterEach(() => sm.reset());

describe('AwsSecretStore', () => {
  it('creates one secret per connection, named and tagged by tenant and connection, and returns its ARN', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN: arn, Name: 'x' });
    expect(await store('acme-prod').put({ tenantId, connectionId, value: 'pw-1' })).toBe(arn);
    const calls = sm.commandCalls(CreateSecretCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      Name: `acme-prod/${tenantId}/connections/${connectionId}`,
      SecretString: 'pw-1',
      Tags: expect.arrayContaining([
        { Key: 'tenant-id', Value: tenantId },
        { Key: 'connection-id', Value: connectionId },
      ]),
    });
  });

  it('uses the default prefix "elasticdash"', () => {
    expect(store().secretName(tenantId, connectionId)).toBe(`elasticdash/${tenantId}/connections/${connectionId}`);
  });

  it('reads the value by reference', async () => {
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: 'pw-1' });
    expect(await store().get(arn)).toBe('pw-1');
  });

  it('rotates with PutSecretValue', async () => {
    sm.on(PutSecretValueCommand).resolves({});
    await store().rotate(arn, 'pw-2');
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: arn, SecretString: 'pw-2' });
  });

  it('deletes with a 7-day recovery window (never forced), and a missing secret is not an error', async () => {
    sm.on(DeleteSecretCommand).resolvesOnce({}).rejectsOnce(notFound());
    await store().delete(arn);
    await store().delete(arn);
    const input = sm.commandCalls(DeleteSecretCommand)[0]?.args[0].input;
    expect(input).toEqual({ SecretId: arn, RecoveryWindowInDays: 7 });
    expect(input?.ForceDeleteWithoutRecovery).toBeFalsy();
  });

  it('maps ResourceNotFoundException (and a secret scheduled for deletion) to SecretNotFoundError', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(notFound());
    await expect(store().get(arn)).rejects.toBeInstanceOf(SecretNotFoundError);
    sm.on(PutSecretValueCommand).rejects(notFound());
    await expect(store().rotate(arn, 'pw')).rejects.toBeInstanceOf(SecretNotFoundError);
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(
      new InvalidRequestException({
        message: "You can't perform this operation on the secret because it was marked for deletion.",
        $metadata: {},
      }),
    );
    await expect(store().get(arn)).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('maps other failures to SecretStoreError without the value in the message', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform secretsmanager:CreateSecret'), {
      name: 'AccessDeniedException',
    });
    sm.on(CreateSecretCommand).rejects(denied);
    const error = await store()
      .put({ tenantId, connectionId, value: 'very-secret-value' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect((error as Error).message).toBe('AWS Secrets Manager CreateSecret failed: AccessDeniedException');
    expect((error as Error).message).not.toContain('very-secret-value');
  });

  it('refuses a secret without a string value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(store().get(arn)).rejects.toBeInstanceOf(SecretStoreError);
  });
});

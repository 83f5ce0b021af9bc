import { DescribeAvailabilityZonesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IAM_PROBE_ROLE, SdkAwsCredentialChecker } from './aws-credential-checker.js';

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const ROLE = 'arn:aws:iam::123456789012:role/ElasticDashDeployer';
const EXTERNAL_ID = 'ext-id-that-must-stay-secret';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function awsError(name: string, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

beforeEach(() => {
  // IAM allows the agents' roles: the probe role simply does not exist.
  iam
    .on(GetRoleCommand)
    .rejects(awsError('NoSuchEntityException', `The role with name ${IAM_PROBE_ROLE} cannot be found.`));
});
afterEach(() => {
  sts.reset();
  ec2.reset();
  iam.reset();
});

describe('SdkAwsCredentialChecker', () => {
  const checker = new SdkAwsCredentialChecker();

  it('assumes the role with the external id, then describes the zones with the assumed keys', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIATESTTESTTEST1234',
        SecretAccessKey: 'assumed-secret',
        SessionToken: 'session',
        Expiration: new Date(Date.now() + 900_000),
      },
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::123456789012:assumed-role/ElasticDashDeployer/elasticdash-check',
        AssumedRoleId: 'x',
      },
    });
    ec2
      .on(DescribeAvailabilityZonesCommand)
      .resolves({ AvailabilityZones: [{ ZoneName: 'eu-west-1a' }, { ZoneName: 'eu-west-1b' }] });

    const result = await checker.check({
      region: 'eu-west-1',
      credentials: { kind: 'role', roleArn: ROLE, externalId: EXTERNAL_ID },
    });

    expect(result).toEqual({
      ok: true,
      message:
        "assumed the role; ec2:DescribeAvailabilityZones sees 2 zones in eu-west-1; IAM allows managing the agent's role",
      accountId: '123456789012',
    });
    // IAM is probed with the assumed keys, on a name under the agents' prefix.
    const probe = iam.commandCalls(GetRoleCommand);
    expect(probe.map((call) => call.args[0].input)).toEqual([{ RoleName: 'elasticdash-agent-permission-check' }]);
    expect((await (probe[0]?.thisValue as IAMClient).config.credentials()).accessKeyId).toBe('ASIATESTTESTTEST1234');
    const assume = sts.commandCalls(AssumeRoleCommand);
    expect(assume).toHaveLength(1);
    expect(assume[0]?.args[0].input).toMatchObject({
      RoleArn: ROLE,
      ExternalId: EXTERNAL_ID,
      RoleSessionName: 'elasticdash-check',
    });
    const describeCalls = ec2.commandCalls(DescribeAvailabilityZonesCommand);
    expect(describeCalls).toHaveLength(1);
    // The EC2 client signs with the assumed role's keys, not the platform's.
    const creds = await (describeCalls[0]?.thisValue as EC2Client).config.credentials();
    expect(creds.accessKeyId).toBe('ASIATESTTESTTEST1234');
  });

  it('names the trust policy when AssumeRole is denied, and never echoes the external id', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform sts:AssumeRole'));
    const result = await checker.check({
      region: 'eu-west-1',
      credentials: { kind: 'role', roleArn: ROLE, externalId: EXTERNAL_ID },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^AccessDenied: the platform cannot assume .*trust policy/);
    expect(result.message).not.toContain(EXTERNAL_ID);
    expect(ec2.commandCalls(DescribeAvailabilityZonesCommand)).toHaveLength(0);
  });

  it('explains UnauthorizedOperation on the EC2 call for an access key', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/x' });
    ec2.on(DescribeAvailabilityZonesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized'));
    const result = await checker.check({
      region: 'us-east-1',
      credentials: { kind: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
    });
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^UnauthorizedOperation: the access key cannot call ec2:DescribeAvailabilityZones/,
      ),
    });
    expect(result.message).not.toContain(SECRET);
  });

  it('says when the credentials may not manage the agent role in IAM', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/x' });
    ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: 'us-east-1a' }] });
    iam
      .on(GetRoleCommand)
      .rejects(awsError('AccessDeniedException', 'User x is not authorized to perform iam:GetRole'));
    const result = await checker.check({
      region: 'us-east-1',
      credentials: { kind: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
    });
    expect(result).toEqual({
      ok: false,
      message:
        "AccessDenied: the access key may not manage the agent's IAM role (iam:GetRole on role/elasticdash-agent-*): grant the IAM part of the deployer policy (docs/deployer.md)",
    });
  });

  it('says when the secret does not match the key id', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('SignatureDoesNotMatch'));
    const result = await checker.check({
      region: 'us-east-1',
      credentials: { kind: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^SignatureDoesNotMatch: the secret access key does not belong/);
  });
});

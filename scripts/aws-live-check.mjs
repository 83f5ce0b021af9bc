// `pnpm test:aws-live`: an opt-in check of the AWS target against a real account (never part of `pnpm test`).
//  1. refuses (exit 1) unless AWS credentials are in the environment (AWS_ACCESS_KEY_ID +
//     AWS_SECRET_ACCESS_KEY, or AWS_PROFILE / AWS_WEB_IDENTITY_TOKEN_FILE);
//  2. "check credentials" as svc-deployer does it: AssumeRole (when ELASTICDASH_AWS_ROLE_ARN and
//     ELASTICDASH_AWS_EXTERNAL_ID are set) or GetCallerIdentity, then ec2:DescribeAvailabilityZones;
//  3. a dry-run RunInstances (DryRun: true: nothing is created or billed) of the example plan's
//     aws-json in the default VPC's default security group: DryRunOperation means the call would
//     have succeeded; anything else is printed with its AWS error code.
// Env: AWS_REGION (default eu-west-1). Needs `pnpm build` (contracts + pg-knowledge dist).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The AWS SDK is a dependency of the worker, not of the root package.
const requireFromWorker = createRequire(path.join(repoRoot, 'apps/worker/package.json'));
const env = process.env;

const hasCredentials =
  Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
  Boolean(env.AWS_PROFILE) ||
  Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE);
if (!hasCredentials) {
  console.error(
    'aws-live-check: no AWS credentials in the environment. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
      '(or AWS_PROFILE) of a test account, optionally ELASTICDASH_AWS_ROLE_ARN + ELASTICDASH_AWS_EXTERNAL_ID, and AWS_REGION.',
  );
  process.exit(1);
}

const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'eu-west-1';
const { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } = requireFromWorker('@aws-sdk/client-sts');
const {
  EC2Client,
  DescribeAvailabilityZonesCommand,
  DescribeVpcsCommand,
  DescribeSecurityGroupsCommand,
  RunInstancesCommand,
} = requireFromWorker('@aws-sdk/client-ec2');
const distOf = (pkg, file) => pathToFileURL(path.join(repoRoot, 'packages', pkg, 'dist', file)).href;
const { EXAMPLE_CS_JSON } = await import(distOf('contracts', 'plans/cs-json.js'));
const { toAwsJson } = await import(distOf('pg-knowledge', 'deploy/aws-json.js'));
const { scramSha256Verifier } = await import(distOf('pg-knowledge', 'deploy/scram.js'));

const failures = [];
const report = (ok, label, detail) => {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}`);
  if (!ok) failures.push(label);
};
const code = (error) => error?.Code ?? error?.name ?? 'Error';

// 1. credentials
let credentials;
const sts = new STSClient({ region });
try {
  if (env.ELASTICDASH_AWS_ROLE_ARN) {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: env.ELASTICDASH_AWS_ROLE_ARN,
        ExternalId: env.ELASTICDASH_AWS_EXTERNAL_ID,
        RoleSessionName: 'elasticdash-live-check',
        DurationSeconds: 900,
      }),
    );
    credentials = {
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken,
    };
    report(true, 'sts:AssumeRole', out.AssumedRoleUser?.Arn ?? 'assumed');
  } else {
    const who = await sts.send(new GetCallerIdentityCommand({}));
    report(true, 'sts:GetCallerIdentity', `account ${who.Account}`);
  }
} catch (error) {
  report(false, 'credentials', `${code(error)}: ${error.message}`);
  process.exit(1);
}
const ec2 = new EC2Client({ region, ...(credentials ? { credentials } : {}) });
try {
  const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
  report(true, 'ec2:DescribeAvailabilityZones', `${zones.AvailabilityZones?.length ?? 0} zones in ${region}`);
} catch (error) {
  report(false, 'ec2:DescribeAvailabilityZones', `${code(error)}: ${error.message}`);
}

// 2. dry-run RunInstances of the example plan
const built = toAwsJson(EXAMPLE_CS_JSON, EXAMPLE_CS_JSON.components[0].id, {
  deploymentId: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  planId: '00000000-0000-4000-8000-000000000003',
  region,
  adminPasswordVerifier: scramSha256Verifier('live-check-only-password'),
  stateBucket: 'elasticdash-live-check',
});
if (!built.ok) {
  report(false, 'aws-json', JSON.stringify(built.errors));
} else {
  const a = built.awsJson;
  try {
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })))
      .Vpcs?.[0];
    if (!vpc?.VpcId) throw Object.assign(new Error(`${region} has no default VPC`), { name: 'NoDefaultVpc' });
    const group = (
      await ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpc.VpcId] },
            { Name: 'group-name', Values: ['default'] },
          ],
        }),
      )
    ).SecurityGroups?.[0];
    await ec2.send(
      new RunInstancesCommand({
        DryRun: true,
        ClientToken: a.clientToken,
        ImageId: a.instance.imageSelector.imageId,
        InstanceType: a.instance.instanceType,
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [a.instance.rootVolume, a.instance.dataVolume].filter(Boolean).map((v) => ({
          DeviceName: v.deviceName,
          Ebs: {
            VolumeSize: v.sizeGiB,
            VolumeType: 'gp3',
            DeleteOnTermination: v.deleteOnTermination,
            Encrypted: true,
          },
        })),
        NetworkInterfaces: [
          { DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: [group.GroupId], DeleteOnTermination: true },
        ],
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        UserData: a.userDataBase64,
        TagSpecifications: [
          { ResourceType: 'instance', Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
      }),
    );
    report(false, 'ec2:RunInstances (DryRun)', 'AWS answered without DryRunOperation: unexpected');
  } catch (error) {
    if (code(error) === 'DryRunOperation') {
      report(
        true,
        'ec2:RunInstances (DryRun)',
        `${a.instance.instanceType} from ${a.instance.imageSelector.ssmParameter} would launch`,
      );
    } else {
      report(false, 'ec2:RunInstances (DryRun)', `${code(error)}: ${error.message}`);
    }
  }
}
sts.destroy();
ec2.destroy();
if (failures.length > 0) {
  console.error(`aws-live-check: ${failures.length} check(s) failed: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('aws-live-check: all checks passed');

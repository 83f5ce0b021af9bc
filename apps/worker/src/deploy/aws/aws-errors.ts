/*
 * AWS SDK errors sorted into what the deployer does with them:
 *  - throttling: retried here with backoff + jitter, up to a cap;
 *  - verdicts: retrying cannot help (no capacity, no permission, bad credentials, a parameter AWS
 *    refuses): the step fails at once with the reason and what the user can do about it;
 *  - anything else (network, 5xx): rethrown, BullMQ retries the operation, which resumes.
 */

export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

export function awsErrorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return 'Error';
}

export function awsErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const isThrottling = (error: unknown) => THROTTLING_CODES.has(awsErrorName(error));

export interface VerdictContext {
  /** What was being done, e.g. `ec2:RunInstances`. */
  action: string;
  region: string;
  instanceType?: string;
  availabilityZone?: string;
}

export interface Verdict {
  code: string;
  reason: string;
  hint: string;
}

const SETTINGS = 'Settings → Deploy targets';

/** The verdict for a final AWS error, or null when retrying may help. */
export function verdictFor(error: unknown, ctx: VerdictContext): Verdict | null {
  const code = awsErrorName(error);
  const message = awsErrorMessage(error).slice(0, 300);
  const type = ctx.instanceType ?? 'this instance type';
  const where = ctx.availabilityZone ?? ctx.region;
  const v = (reason: string, hint: string): Verdict => ({ code, reason, hint });
  switch (code) {
    case 'InsufficientInstanceCapacity':
      return v(`AWS has no capacity for ${type} in ${where}`, 'try another instance size or region');
    case 'VcpuLimitExceeded':
    case 'InstanceLimitExceeded':
    case 'MaxSpotInstanceCountExceeded':
      return v(
        `the AWS account reached its limit for ${type} in ${ctx.region} (${code})`,
        'request a Service Quotas increase for EC2 On-Demand vCPUs, or choose a smaller instance',
      );
    case 'UnauthorizedOperation':
      return v(
        `the AWS credentials may not call ${ctx.action}`,
        'grant the deployer policy from docs/deployer.md to the role or user',
      );
    case 'AccessDenied':
    case 'AccessDeniedException':
      return v(
        `AWS denied ${ctx.action}`,
        `check the role's trust policy and permissions (external id included) under ${SETTINGS}`,
      );
    case 'AuthFailure':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return v(`AWS refused the credentials (${code})`, `update them and press "Check credentials" under ${SETTINGS}`);
    case 'OptInRequired':
    case 'RegionDisabledException':
      return v(`the region ${ctx.region} is not enabled for this AWS account`, 'enable it or choose another region');
    case 'Unsupported':
      return v(`${type} is not offered in ${where}: ${message}`, 'choose another instance size or region');
    case 'UnsupportedOperation':
      // Real EC2 answers it for an action the instance cannot take; the test-host emulator for stop/start/resize.
      return v(`${ctx.action} is not supported here: ${message}`, 'destroy and deploy again with the new size');
    case 'InvalidParameterValue':
    case 'InvalidParameterCombination':
    case 'InvalidParameter':
    case 'MissingParameter':
      return v(
        `AWS rejected a parameter of ${ctx.action}: ${message}`,
        'check the plan, and that the credentials may pass the agent role (iam:PassRole, docs/deployer.md)',
      );
    case 'MalformedPolicyDocument':
    case 'MalformedPolicyDocumentException':
      return v(`IAM refused the agent's policy: ${message}`, "check the plan's backup bucket and prefix");
    case 'InvalidAMIID.NotFound':
    case 'InvalidAMIID.Unavailable':
    case 'InvalidAMIID.Malformed':
    case 'ParameterNotFound':
    case 'InvalidParameterValueException':
      return v(
        `the operating system image is not available in ${ctx.region}: ${message}`,
        'choose another OS version or region',
      );
    case 'VPCIdNotSpecified':
    case 'VPCResourceNotSpecified':
      return v(
        `${ctx.region} has no default VPC`,
        'create a default VPC (aws ec2 create-default-vpc) or choose another region',
      );
    case 'InvalidVolume.ZoneMismatch':
    case 'VolumeModificationRateExceeded':
      return v(
        `AWS refused the volume change: ${message}`,
        'wait six hours between changes of one volume, then deploy again',
      );
    default:
      return null;
  }
}

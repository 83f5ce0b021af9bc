import { z } from 'zod';

/*
 * Deploy targets of a workspace: `local` is always there (when the installation enables it); `aws`
 * once an admin stores a region and credentials. The secret half of the credentials (the role's
 * external id or the secret access key) is write-only: no response ever carries it.
 */

/** Commercial, GovCloud and China partitions' regions (`eu-west-1`, `us-gov-west-1`, `cn-north-1`…). */
export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
] as const;

export const ZAwsRegion = z
  .string()
  .trim()
  .refine((value) => (AWS_REGIONS as readonly string[]).includes(value), {
    message: 'must be an AWS region such as eu-west-1 or us-east-1',
  });

/** `arn:aws:iam::123456789012:role/path/Name` (also the aws-cn / aws-us-gov partitions). */
export const AWS_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Access key ids: `AKIA…` (long-term) or `ASIA…` (temporary), 16–128 upper-case letters and digits. */
export const AWS_ACCESS_KEY_ID = /^(AKIA|ASIA|AIDA|ABIA|ACCA)[A-Z0-9]{12,124}$/;

export const ZAwsRoleCredentials = z.object({
  kind: z.literal('role'),
  roleArn: z.string().trim().regex(AWS_ROLE_ARN, 'must be a role ARN: arn:aws:iam::<12-digit account id>:role/<name>'),
  /** The external id the role's trust policy requires (sts:ExternalId); 2–1224 characters. */
  externalId: z
    .string()
    .min(2, 'must be at least 2 characters')
    .max(1224, 'must be at most 1224 characters')
    .regex(/^[\w+=,.@:/-]+$/, 'may contain letters, digits and +=,.@:/-_ only'),
});
export type TAwsRoleCredentials = z.infer<typeof ZAwsRoleCredentials>;

export const ZAwsAccessKeyCredentials = z.object({
  kind: z.literal('access-key'),
  accessKeyId: z.string().trim().regex(AWS_ACCESS_KEY_ID, 'must be an access key id such as AKIA…'),
  secretAccessKey: z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(128, 'must be at most 128 characters')
    .regex(/^[A-Za-z0-9/+=]+$/, 'must be a secret access key (letters, digits, / + =)'),
});
export type TAwsAccessKeyCredentials = z.infer<typeof ZAwsAccessKeyCredentials>;

export const ZAwsCredentials = z.discriminatedUnion('kind', [ZAwsRoleCredentials, ZAwsAccessKeyCredentials]);
export type TAwsCredentials = z.infer<typeof ZAwsCredentials>;

/** PUT /v1/deploy-targets/aws: replaces the workspace's AWS target (and its sealed secret). */
export const ZPutAwsTargetRequest = z
  .object({ region: ZAwsRegion, credentials: ZAwsCredentials })
  .meta({ id: 'PutAwsTargetRequest' });
export type TPutAwsTargetRequest = z.infer<typeof ZPutAwsTargetRequest>;

/** Result of "check credentials": `message` is a human reason (the AWS error code and what it means). */
export const ZAwsTargetCheck = z
  .object({
    ok: z.boolean(),
    message: z.string(),
    checkedAt: z.iso.datetime(),
    accountId: z.string().optional(),
  })
  .meta({ id: 'AwsTargetCheck' });
export type TAwsTargetCheck = z.infer<typeof ZAwsTargetCheck>;

/** `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`: enough to recognise the key, never usable. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return '…';
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

export const ZAwsTarget = z
  .object({
    kind: z.literal('aws'),
    region: z.string(),
    credentialKind: z.enum(['role', 'access-key']),
    /** credentialKind = role. */
    roleArn: z.string().nullable(),
    /** credentialKind = access-key: masked (`AKIA…WXYZ`). */
    accessKeyIdMasked: z.string().nullable(),
    lastCheck: ZAwsTargetCheck.nullable(),
    /** Whether this installation's DEPLOY_TARGETS enables aws (deploys to it are refused otherwise). */
    enabled: z.boolean(),
    updatedBy: z.string(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AwsTarget' });
export type TAwsTarget = z.infer<typeof ZAwsTarget>;

export const ZLocalTarget = z.object({ kind: z.literal('local'), enabled: z.boolean() }).meta({ id: 'LocalTarget' });
export type TLocalTarget = z.infer<typeof ZLocalTarget>;

/** GET /v1/deploy-targets */
export const ZListDeployTargetsResponse = z
  .object({ local: ZLocalTarget, aws: ZAwsTarget.nullable() })
  .meta({ id: 'ListDeployTargetsResponse' });
export type TListDeployTargetsResponse = z.infer<typeof ZListDeployTargetsResponse>;

/** PUT /v1/deploy-targets/aws */
export const ZAwsTargetResponse = z.object({ aws: ZAwsTarget }).meta({ id: 'AwsTargetResponse' });
export type TAwsTargetResponse = z.infer<typeof ZAwsTargetResponse>;

/** POST /v1/deploy-targets/aws/check */
export const ZCheckAwsTargetResponse = z.object({ check: ZAwsTargetCheck }).meta({ id: 'CheckAwsTargetResponse' });
export type TCheckAwsTargetResponse = z.infer<typeof ZCheckAwsTargetResponse>;

/**
 * The sealed secret half stored in `deployer.secrets` for an AWS target (JSON, opened by svc-deployer
 * for checks and by the worker for deploys).
 */
export const ZAwsTargetSecret = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), externalId: z.string() }),
  z.object({ kind: z.literal('access-key'), secretAccessKey: z.string() }),
]);
export type TAwsTargetSecret = z.infer<typeof ZAwsTargetSecret>;

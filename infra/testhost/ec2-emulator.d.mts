// Types of ec2-emulator.mjs for TypeScript callers (specs and tests).

export interface Ec2EmulatorUpOptions {
  /** The instance id (also the test host's NAME and the id IMDS reports). */
  name: string;
  /** Third octet: the guest is 10.213.<index>.2. */
  index: number;
  /** RunInstances' UserData, base64-decoded (still gzip'd when the driver gzip'd it). */
  userData: Buffer;
  region: string;
  /** S3 buckets named in the user data (the guest resolves them to the local S3 server). */
  buckets: string[];
  /** The data volume's size, at most 4 GiB. */
  dataGiB: number;
}

export interface Ec2EmulatorLauncher {
  /** Boots the host; cleans up after itself when it fails. */
  up(options: Ec2EmulatorUpOptions): Promise<{ pid: number; address: string }>;
  down(name: string): Promise<void>;
}

export interface Ec2EmulatorOptions {
  port?: number;
  host?: string;
  accountId?: string;
  /** Region of the answers when a request's signature does not name one. */
  region?: string;
  /** host:port of the local S3 server (up.sh's TESTHOST_S3_TARGET). */
  s3Target?: string;
  /** Third octets it may allocate, one per live instance (default [100, 149]). */
  indexes?: [number, number];
  /** Default: up.sh / down.sh of the kit. */
  launcher?: Ec2EmulatorLauncher;
  log?: (line: string) => void;
  /** Where up.sh unpacks hosts: their `index` files are skipped (default $TESTHOST_RUN or /var/tmp/elasticdash-testhost). */
  runDir?: string;
  /**
   * IAM is eventually consistent: RunInstances refuses an instance profile (InvalidParameterValue,
   * "Invalid IAM Instance Profile name") until it, and its role's addition, are this old (default 1500).
   */
  iamPropagationMs?: number;
}

export type Ec2EmulatorInstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated';

export interface Ec2EmulatorInstance {
  instanceId: string;
  state: Ec2EmulatorInstanceState;
  index: number;
  address: string | null;
  pid: number | null;
  imageId: string;
  instanceType: string;
  clientToken: string;
  buckets: string[];
  dataGiB: number;
  userData: Buffer;
  /** StateReason message (why it was terminated), if any. */
  reason: string | null;
  securityGroups: string[];
  /** The instance profile RunInstances attached (its Arn), if any. */
  iamInstanceProfileArn: string | null;
}

export interface Ec2EmulatorTag {
  Key: string;
  Value: string;
}

export interface Ec2EmulatorIamRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  description: string | undefined;
  /** The trust policy, parsed. */
  assumeRolePolicyDocument: unknown;
  maxSessionDuration: number;
  tags: Ec2EmulatorTag[];
  createDate: Date;
  /** Inline policies: name → document, parsed. */
  policies: Record<string, unknown>;
  /** Names of the instance profiles holding the role. */
  instanceProfiles: string[];
}

export interface Ec2EmulatorIamInstanceProfile {
  instanceProfileName: string;
  instanceProfileId: string;
  arn: string;
  path: string;
  /** Role names (at most one). */
  roles: string[];
  tags: Ec2EmulatorTag[];
  createDate: Date;
}

export interface Ec2EmulatorIam {
  roles: Ec2EmulatorIamRole[];
  instanceProfiles: Ec2EmulatorIamInstanceProfile[];
}

export interface Ec2Emulator {
  /** The endpoint for EC2Client, STSClient and IAMClient (`endpoint`). */
  url: string;
  /** Tears every live host down (launcher.down) and closes the server. */
  close(): Promise<void>;
  instances(): Ec2EmulatorInstance[];
  /** The account's IAM roles (with their inline policies) and instance profiles. */
  iam(): Ec2EmulatorIam;
}

export function startEc2Emulator(options?: Ec2EmulatorOptions): Promise<Ec2Emulator>;

/** The default launcher: up.sh / down.sh of the kit, TESTHOST_NODE = this node. */
export function scriptLauncher(s3Target: string | undefined): Ec2EmulatorLauncher;

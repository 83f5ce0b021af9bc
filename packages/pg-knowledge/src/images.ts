import type { TArchitecture, TOsFamily } from '@elasticdash/contracts/plans/cs-json';

/*
 * OS images per family / version / architecture. On AWS the AMI id is resolved at deploy time
 * from the distribution's public SSM parameter (always the latest patched image).
 */

export type TPackageManager = 'apt' | 'dnf';

export interface TOsImage {
  family: TOsFamily;
  version: string;
  architecture: TArchitecture;
  /** Human name, e.g. "Ubuntu 24.04 LTS (Noble Numbat)". */
  displayName: string;
  aws: {
    /** Public SSM parameter holding the current AMI id (`resolve:ssm:<name>` in EC2 APIs). */
    ssmParameter: string;
  };
  /** Default SSH login user of the image. */
  loginUser: string;
  packageManager: TPackageManager;
  /** Where PostgreSQL packages come from. */
  postgres: {
    source: 'pgdg-apt' | 'amazon-linux';
    /** Major versions installable from that source (of the ones cs-json allows). */
    majorVersions: readonly number[];
  };
}

interface TImageFamily {
  family: TOsFamily;
  version: string;
  displayName: string;
  loginUser: string;
  packageManager: TPackageManager;
  postgres: TOsImage['postgres'];
  ssm: (arch: TArchitecture) => string;
}

const DEB_ARCH: Record<TArchitecture, string> = { x86_64: 'amd64', arm64: 'arm64' };
const PGDG = { source: 'pgdg-apt', majorVersions: [14, 15, 16, 17] } as const;

const FAMILIES: readonly TImageFamily[] = [
  {
    family: 'amazon-linux',
    version: '2023',
    displayName: 'Amazon Linux 2023',
    loginUser: 'ec2-user',
    packageManager: 'dnf',
    // AL2023's own repositories package postgresql15, postgresql16 and postgresql17 (no 14).
    postgres: { source: 'amazon-linux', majorVersions: [15, 16, 17] },
    ssm: (arch) => `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
  },
  {
    family: 'ubuntu',
    version: '22.04',
    displayName: 'Ubuntu 22.04 LTS (Jammy Jellyfish)',
    loginUser: 'ubuntu',
    packageManager: 'apt',
    postgres: PGDG,
    // Canonical publishes 22.04 images with gp2 root volumes, 24.04 with gp3.
    ssm: (arch) => `/aws/service/canonical/ubuntu/server/22.04/stable/current/${DEB_ARCH[arch]}/hvm/ebs-gp2/ami-id`,
  },
  {
    family: 'ubuntu',
    version: '24.04',
    displayName: 'Ubuntu 24.04 LTS (Noble Numbat)',
    loginUser: 'ubuntu',
    packageManager: 'apt',
    postgres: PGDG,
    ssm: (arch) => `/aws/service/canonical/ubuntu/server/24.04/stable/current/${DEB_ARCH[arch]}/hvm/ebs-gp3/ami-id`,
  },
  {
    family: 'debian',
    version: '12',
    displayName: 'Debian 12 (Bookworm)',
    loginUser: 'admin',
    packageManager: 'apt',
    postgres: PGDG,
    ssm: (arch) => `/aws/service/debian/release/12/latest/${DEB_ARCH[arch]}`,
  },
];

export const OS_IMAGES: readonly TOsImage[] = FAMILIES.flatMap((f) =>
  (['x86_64', 'arm64'] as const).map((architecture) => ({
    family: f.family,
    version: f.version,
    architecture,
    displayName: f.displayName,
    aws: { ssmParameter: f.ssm(architecture) },
    loginUser: f.loginUser,
    packageManager: f.packageManager,
    postgres: f.postgres,
  })),
);

/** The image for a family / version / architecture, or null when the combination is not supported. */
export function imageFor(family: TOsFamily, version: string, architecture: TArchitecture): TOsImage | null {
  return OS_IMAGES.find((i) => i.family === family && i.version === version && i.architecture === architecture) ?? null;
}

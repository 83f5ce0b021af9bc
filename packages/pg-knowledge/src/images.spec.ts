import { describe, expect, it } from 'vitest';
import { imageFor, OS_IMAGES } from './images.js';

describe('imageFor', () => {
  it('Amazon Linux 2023', () => {
    expect(imageFor('amazon-linux', '2023', 'x86_64')).toEqual({
      family: 'amazon-linux',
      version: '2023',
      architecture: 'x86_64',
      displayName: 'Amazon Linux 2023',
      aws: { ssmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' },
      loginUser: 'ec2-user',
      packageManager: 'dnf',
      postgres: { source: 'amazon-linux', majorVersions: [15, 16, 17] },
    });
    expect(imageFor('amazon-linux', '2023', 'arm64')?.aws.ssmParameter).toBe(
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    );
  });

  it('Ubuntu 22.04 (gp2) and 24.04 (gp3), amd64/arm64 in the path', () => {
    expect(imageFor('ubuntu', '22.04', 'x86_64')?.aws.ssmParameter).toBe(
      '/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id',
    );
    expect(imageFor('ubuntu', '24.04', 'x86_64')?.aws.ssmParameter).toBe(
      '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
    );
    expect(imageFor('ubuntu', '24.04', 'arm64')?.aws.ssmParameter).toBe(
      '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
    );
    expect(imageFor('ubuntu', '24.04', 'arm64')).toMatchObject({
      loginUser: 'ubuntu',
      packageManager: 'apt',
      postgres: { source: 'pgdg-apt', majorVersions: [14, 15, 16, 17] },
    });
  });

  it('Debian 12', () => {
    expect(imageFor('debian', '12', 'x86_64')).toMatchObject({
      aws: { ssmParameter: '/aws/service/debian/release/12/latest/amd64' },
      loginUser: 'admin',
      packageManager: 'apt',
    });
    expect(imageFor('debian', '12', 'arm64')?.aws.ssmParameter).toBe('/aws/service/debian/release/12/latest/arm64');
  });

  it('unsupported versions → null', () => {
    expect(imageFor('ubuntu', '20.04', 'x86_64')).toBeNull();
    expect(imageFor('debian', '11', 'arm64')).toBeNull();
    expect(imageFor('amazon-linux', '2', 'x86_64')).toBeNull();
  });

  it('covers every supported OS version for both architectures', () => {
    expect(OS_IMAGES).toHaveLength(8);
  });
});

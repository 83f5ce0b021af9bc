import { gunzipSync } from 'node:zlib';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { describe, expect, it } from 'vitest';
import { clientTokenFor, toAwsJson, type TAwsJsonOptions } from './aws-json.js';
import { scramSha256Verifier } from './scram.js';

const OPTS: TAwsJsonOptions = {
  deploymentId: 'dep-123',
  tenantId: 'tenant-1',
  planId: 'plan-9',
  region: 'eu-west-1',
  adminPasswordVerifier: scramSha256Verifier('s3cret-password', { salt: Buffer.from('0123456789abcdef') }),
  stateBucket: 'ed-deployer-state',
};

function ok(doc: TCsJsonDocument = EXAMPLE_CS_JSON, opts: TAwsJsonOptions = OPTS) {
  const r = toAwsJson(doc, 'pg-1', opts);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

describe('toAwsJson', () => {
  it('transforms the example plan', () => {
    const { awsJson, warnings } = ok();
    expect(warnings).toEqual([]);
    expect(awsJson).toMatchObject({
      awsJsonVersion: 1,
      region: 'eu-west-1',
      instance: {
        instanceType: 'm6i.large',
        imageSelector: {
          osFamily: 'ubuntu',
          osVersion: '24.04',
          architecture: 'x86_64',
          ssmParameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
          imageId: 'resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
        },
        rootVolume: { type: 'gp3', sizeGiB: 20, deviceName: '/dev/sda1' },
        dataVolume: { type: 'gp3', sizeGiB: 100, deviceName: '/dev/sdf', deleteOnTermination: false },
        associatePublicIpAddress: false,
        metadataOptions: { httpTokens: 'required' },
      },
      tags: {
        'elasticdash:tenant': 'tenant-1',
        'elasticdash:plan': 'plan-9',
        'elasticdash:deployment': 'dep-123',
        'elasticdash:component': 'pg-1',
      },
      desiredConfigS3: { bucket: 'ed-deployer-state', key: 'deployments/dep-123/pg-1/desired.json' },
      postgres: { source: 'distribution', packages: ['postgresql-16', 'postgresql-client-16'] },
    });
    // 3000 IOPS is gp3's baseline: nothing to provision.
    expect(awsJson.instance.dataVolume).not.toHaveProperty('iops');
    expect(awsJson.desiredConfig.parameters.shared_buffers).toBe('2GB');
    expect(
      awsJson.requiredIamPolicy.Statement.map((s) => `${s.Sid} ${s.Action.join(',')} ${s.Resource.join(',')}`),
    ).toEqual([
      'DesiredConfig s3:GetObject arn:aws:s3:::ed-deployer-state/deployments/dep-123/pg-1/desired.json',
      'AgentStatus s3:PutObject arn:aws:s3:::ed-deployer-state/deployments/dep-123/pg-1/desired.json.status.json',
      'BackupObjects s3:PutObject,s3:DeleteObject arn:aws:s3:::acme-orders-db-backups/orders-db/*',
      'BackupList s3:ListBucket arn:aws:s3:::acme-orders-db-backups',
    ]);
  });

  it('opens the security group only on the DB port, only from the allowed CIDRs', () => {
    const doc = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    doc.components[0]!.network = { port: 6432, allowedCidrs: ['10.0.0.0/16', '2001:db8::/32'], public: false };
    const { awsJson } = ok(doc);
    expect(awsJson.securityGroup.ingress).toEqual([
      { protocol: 'tcp', port: 6432, cidr: '10.0.0.0/16', ipv6: false, description: 'PostgreSQL orders-db' },
      { protocol: 'tcp', port: 6432, cidr: '2001:db8::/32', ipv6: true, description: 'PostgreSQL orders-db' },
    ]);
    expect(awsJson.securityGroup.ingress.every((r) => r.port === 6432)).toBe(true);
    expect(awsJson.securityGroup.name).toBe('elasticdash-dep-123-pg-1');
  });

  it('derives a stable, idempotent client token from the deployment id', () => {
    const a = ok().awsJson.clientToken;
    expect(ok().awsJson.clientToken).toBe(a);
    expect(a).toBe(clientTokenFor('dep-123', 'pg-1'));
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).toMatch(/^[\x21-\x7e]+$/);
    expect(ok(EXAMPLE_CS_JSON, { ...OPTS, deploymentId: 'dep-124' }).awsJson.clientToken).not.toBe(a);
  });

  it('gzips the user data deterministically within the 16 KiB limit', () => {
    const { awsJson } = ok();
    const raw = Buffer.from(awsJson.userDataBase64, 'base64');
    expect(raw.length).toBeLessThanOrEqual(16384);
    expect(gunzipSync(raw).toString('utf8')).toBe(awsJson.userData);
    expect(ok().awsJson.userDataBase64).toBe(awsJson.userDataBase64);
    expect(awsJson.userData).not.toContain('s3cret-password');
  });

  it('picks the catalog instance type without a hint, and provisions IOPS above the baseline', () => {
    const doc = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    const c = doc.components[0]!;
    c.compute = { vcpu: 4, memoryGiB: 32, architecture: 'arm64' };
    c.storage = { type: 'ssd', sizeGiB: 200, iops: 12000 };
    const { awsJson } = ok(doc);
    expect(awsJson.instance.instanceType).toBe('r7g.xlarge');
    expect(awsJson.instance.imageSelector.ssmParameter).toContain('/arm64/');
    expect(awsJson.instance.dataVolume).toMatchObject({ sizeGiB: 200, iops: 12000 });
  });

  it('fails with field paths: too many IOPS, Amazon Linux user data, invalid plans', () => {
    const iops = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    iops.components[0]!.storage = { type: 'ssd', sizeGiB: 20, iops: 12000 };
    expect(toAwsJson(iops, 'pg-1', OPTS)).toMatchObject({ ok: false, errors: [{ path: 'components.0.storage.iops' }] });

    const al = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    al.components[0]!.os = { family: 'amazon-linux', version: '2023' };
    const r = toAwsJson(al, 'pg-1', OPTS);
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'components.0.os.family' }] });

    const bad = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    bad.components[0]!.network.allowedCidrs = ['10.0.0.1/16'];
    expect(toAwsJson(bad, 'pg-1', OPTS)).toMatchObject({
      ok: false,
      errors: [{ path: 'components.0.network.allowedCidrs.0' }],
    });
    expect(toAwsJson(EXAMPLE_CS_JSON, 'pg-2', OPTS).ok).toBe(false);
  });
});

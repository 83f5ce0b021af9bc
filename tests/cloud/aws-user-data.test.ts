/*
 * Cloud fidelity (issue 8, docs/cloud-fidelity.md): the exact user data the AWS driver passes to
 * RunInstances (aws-json's base64(gzip) UserData, decoded as EC2 does) run by real cloud-init 22.4
 * on a real Debian 12 system with systemd as PID 1 (infra/testhost), with an IMDSv2 stand-in and
 * the local S3 server behind TLS under the real S3 host names. One boot per file; the assertions
 * below run in order against that one host.
 *
 * When the kit cannot run (not root, no debootstrap, no mirror) beforeAll throws with the reason:
 * the file fails, it never passes silently.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { TAgentStatus } from '../../packages/pg-knowledge/src/deploy/agent.js';
import { toAwsJson, type TAwsJson } from '../../packages/pg-knowledge/src/deploy/aws-json.js';
import { postgresPackagesFor } from '../../packages/pg-knowledge/src/deploy/packages.js';
import { scramSha256Verifier } from '../../packages/pg-knowledge/src/deploy/scram.js';
import { startTestS3, type TestS3 } from '../support/s3.js';
import { buildTestHostRoot, run, startTestHost, testHostProblem, type TTestHost } from '../support/testhost.js';

const INDEX = 21;
const REGION = 'eu-west-1';
const PORT = 6432;
const HOST_SIDE = `10.213.${INDEX}.1`;
const PASSWORD = `Fidelity-${randomBytes(12).toString('hex')}`;

function plan(bucket: string, overrides: { workMem?: string; maxConnections?: number } = {}): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON);
  const c = doc.components[0]!;
  c.os = { family: 'debian', version: '12' };
  c.compute = { vcpu: 2, memoryGiB: 4, architecture: 'x86_64', providerHint: { aws: { instanceType: 't3.medium' } } };
  c.storage = { type: 'ssd', sizeGiB: 20, iops: 3000 };
  c.database.majorVersion = 15;
  c.database.maxConnections = overrides.maxConnections ?? 120;
  c.database.parameters = {
    log_min_duration_statement: '500ms',
    ...(overrides.workMem ? { work_mem: overrides.workMem } : {}),
  };
  c.backups.target = { bucket, prefix: 'backups/orders-db/' };
  // Only the host side of the veth may connect: the pg_hba rule is exercised across a real link.
  c.network = { port: PORT, allowedCidrs: [`${HOST_SIDE}/32`], public: false };
  return doc;
}

function awsJsonFor(doc: TCsJsonDocument, bucket: string, version: number, verifier: string): TAwsJson {
  const r = toAwsJson(doc, 'pg-1', {
    deploymentId: 'dep-cloud-fidelity',
    tenantId: 'tenant-cloud',
    planId: 'plan-cloud',
    region: REGION,
    desiredVersion: version,
    adminPasswordVerifier: verifier,
    stateBucket: bucket,
  });
  if (!r.ok) throw new Error(`toAwsJson: ${JSON.stringify(r.errors)}`);
  return r.awsJson;
}

describe('the AWS user data under real cloud-init on Debian 12', () => {
  let s3: TestS3 | null = null;
  let client: S3Client;
  let host: TTestHost | null = null;
  let aws: TAwsJson;
  let bucket = '';
  const verifier = scramSha256Verifier(PASSWORD);
  const timings: Record<string, number> = {};

  const h = (): TTestHost => {
    if (!host) throw new Error('the test host is not running');
    return host;
  };
  async function admin<T>(fn: (c: pg.Client) => Promise<T>, password = PASSWORD): Promise<T> {
    const c = new pg.Client({
      host: h().address,
      port: PORT,
      user: aws.desiredConfig.admin.role,
      password,
      database: aws.desiredConfig.admin.database,
      connectionTimeoutMillis: 10_000,
    });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }
  const show = (name: string) =>
    admin(async (c) => (await c.query<{ v: string }>(`select current_setting($1) as v`, [name])).rows[0]!.v);
  async function s3Text(key: string): Promise<string | null> {
    try {
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await r.Body?.transformToString()) ?? null;
    } catch {
      return null;
    }
  }
  async function putDesired(a: TAwsJson): Promise<void> {
    await client.send(
      new PutObjectCommand({
        Bucket: a.desiredConfigS3.bucket,
        Key: a.desiredConfigS3.key,
        Body: JSON.stringify(a.desiredConfig),
      }),
    );
  }
  async function waitForStatus(version: number, timeoutMs: number): Promise<TAgentStatus> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = (await s3Text(`${aws.desiredConfigS3.key}.status.json`)) ?? '';
      if (last) {
        const st = JSON.parse(last) as TAgentStatus;
        if (st.desiredVersion === version && (st.result === 'failed' || st.appliedVersion === version)) return st;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    throw new Error(`the agent did not report desired version ${version} within ${timeoutMs} ms; last status: ${last}`);
  }

  beforeAll(async () => {
    const problem = await testHostProblem();
    if (problem) throw new Error(`cloud-fidelity test host unavailable: ${problem}`);
    let t = Date.now();
    await buildTestHostRoot();
    timings.rootSeconds = Math.round((Date.now() - t) / 1000);

    s3 = await startTestS3();
    bucket = s3.bucket;
    client = new S3Client({
      endpoint: s3.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    aws = awsJsonFor(plan(bucket), bucket, 1, verifier);
    // What the driver does before RunInstances: the desired config goes to S3 first.
    await putDesired(aws);

    t = Date.now();
    host = await startTestHost({
      name: 'aws-ud',
      index: INDEX,
      userData: Buffer.from(aws.userDataBase64, 'base64'),
      region: REGION,
      s3Target: new URL(s3.endpoint).host,
      buckets: [bucket],
    });
    timings.upSeconds = Math.round((Date.now() - t) / 1000);
    const ci = await host.waitForCloudInit(600_000);
    timings.cloudInitSeconds = ci.seconds;
    console.log(`cloud-fidelity timings (s): ${JSON.stringify(timings)}`);
    if (ci.status !== 'done') {
      const out = await host.exec(['tail', '-n', '40', '/var/log/cloud-init-output.log']);
      throw new Error(
        `cloud-init ended with status ${ci.status}:\n${ci.long}\n--- cloud-init-output.log ---\n${out.stdout}`,
      );
    }
  }, 1_500_000);

  afterAll(async () => {
    await host?.stop({ keep: process.env.TESTHOST_KEEP === '1' });
    await s3?.stop();
  }, 180_000);

  it('cloud-init ran the exact RunInstances user data (gzip, decoded by cloud-init itself)', async () => {
    const seeded = h().readBytes('/var/lib/cloud/seed/nocloud/user-data');
    expect(seeded.equals(Buffer.from(aws.userDataBase64, 'base64'))).toBe(true);
    expect(seeded.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    // (/var/lib/cloud/instance is an absolute symlink: read the instance's own directory.)
    const script = h().readFile(`/var/lib/cloud/instances/${h().instanceId}/scripts/part-001`);
    expect(script).toBe(gunzipSync(Buffer.from(aws.userDataBase64, 'base64')).toString('utf8'));
    expect(script).toBe(aws.userData);
    expect(h().readFile('/var/lib/elasticdash/bootstrap-done')).toMatch(/^\d{4}-\d\d-\d\dT/);
    const log = h().readFile('/var/log/cloud-init-output.log');
    expect(log).toContain('elasticdash: PostgreSQL 15 is ready');
  });

  it('installed PostgreSQL 15 from Debian itself (no PGDG) onto the data volume', async () => {
    expect(aws.postgres).toMatchObject({ source: 'distribution', packages: ['postgresql-15', 'postgresql-client-15'] });
    const v = await h().exec(['dpkg-query', '-W', '-f', '${Version}', 'postgresql-15']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/deb12u\d+$/);
    expect((await h().exec(['test', '-e', '/etc/apt/sources.list.d/pgdg.list'])).code).not.toBe(0);
    // The blank /dev/sdf became ext4 "pgdata" mounted at /var/lib/postgresql (as on EC2).
    const mnt = await h().exec(['findmnt', '-no', 'FSTYPE,TARGET', '/var/lib/postgresql']);
    expect(mnt.stdout.trim().split(/\s+/)).toEqual(['ext4', '/var/lib/postgresql']);
    expect(h().readFile('/etc/fstab')).toContain('LABEL=pgdata /var/lib/postgresql ext4');
    expect(await show('server_version')).toMatch(/^15\./);
  });

  it("listens on the plan's port on the guest's address with the desired tuning", async () => {
    const ss = await h().exec(['ss', '-Hltn', `sport = :${PORT}`]);
    expect(ss.stdout).toContain(`:${PORT}`);
    expect(await show('max_connections')).toBe('120');
    const params = aws.desiredConfig.parameters;
    expect(Object.keys(params).length).toBeGreaterThan(5);
    // As the guest's superuser (pg_file_settings and sourcefile are hidden from the admin role):
    // every desired parameter comes from the agent's include file and nothing waits for a restart.
    const su = (sql: string) => h().exec(['runuser', '-u', 'postgres', '--', 'psql', '-p', String(PORT), '-XAtc', sql]);
    const fromFile = await su(
      "select name from pg_file_settings where sourcefile = '/etc/postgresql/15/main/conf.d/90-elasticdash.conf' and applied and error is null order by name",
    );
    expect(fromFile.stderr).toBe('');
    expect(fromFile.stdout.trim().split('\n')).toEqual(expect.arrayContaining(Object.keys(params)));
    expect((await su('select count(*) from pg_settings where pending_restart')).stdout.trim()).toBe('0');
    for (const name of [
      'shared_buffers',
      'effective_cache_size',
      'work_mem',
      'maintenance_work_mem',
      'log_min_duration_statement',
    ]) {
      expect(await show(name), name).toBe(params[name]);
    }
  });

  it('pg_hba admits the allowed CIDR with the admin password and refuses other sources', async () => {
    expect(
      await admin(async (c) => (await c.query<{ a: string }>('select host(inet_client_addr()) as a')).rows[0]!.a),
    ).toBe(HOST_SIDE);
    await expect(admin(async () => 1, 'not-the-password')).rejects.toThrow(/password authentication failed/);
    const other = await h().execFromOtherSource(
      [
        'psql',
        '-XAtc',
        'select 1',
        `host=10.215.${INDEX}.1 port=${PORT} user=${aws.desiredConfig.admin.role} dbname=postgres connect_timeout=10`,
      ],
      { env: { PGPASSWORD: PASSWORD } },
    );
    expect(other.code).not.toBe(0);
    // Reached the server over the network, refused by pg_hba (not by a missing route).
    expect(other.stderr).toContain(`no pg_hba.conf entry for host "${h().otherSourceAddress}"`);
  });

  it('never writes the admin password anywhere on the guest (logs, journal, cloud-init, state)', async () => {
    const dirs = [
      '/var/log',
      '/var/lib/cloud',
      '/run/cloud-init',
      '/run/log',
      '/var/lib/elasticdash',
      '/etc',
      '/usr/local/lib/elasticdash',
      '/run/elasticdash',
    ];
    const found = await h().exec(['grep', '-rlsF', '--', PASSWORD, ...dirs], { timeoutMs: 120_000 });
    expect(found.stdout).toBe('');
    expect(found.code).toBe(1);
    // The same search does find what is there by design (the verifier, in cloud-init's copy of
    // the user data), so an empty result above means something.
    const verifierCopies = await h().exec(['grep', '-rlsF', '--', verifier, '/var/lib/cloud']);
    expect(verifierCopies.stdout).toMatch(/\/var\/lib\/cloud\/instances\/i-[0-9a-f]+\/scripts\/part-001/);
    const journal = await h().exec(['journalctl', '--no-pager', '-o', 'cat']);
    expect(journal.stdout.length).toBeGreaterThan(1000);
    expect(journal.stdout).not.toContain(PASSWORD);
    // The verifier file was consumed.
    expect((await h().exec(['test', '-e', '/run/elasticdash/admin-password'])).code).not.toBe(0);
  });

  it('schedules backups and a forced run writes a pg_dump of the database to S3', async () => {
    await admin(async (c) => {
      await c.query('create table if not exists orders (id int primary key, note text)');
      await c.query('insert into orders values (1, $1) on conflict do nothing', ['before-backup']);
    });
    expect(h().readFile('/etc/cron.d/elasticdash-backup')).toContain(
      '0 3 * * * root /usr/local/lib/elasticdash/backup >>/var/log/elasticdash-backup.log 2>&1',
    );
    expect((await h().exec(['systemctl', 'is-active', 'cron'])).stdout.trim()).toBe('active');
    const t = Date.now();
    const backup = await h().exec(['/usr/local/lib/elasticdash/backup'], { timeoutMs: 120_000 });
    timings.backupSeconds = Math.round((Date.now() - t) / 1000);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'backups/orders-db/' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    const dump = keys.find((k) => /^backups\/orders-db\/orders\/\d{8}T\d{6}Z\.dump$/.test(k));
    expect(dump, keys.join(', ')).toBeDefined();
    expect(keys.some((k) => /^backups\/orders-db\/_globals\/\d{8}T\d{6}Z\.sql$/.test(k))).toBe(true);
    const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: dump }));
    const bytes = Buffer.from((await body.Body?.transformToByteArray()) ?? []);
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');
    // A real custom-format dump: pg_restore on this machine reads the row back out of it.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ed-cloud-dump-')), 'orders.dump');
    writeFileSync(file, bytes);
    const restored = await run('pg_restore', ['--data-only', '--table=orders', '-f', '-', file]);
    rmSync(path.dirname(file), { recursive: true, force: true });
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toContain('before-backup');
  });

  it('the agent timer applies a changed desired config from S3 with a reload, then a restart, keeping the data', async () => {
    const first = JSON.parse((await s3Text(`${aws.desiredConfigS3.key}.status.json`)) ?? '{}') as TAgentStatus;
    expect(first).toMatchObject({ result: 'applied', appliedVersion: 1, port: PORT });
    const startBefore = await admin(
      async (c) => (await c.query<{ t: string }>('select pg_postmaster_start_time()::text as t')).rows[0]!.t,
    );
    await admin((c) => c.query('insert into orders values (2, $1) on conflict do nothing', ['before-redeploy']));

    // v2: work_mem only → reload, picked up by the timer (every 60 s) from S3, no restart. (The
    // instance keeps its user data: only the desired config object changes.)
    const v2 = awsJsonFor(plan(bucket, { workMem: '24MB' }), bucket, 2, verifier);
    await putDesired(v2);
    let t = Date.now();
    // OnUnitActiveSec=60s with systemd's default AccuracySec=1min: up to ~2 min.
    const st2 = await waitForStatus(2, 200_000);
    timings.reloadPickupSeconds = Math.round((Date.now() - t) / 1000);
    expect(st2, st2.error ?? '').toMatchObject({
      result: 'applied',
      appliedVersion: 2,
      restarted: false,
      reloaded: true,
    });
    expect(st2.changes).toEqual([expect.objectContaining({ name: 'work_mem', action: 'reload' })]);
    expect(await show('work_mem')).toBe('24MB');
    expect(
      await admin(
        async (c) => (await c.query<{ t: string }>('select pg_postmaster_start_time()::text as t')).rows[0]!.t,
      ),
    ).toBe(startBefore);

    // v3: max_connections → restart (postmaster context); run the agent unit now instead of waiting.
    const v3 = awsJsonFor(plan(bucket, { workMem: '24MB', maxConnections: 150 }), bucket, 3, verifier);
    await putDesired(v3);
    t = Date.now();
    const started = await h().exec(['systemctl', 'start', 'elasticdash-agent.service'], { timeoutMs: 180_000 });
    expect(started.stderr).toBe('');
    const st3 = await waitForStatus(3, 60_000);
    timings.restartApplySeconds = Math.round((Date.now() - t) / 1000);
    expect(st3, st3.error ?? '').toMatchObject({ result: 'applied', appliedVersion: 3, restarted: true });
    expect(st3.changes).toContainEqual(expect.objectContaining({ name: 'max_connections', action: 'restart' }));
    expect(await show('max_connections')).toBe('150');
    const rows = await admin(
      async (c) => (await c.query<{ id: number; note: string }>('select id, note from orders order by id')).rows,
    );
    expect(rows).toEqual([
      { id: 1, note: 'before-backup' },
      { id: 2, note: 'before-redeploy' },
    ]);
    console.log(`cloud-fidelity timings (s): ${JSON.stringify(timings)}`);
  });
});

describe('PostgreSQL majors that need PGDG on Debian 12', () => {
  // apt.postgresql.org is not reachable from these machines: only the distribution's major (15)
  // is booted for real here. For the others the generated user data is checked to add PGDG and
  // install that major, and the reason they are not booted is printed.
  for (const major of [14, 16, 17]) {
    it(`PostgreSQL ${major}: the user data installs it from PGDG (not booted here: PGDG is unreachable)`, () => {
      const pkgs = postgresPackagesFor('debian', '12', major);
      expect(pkgs).toMatchObject({ ok: true, source: 'pgdg' });
      const doc = plan('unused-bucket');
      doc.components[0]!.database.majorVersion = major as (typeof doc.components)[number]['database']['majorVersion'];
      const script = gunzipSync(
        Buffer.from(awsJsonFor(doc, 'unused-bucket', 1, scramSha256Verifier('x')).userDataBase64, 'base64'),
      ).toString('utf8');
      expect(script).toContain('apt.postgresql.org');
      expect(script).toContain(`postgresql-${major}`);
      console.info(
        `PostgreSQL ${major} on Debian 12 not booted: ${pkgs.ok ? pkgs.reason : ''}; apt.postgresql.org is unreachable from this machine`,
      );
    });
  }
  it('classifies 15 as the distribution major and the others as PGDG', () => {
    expect(postgresPackagesFor('debian', '12', 15)).toMatchObject({ ok: true, source: 'distribution' });
    for (const major of [14, 16, 17])
      expect(postgresPackagesFor('debian', '12', major)).toMatchObject({ ok: true, source: 'pgdg' });
  });
});

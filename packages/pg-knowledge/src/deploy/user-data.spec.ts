import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_CS_JSON } from '@elasticdash/contracts/plans/cs-json';
import { describe, expect, it } from 'vitest';
import { desiredConfigFromPlan, type TDesiredConfig } from './desired-config.js';
import { scramSha256Verifier } from './scram.js';
import { BACKUP_SCRIPT, renderUserData, S3_TOOL, type TUserDataInput } from './user-data.js';

const PASSWORD = 'Correct-Horse-Battery-Staple-42';
const VERIFIER = scramSha256Verifier(PASSWORD, { salt: Buffer.from('fixed-salt-16byt') });

function desired(major = 16): TDesiredConfig {
  const r = desiredConfigFromPlan(EXAMPLE_CS_JSON, 'pg-1', { version: 1, backupRegion: 'eu-west-1' });
  if (!r.ok) throw new Error('example plan');
  return { ...r.config, postgres: { ...r.config.postgres, majorVersion: major } };
}

function input(overrides: Partial<TUserDataInput> = {}): TUserDataInput {
  return {
    osFamily: 'ubuntu',
    osVersion: '24.04',
    desired: desired(),
    adminPasswordVerifier: VERIFIER,
    desiredConfigS3: { bucket: 'ed-state', key: 'deployments/d-1/pg-1/desired.json', region: 'eu-west-1' },
    dataVolumeDevice: '/dev/sdf',
    deploymentId: 'd-1',
    ...overrides,
  };
}

function render(overrides: Partial<TUserDataInput> = {}): string {
  const r = renderUserData(input(overrides));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.userData;
}

const bashN = (script: string) => spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });

describe('renderUserData', () => {
  it('is a bash script that passes bash -n', () => {
    const ud = render();
    expect(ud.startsWith('#!/bin/bash\n')).toBe(true);
    const r = bashN(ud);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('installs the distribution package for the release major, PGDG otherwise', () => {
    const own = render();
    expect(own).toContain('PG_SOURCE=distribution');
    expect(own).toContain("PG_PACKAGES='postgresql-16 postgresql-client-16'");
    const pgdg = render({ desired: desired(17) });
    expect(pgdg).toContain('PG_SOURCE=pgdg');
    expect(pgdg).toContain('CODENAME=noble');
    expect(pgdg).toContain(
      'deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $CODENAME-pgdg main',
    );
    const debian = render({ osFamily: 'debian', osVersion: '12', desired: desired(15) });
    expect(debian).toContain('PG_SOURCE=distribution');
    expect(debian).toContain('CODENAME=bookworm');
    expect(debian).toContain('systemctl restart postgresql@15-main');
  });

  it('lets the first agent run find the packaged cluster on 5432 before moving it to the plan port', () => {
    const base = desired(15);
    const ud = render({
      osFamily: 'debian',
      osVersion: '12',
      desired: { ...base, postgres: { ...base.postgres, port: 6432 } },
    });
    // The agent tries the last applied port, then PGPORT, then the desired port (agent.ts).
    expect(ud).toContain('Environment="PGPORT=5432"');
    expect(ud).toContain('"port": 6432');
  });

  it('never contains the password and never prints the verifier', () => {
    const ud = render();
    expect(ud).not.toContain(PASSWORD);
    expect(ud).not.toMatch(/set -[a-zA-Z]*x|set -o xtrace|bash -x/);
    const lines = ud.split('\n');
    const at = lines.indexOf(VERIFIER);
    expect(at).toBeGreaterThan(0);
    // The verifier appears once: inside a quoted heredoc written under umask 077 to tmpfs.
    expect(lines.filter((l) => l.includes(VERIFIER))).toHaveLength(1);
    expect(lines[at - 1]).toBe("  cat >/run/elasticdash/admin-password <<'ELASTICDASH_SECRET'");
    expect(lines.slice(at - 3, at)).toContain('  umask 077');
    expect(ud).not.toMatch(/(echo|printf|cat) [^>\n]*admin-password/);
  });

  it('refuses a plaintext password, Amazon Linux and unsupported majors with clear errors', () => {
    expect(renderUserData(input({ adminPasswordVerifier: PASSWORD }))).toMatchObject({
      ok: false,
      errors: [{ path: 'adminPasswordVerifier' }],
    });
    const al = renderUserData(input({ osFamily: 'amazon-linux', osVersion: '2023' }));
    expect(al.ok).toBe(false);
    expect(!al.ok && al.errors[0]!.message).toMatch(/Amazon Linux 2023 is not supported yet/);
    expect(renderUserData(input({ osVersion: '20.04' }))).toMatchObject({ ok: false });
  });

  it('mounts the data volume by label, idempotently, only when there is one', () => {
    const ud = render();
    expect(ud).toContain("DATA_DEVICE='/dev/sdf'");
    expect(ud).toContain('mkfs.ext4 -q -L "$DATA_LABEL" "$DEV"');
    expect(ud).toContain('grep -q "^LABEL=$DATA_LABEL " /etc/fstab ||');
    expect(render({ dataVolumeDevice: null })).toContain("DATA_DEVICE=''");
  });

  it('installs the agent with its timer and runs it once', () => {
    const ud = render();
    expect(ud).toContain("cat >'/usr/local/lib/elasticdash/agent' <<'ELASTICDASH_AGENT'");
    expect(ud).toContain('Environment="AGENT_RESTART_CMD=systemctl restart postgresql@16-main"');
    expect(ud).toContain('Environment="AGENT_ADMIN_PASSWORD_FILE=/run/elasticdash/admin-password"');
    // s3tool.py takes the command first, then the region (S3_TOOL reads argv[1], argv[2]).
    expect(ud).toContain(
      'AGENT_PRE_CMD=python3 /usr/local/lib/elasticdash/s3tool.py get eu-west-1 ed-state deployments/d-1/pg-1/desired.json /var/lib/elasticdash/desired.json"',
    );
    expect(ud).toContain(
      'AGENT_POST_CMD=python3 /usr/local/lib/elasticdash/s3tool.py put eu-west-1 /var/lib/elasticdash/status.json ed-state deployments/d-1/pg-1/desired.json.status.json"',
    );
    expect(ud).toContain('OnUnitActiveSec=60s');
    expect(ud).toContain('systemctl start elasticdash-agent.service');
    expect(ud.indexOf('systemctl start elasticdash-agent.service')).toBeGreaterThan(ud.indexOf('ELASTICDASH_DESIRED'));
  });

  it('ships a backup script and S3 helper that parse', () => {
    expect(bashN(BACKUP_SCRIPT).status).toBe(0);
    expect(BACKUP_SCRIPT).toContain('pg_dump -p "$PORT" -Fc');
    const py = spawnSync('/usr/bin/python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], {
      input: S3_TOOL,
      encoding: 'utf8',
    });
    expect(py.stderr).toBe('');
  });

  it('runs s3tool.py as the agent hooks call it (command, then region) and fails on an unknown command', () => {
    // boto3 replaced by a stub that records the calls: the argument order is what is tested.
    const dir = mkdtempSync(join(tmpdir(), 's3tool-'));
    try {
      mkdirSync(join(dir, 'boto3'));
      mkdirSync(join(dir, 'botocore'));
      writeFileSync(
        join(dir, 'boto3', '__init__.py'),
        [
          'import json, os',
          'class _C:',
          '    def __init__(self, region): self.region = region',
          '    def get_object(self, Bucket, Key, **kw):',
          '        import io',
          "        open(os.environ['LOG'], 'a').write(json.dumps(['get', self.region, Bucket, Key]) + '\\n')",
          "        return {'Body': io.BytesIO(b'{}'), 'ETag': 'e1'}",
          '    def upload_file(self, src, bucket, key, ExtraArgs=None):',
          "        open(os.environ['LOG'], 'a').write(json.dumps(['put', self.region, src, bucket, key]) + '\\n')",
          'def client(name, region_name=None): return _C(region_name)',
          '',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'botocore', '__init__.py'), '');
      writeFileSync(join(dir, 'botocore', 'exceptions.py'), 'class ClientError(Exception):\n    pass\n');
      writeFileSync(join(dir, 's3tool.py'), S3_TOOL);
      const log = join(dir, 'calls.log');
      const ud = render();
      const hook = (name: string) => {
        const m = new RegExp(`Environment="${name}=python3 /usr/local/lib/elasticdash/s3tool.py ([^"]+)"`).exec(ud);
        if (!m?.[1]) throw new Error(`${name} not found`);
        return m[1].replace(/\/var\/lib\/elasticdash\//g, `${dir}/`).split(' ');
      };
      writeFileSync(join(dir, 'status.json'), '{}');
      const env = { ...process.env, PYTHONPATH: dir, LOG: log };
      const py = (args: string[]) =>
        spawnSync('/usr/bin/python3', [join(dir, 's3tool.py'), ...args], { env, encoding: 'utf8' });
      const get = py(hook('AGENT_PRE_CMD'));
      expect(get.stderr).toBe('');
      expect(get.status).toBe(0);
      expect(readFileSync(join(dir, 'desired.json'), 'utf8')).toBe('{}');
      expect(py(hook('AGENT_POST_CMD')).status).toBe(0);
      expect(
        readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
      ).toEqual([
        ['get', 'eu-west-1', 'ed-state', 'deployments/d-1/pg-1/desired.json'],
        ['put', 'eu-west-1', `${dir}/status.json`, 'ed-state', 'deployments/d-1/pg-1/desired.json.status.json'],
      ]);
      // The old order (region first) must not pass silently.
      const wrong = py(['eu-west-1', 'get', 'ed-state', 'k', join(dir, 'x.json')]);
      expect(wrong.status).not.toBe(0);
      expect(wrong.stderr).toContain("unknown command 'eu-west-1'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

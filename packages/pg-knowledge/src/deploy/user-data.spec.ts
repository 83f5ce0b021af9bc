import { spawnSync } from 'node:child_process';
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
    expect(ud).toContain('s3tool.py eu-west-1 get ed-state deployments/d-1/pg-1/desired.json');
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
});

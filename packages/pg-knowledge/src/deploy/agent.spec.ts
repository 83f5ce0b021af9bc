import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AGENT_SCRIPT, agentCommand, systemdEnvironment } from './agent.js';

function python(): string {
  return spawnSync('/usr/bin/python3', ['--version']).status === 0 ? '/usr/bin/python3' : 'python3';
}

describe('AGENT_SCRIPT', () => {
  it('is valid bash (bash -n)', () => {
    const r = spawnSync('bash', ['-n'], { input: AGENT_SCRIPT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('embeds a python helper that compiles', () => {
    const m = /<<'PY_EOF' \|\| true\n([\s\S]*?)\nPY_EOF\n/.exec(AGENT_SCRIPT);
    expect(m).not.toBeNull();
    const r = spawnSync(python(), ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], {
      input: m![1],
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('never traces and never prints the password file', () => {
    expect(AGENT_SCRIPT).not.toMatch(/set -[a-zA-Z]*x|set -o xtrace|bash -x/);
    expect(AGENT_SCRIPT).not.toMatch(/(cat|echo|printf)[^\n]*(PWFILE|AGENT_ADMIN_PASSWORD_FILE)/);
    // The role SQL (with a verifier at most) goes to psql on stdin, never in argv.
    expect(AGENT_SCRIPT).toContain('q <"$WORK/role.sql"');
  });

  it('decides restarts from pg_settings, not from a list of parameter names', () => {
    expect(AGENT_SCRIPT).toContain('pending_restart');
    expect(AGENT_SCRIPT).toContain("a['context'] == 'postmaster'");
    expect(AGENT_SCRIPT).not.toMatch(/shared_buffers|max_connections/);
  });
});

describe('agentCommand', () => {
  it('maps paths to the environment the script reads', () => {
    const cmd = agentCommand({
      desired: '/var/lib/elasticdash/desired.json',
      status: '/var/lib/elasticdash/status.json',
      script: '/usr/local/lib/elasticdash/agent',
      restartCommand: 'systemctl restart postgresql@16-main',
      port: 5432,
      hbaLocal: ['local all postgres peer', 'host all postgres 127.0.0.1/32 trust'],
    });
    expect(cmd.argv).toEqual(['/bin/bash', '/usr/local/lib/elasticdash/agent']);
    expect(cmd.env).toEqual({
      AGENT_DESIRED: '/var/lib/elasticdash/desired.json',
      AGENT_STATUS: '/var/lib/elasticdash/status.json',
      AGENT_RESTART_CMD: 'systemctl restart postgresql@16-main',
      AGENT_ALLOW_RESTART: '1',
      PGPORT: '5432',
      AGENT_HBA_LOCAL: 'local all postgres peer;host all postgres 127.0.0.1/32 trust',
    });
    // Every variable the command sets is one the script reads.
    for (const key of Object.keys(cmd.env)) expect(AGENT_SCRIPT).toContain(key);
  });

  it('escapes systemd Environment lines', () => {
    expect(systemdEnvironment({ A: 'x "y" 50%' })).toEqual(['Environment="A=x \\"y\\" 50%%"']);
  });
});

/*
 * The deploy agent (packages/pg-knowledge/src/deploy/agent.ts) run for real against a throwaway
 * PostgreSQL cluster, exactly as the local target runs it: initdb as the postgres OS user in a temp
 * directory, then desired config v1 (first apply: restart for postmaster settings, pg_hba, admin role
 * from a SCRAM verifier), v2 (work_mem only: reload, same postmaster), v3 (max_connections: restart,
 * data kept), v4 (an invalid value: refused and rolled back, server untouched).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import {
  AGENT_SCRIPT,
  agentCommand,
  localTargetAgentPaths,
  type TAgentStatus,
} from '../../packages/pg-knowledge/src/deploy/agent.js';
import { desiredConfigFromPlan, type TDesiredConfig } from '../../packages/pg-knowledge/src/deploy/desired-config.js';
import { scramSha256Verifier } from '../../packages/pg-knowledge/src/deploy/scram.js';
import { freePort } from '../support/ports.js';

function pgBinDir(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // fall through
  }
  for (const major of [17, 16, 15, 14]) {
    const dir = `/usr/lib/postgresql/${major}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return null;
}

const BIN = pgBinDir();
const IS_ROOT = process.getuid?.() === 0;
const ADMIN_PASSWORD = 'agent-test-Password-1';

describe.skipIf(!BIN || !IS_ROOT)('deploy agent against a real PostgreSQL cluster', () => {
  const bin = BIN!;
  let dir = '';
  let data = '';
  let port = 0;
  let desired: TDesiredConfig;
  let env: Record<string, string> = {};
  const pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());

  const asPostgres = (cmd: string, args: string[]) =>
    spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', timeout: 60_000 });
  const sql = (query: string): string => {
    const r = asPostgres('psql', ['-h', dir, '-p', String(port), '-d', 'postgres', '-XAtc', query]);
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  const major = () => Math.floor(Number(sql('show server_version_num')) / 10000);

  function writeDesired(config: TDesiredConfig): void {
    writeFileSync(join(dir, 'desired.json'), JSON.stringify(config, null, 2));
  }
  function runAgent(extra: Record<string, string> = {}): { code: number | null; status: TAgentStatus; stderr: string } {
    const r = spawnSync('/bin/bash', [join(dir, 'agent.sh')], {
      env: { ...process.env, ...env, ...extra },
      encoding: 'utf8',
      timeout: 90_000,
    });
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as TAgentStatus;
    return { code: r.status, status, stderr: r.stderr };
  }
  async function asAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: desired.admin.role,
      password: ADMIN_PASSWORD,
      database: desired.admin.database,
    });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'ed-agent-'));
    chownSync(dir, pgUid, pgGid);
    data = join(dir, 'data');
    const init = asPostgres(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth-local=peer',
      '--auth-host=scram-sha-256',
      '--no-instructions',
    ]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    writeFileSync(
      join(data, 'postgresql.conf'),
      `${readFileSync(join(data, 'postgresql.conf'), 'utf8')}\nport = ${port}\nunix_socket_directories = '${dir}'\nlisten_addresses = ''\n`,
    );
    const start = asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', 'start']);
    if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}`);

    const doc = structuredClone(EXAMPLE_CS_JSON) as TCsJsonDocument;
    const c = doc.components[0]!;
    c.compute = { vcpu: 2, memoryGiB: 2, architecture: 'x86_64' };
    c.database.majorVersion = major() as 14 | 15 | 16 | 17;
    c.database.maxConnections = 50;
    c.network.port = port;
    const r = desiredConfigFromPlan(doc, 'pg-1', {
      version: 1,
      backupRegion: 'eu-west-1',
      listenAddresses: ['127.0.0.1'],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    desired = r.config;
    // Loopback too, so the test can log in as the admin with its password (scram-sha-256).
    desired.hba.push({ type: 'host', database: 'all', user: 'all', cidr: '127.0.0.1/32', method: 'scram-sha-256' });

    writeFileSync(join(dir, 'agent.sh'), AGENT_SCRIPT, { mode: 0o755 });
    const pw = join(dir, 'admin-password');
    writeFileSync(pw, scramSha256Verifier(ADMIN_PASSWORD), { mode: 0o600 });
    chmodSync(pw, 0o600);
    env = agentCommand(
      localTargetAgentPaths({
        workDir: dir,
        dataDir: data,
        socketDir: dir,
        port,
        binDir: bin,
        serverLog: join(dir, 'server.log'),
        adminPasswordFile: pw,
      }),
    ).env;
  });

  afterAll(() => {
    if (data) asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('v1: applies the tuned settings, restarts for postmaster ones, rewrites pg_hba, creates the admin', async () => {
    writeDesired(desired);
    const verifier = readFileSync(join(dir, 'admin-password'), 'utf8');
    const { code, status, stderr } = runAgent();
    expect(stderr).not.toContain(ADMIN_PASSWORD);
    expect(stderr).not.toContain(verifier);
    expect(readFileSync(join(dir, 'status.json'), 'utf8')).not.toContain(verifier);
    expect(code, stderr).toBe(0);
    expect(status).toMatchObject({ result: 'applied', appliedVersion: 1, restarted: true, reloaded: true, port });
    const byName = new Map(status.changes.map((c) => [c.name, c]));
    expect(byName.get('shared_buffers')).toMatchObject({ context: 'postmaster', action: 'restart' });
    expect(byName.get('max_connections')).toMatchObject({ context: 'postmaster', action: 'restart', to: '50' });
    expect(byName.get('work_mem')).toMatchObject({ context: 'user', action: 'reload' });
    expect(status.pending).toEqual([]);

    expect(sql('show shared_buffers')).toBe('512MB');
    expect(sql('show max_connections')).toBe('50');
    expect(sql('show log_min_duration_statement')).toBe('500ms');
    expect(sql('show listen_addresses')).toBe('127.0.0.1');
    const rules = sql(
      "select type, array_to_string(database, ','), array_to_string(user_name, ','), coalesce(address, ''), coalesce(netmask, ''), auth_method from pg_hba_file_rules order by line_number",
    ).split('\n');
    expect(rules).toEqual([
      'local|all|postgres|||peer',
      'host|all|all|10.0.0.0|255.255.0.0|scram-sha-256',
      'host|all|all|127.0.0.1|255.255.255.255|scram-sha-256',
    ]);

    expect(status.admin).toEqual({ role: 'orders_admin', created: true, passwordSet: true, databaseCreated: true });
    expect(existsSync(join(dir, 'admin-password'))).toBe(false);
    expect(sql("select rolsuper from pg_roles where rolname = 'orders_admin'")).toBe('f');
    const who = await asAdmin(
      async (c) => (await c.query('select current_user as u, current_database() as d')).rows[0],
    );
    expect(who).toEqual({ u: 'orders_admin', d: 'orders' });
    await asAdmin((c) =>
      c.query('create table kept (id int primary key, note text); insert into kept values (1, $$before$$)'),
    );
  });

  it('v2: a work_mem change is a reload, the postmaster keeps running', () => {
    const startedBefore = sql('select pg_postmaster_start_time()');
    desired = { ...desired, version: 2, parameters: { ...desired.parameters, work_mem: '64MB' } };
    writeDesired(desired);
    const { code, status, stderr } = runAgent();
    expect(code, stderr).toBe(0);
    expect(status).toMatchObject({
      result: 'applied',
      appliedVersion: 2,
      restarted: false,
      reloaded: true,
      pending: [],
    });
    expect(status.changes).toEqual([
      { name: 'work_mem', from: expect.any(String), to: '65536', context: 'user', action: 'reload' },
    ]);
    expect(sql('show work_mem')).toBe('64MB');
    expect(sql('select pg_postmaster_start_time()')).toBe(startedBefore);
  });

  it('an unchanged desired config does nothing', () => {
    const startedBefore = sql('select pg_postmaster_start_time()');
    const { code, status } = runAgent();
    expect(code).toBe(0);
    expect(status).toMatchObject({
      result: 'applied',
      appliedVersion: 2,
      restarted: false,
      reloaded: false,
      changes: [],
    });
    expect(sql('select pg_postmaster_start_time()')).toBe(startedBefore);
  });

  it('v3: a max_connections change restarts, and the data written before is still there', async () => {
    const startedBefore = sql('select pg_postmaster_start_time()');
    desired = { ...desired, version: 3, parameters: { ...desired.parameters, max_connections: '60' } };
    writeDesired(desired);
    const { code, status, stderr } = runAgent();
    expect(code, stderr).toBe(0);
    expect(status).toMatchObject({ result: 'applied', appliedVersion: 3, restarted: true });
    expect(status.changes).toEqual([
      { name: 'max_connections', from: '50', to: '60', context: 'postmaster', action: 'restart' },
    ]);
    expect(sql('show max_connections')).toBe('60');
    expect(sql('select pg_postmaster_start_time()')).not.toBe(startedBefore);
    const rows = await asAdmin(async (c) => (await c.query('select id, note from kept')).rows);
    expect(rows).toEqual([{ id: 1, note: 'before' }]);
  });

  it('v4: an invalid value is refused before anything is applied, and the files are rolled back', () => {
    const startedBefore = sql('select pg_postmaster_start_time()');
    const confBefore = readFileSync(join(data, 'conf.d', '90-elasticdash.conf'), 'utf8');
    writeDesired({ ...desired, version: 4, parameters: { ...desired.parameters, shared_buffers: 'lots' } });
    const { code, status } = runAgent();
    expect(code).toBe(1);
    expect(status).toMatchObject({ result: 'failed', desiredVersion: 4, appliedVersion: 3 });
    expect(status.error).toContain('shared_buffers');
    expect(readFileSync(join(data, 'conf.d', '90-elasticdash.conf'), 'utf8')).toBe(confBefore);
    expect(sql('show shared_buffers')).toBe('512MB');
    expect(sql('select pg_postmaster_start_time()')).toBe(startedBefore);
  });

  it('with restarts disabled, a postmaster change is reported as pending; the next allowed run restarts', () => {
    const startedBefore = sql('select pg_postmaster_start_time()');
    desired = { ...desired, version: 5, parameters: { ...desired.parameters, shared_buffers: '256MB' } };
    writeDesired(desired);
    const held = runAgent({ AGENT_ALLOW_RESTART: '0' });
    expect(held.code, held.stderr).toBe(0);
    expect(held.status).toMatchObject({ result: 'applied', restarted: false, pending: ['shared_buffers'] });
    expect(sql("select pending_restart from pg_settings where name = 'shared_buffers'")).toBe('t');
    expect(sql('select pg_postmaster_start_time()')).toBe(startedBefore);
    const allowed = runAgent();
    expect(allowed.status).toMatchObject({ result: 'applied', restarted: true, pending: [] });
    expect(sql('show shared_buffers')).toBe('256MB');
  });

  it('starts a stopped server with the restart command', () => {
    const stop = asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    expect(stop.status).toBe(0);
    const { code, status, stderr } = runAgent();
    expect(code, stderr).toBe(0);
    expect(status).toMatchObject({ result: 'applied', started: true, appliedVersion: 5 });
    expect(sql('show max_connections')).toBe('60');
  });
});

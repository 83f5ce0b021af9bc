import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { lastLines } from './backup-rules.js';

/** How the worker reaches a local-target cluster as its admin role (over TCP, like a client would). */
export interface ClusterLogin {
  port: number;
  user: string;
  database: string;
  password: string;
}

export interface ToolResult {
  code: number;
  stderr: string;
}

/**
 * The password travels in PGPASSWORD of the child only: never on a command line (visible in ps)
 * and never in this process's logs. Children get no other variable of this process (it holds the
 * secrets master key).
 */
function toolEnv(login: ClusterLogin): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    PGPASSWORD: login.password,
    PGCONNECT_TIMEOUT: '10',
    PGAPPNAME: 'elasticdash-backup',
  };
}

function connectionArgs(login: ClusterLogin, database: string): string[] {
  return [
    '--host=127.0.0.1',
    `--port=${login.port}`,
    `--username=${login.user}`,
    `--dbname=${database}`,
    '--no-password',
  ];
}

export async function connect(login: ClusterLogin, database = login.database): Promise<pg.Client> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: login.port,
    user: login.user,
    password: login.password,
    database,
    connectionTimeoutMillis: 10_000,
    application_name: 'elasticdash-backup',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/**
 * Exact row counts of every user table (`schema.table`), in the client's current snapshot:
 * ordinary and partitioned tables of every schema but the system ones.
 */
export async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
      order by 1, 2`,
  );
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await client.query<{ n: string }>(
      `select count(*)::text as n from ${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`,
    );
    counts[`${t.schema}.${t.name}`] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

export interface RunningDump {
  /** The custom-format archive as it is written. */
  stdout: Readable;
  /** Resolves when pg_dump exits (never rejects). */
  done: Promise<ToolResult>;
  kill(): void;
}

/** `pg_dump -Fc` of the login's database, at `snapshot` when given (counts and dump see the same data). */
export function startDump(binDir: string, login: ClusterLogin, snapshot: string | null): RunningDump {
  const args = ['--format=custom', ...connectionArgs(login, login.database)];
  if (snapshot) args.push(`--snapshot=${snapshot}`);
  const child = spawn(path.join(binDir, 'pg_dump'), args, {
    env: toolEnv(login),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
  });
  const done = new Promise<ToolResult>((resolve) => {
    child.once('error', (error) => resolve({ code: 127, stderr: `${stderr}\n${error.message}` }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
  return { stdout: child.stdout, done, kill: () => child.kill('SIGKILL') };
}

/** `pg_restore` of a custom-format archive read from `archive` into `database`, as the admin role. */
export async function restore(
  binDir: string,
  login: ClusterLogin,
  database: string,
  archive: Readable,
): Promise<ToolResult> {
  // Objects belong to the restoring role; grants of roles that may not exist are not replayed.
  const args = [...connectionArgs(login, database), '--no-owner', '--no-privileges'];
  const child = spawn(path.join(binDir, 'pg_restore'), args, {
    env: toolEnv(login),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
  });
  const done = new Promise<ToolResult>((resolve) => {
    child.once('error', (error) => resolve({ code: 127, stderr: `${stderr}\n${error.message}` }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
  // pg_restore may stop reading early (a corrupt archive): its exit code is the verdict, not EPIPE.
  let feedError: Error | null = null;
  await pipeline(archive, child.stdin).catch((error: Error) => {
    feedError = error;
  });
  const result = await done;
  if (result.code === 0 && feedError) {
    return { code: 1, stderr: `${result.stderr}\nreading the archive failed: ${(feedError as Error).message}` };
  }
  return result;
}

export function toolFailure(tool: string, result: ToolResult): string {
  const detail = lastLines(result.stderr) || `exit code ${result.code}`;
  return `${tool} failed: ${detail}`;
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './env-file.js';
// The same runner `npm start` uses, so the tests exercise the real start-up path.
import { loadStackEnv } from '../../scripts/lib/env-file.mjs';
import { ensureDatabase, migrateAll, startLocalS3IfConfigured, startStack } from '../../scripts/lib/stack.mjs';

/**
 * Ports of an e2e platform: away from the dev ports so `npm start` can keep running. The instance
 * shifts ports and the database, so two checkouts (or the e2e and cloud projects) can run at once.
 */
export function e2ePorts(instance: number) {
  const port = (base: number) => String(base + instance * 1000);
  return {
    WEB_PORT: port(13300),
    GATEWAY_PORT: port(14300),
    SVC_AUTH_PORT: port(14310),
    SVC_TENANTS_PORT: port(14320),
    SVC_CONNECTIONS_PORT: port(14330),
    SVC_DATASETS_PORT: port(14340),
    SVC_PLANS_PORT: port(14350),
    SVC_DEPLOYER_PORT: port(14360),
    SVC_REALTIME_PORT: port(14370),
    WORKER_PORT: port(14380),
    S3_PORT: port(14390),
  };
}

export interface TE2eStack {
  env: Record<string, string>;
  gatewayUrl: string;
  webUrl: string;
  logDir: string;
  stop(): Promise<void>;
}

/**
 * The whole platform for browser and API tests: a fresh database, migrations, the local S3 server
 * and every app as a child process, on the instance's ports. `extraEnv` wins over the defaults.
 */
export async function startE2eStack(instance: number, extraEnv: Record<string, string> = {}): Promise<TE2eStack> {
  const ports = e2ePorts(instance);
  const { env: base } = loadStackEnv();
  const database = new URL(base.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/elasticdash');
  database.pathname = instance === 0 ? '/elasticdash_e2e' : `/elasticdash_e2e_${instance}`;
  const local = (p: string) => `http://127.0.0.1:${p}`;
  const env: Record<string, string> = {
    ...base,
    ...ports,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.toString(),
    SVC_AUTH_URL: local(ports.SVC_AUTH_PORT),
    SVC_TENANTS_URL: local(ports.SVC_TENANTS_PORT),
    SVC_CONNECTIONS_URL: local(ports.SVC_CONNECTIONS_PORT),
    SVC_PLANS_URL: local(ports.SVC_PLANS_PORT),
    SVC_DATASETS_URL: local(ports.SVC_DATASETS_PORT),
    SVC_REALTIME_URL: local(ports.SVC_REALTIME_PORT),
    SVC_DEPLOYER_URL: local(ports.SVC_DEPLOYER_PORT),
    S3_LOCAL: 'true',
    S3_ENDPOINT: local(ports.S3_PORT),
    S3_BUCKET: 'elasticdash-e2e',
    // Its own BullMQ keys: a dev stack's worker on the same Redis must not take e2e jobs.
    BULLMQ_PREFIX: `ed-e2e-${instance}`,
    // Local-target clusters of this run, and ports no dev stack uses.
    DEPLOY_LOCAL_ROOT: path.join(os.tmpdir(), `ed-e2e-targets-${instance}`),
    DEPLOY_LOCAL_PORT_RANGE: `${56000 + instance * 100}-${56099 + instance * 100}`,
    MONITOR_INTERVAL_MS: '2000',
    GATEWAY_URL: local(ports.GATEWAY_PORT),
    WEB_ORIGINS: `http://127.0.0.1:${ports.WEB_PORT},http://localhost:${ports.WEB_PORT}`,
    // Every e2e request comes from 127.0.0.1: per-IP limits are tested separately (integration).
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    ...extraEnv,
  };
  const logDir = path.join(repoRoot, 'artifacts', 'logs', `e2e-${instance}-${Date.now()}`);
  await ensureDatabase(env.DATABASE_URL ?? '', { recreate: true });
  migrateAll(env);
  const s3Directory = mkdtempSync(path.join(os.tmpdir(), 'ed-e2e-s3-'));
  const stopS3 = await startLocalS3IfConfigured(env, s3Directory);
  const stack = await startStack(env, { logDir });
  return {
    env,
    gatewayUrl: local(ports.GATEWAY_PORT),
    webUrl: local(ports.WEB_PORT),
    logDir,
    async stop() {
      await stack.stop();
      await stopS3();
      rmSync(s3Directory, { recursive: true, force: true });
      stopLocalTargets(env.DEPLOY_LOCAL_ROOT ?? '');
    },
  };
}

/** Local-target clusters a failed test did not destroy: stop them so no postgres outlives the run. */
function stopLocalTargets(root: string): void {
  if (!root || !existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const dataDir = path.join(root, entry, 'data');
    if (!existsSync(path.join(dataDir, 'postmaster.pid'))) continue;
    const pgCtl = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout.trim() + '/pg_ctl';
    spawnSync('runuser', ['-u', 'postgres', '--', pgCtl, '-D', dataDir, 'stop', '-m', 'immediate'], {
      stdio: 'ignore',
    });
  }
  rmSync(root, { recursive: true, force: true });
}

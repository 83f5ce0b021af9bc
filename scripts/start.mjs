// `npm start`: install, build, check PostgreSQL/Redis, migrate, start every app, seed the demo.
// Flags: --skip-install (reuse node_modules and dist), --no-web (API only).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadStackEnv } from './lib/env-file.mjs';
import { installDependencies, pnpm, repoRoot } from './lib/pnpm.mjs';

const args = new Set(process.argv.slice(2));
if (!args.has('--skip-install')) {
  installDependencies();
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { env: { NEXT_TELEMETRY_DISABLED: '1' } });
}

// Imported after install: these need the workspace's node_modules (pg).
const {
  APPS,
  checkInfrastructure,
  ensureDatabase,
  migrateAll,
  startEc2EmulatorIfConfigured,
  startLocalS3IfConfigured,
  startStack,
} = await import('./lib/stack.mjs');
const { registerDemoShop, seedDemo } = await import('./lib/seed.mjs');
const { ensureDemoShop } = await import('./lib/demo-shop.mjs');

const { env, file } = loadStackEnv();
console.log(
  `[start] configuration from ${file}${existsSync(path.join(repoRoot, '.env')) ? '' : ' (copy it to .env to change settings)'}`,
);
try {
  await checkInfrastructure(env);
} catch (error) {
  console.error(`[start] ${error.message}`);
  process.exit(1);
}
await ensureDatabase(env.DATABASE_URL);
migrateAll(env);
console.log('[start] migrations applied');

let stopS3;
try {
  stopS3 = await startLocalS3IfConfigured(env, path.join(repoRoot, '.data', 's3'));
} catch (error) {
  console.error(`[start] ${error.message}`);
  process.exit(1);
}
if (env.S3_LOCAL === 'true') console.log(`[start] local S3 at ${env.S3_ENDPOINT} (objects in .data/s3)`);
let stopEc2Emulator;
try {
  stopEc2Emulator = await startEc2EmulatorIfConfigured(env);
} catch (error) {
  console.error(`[start] ${error.message}`);
  await stopS3();
  process.exit(1);
}
if (env.DEPLOY_AWS_EMULATOR_URL) console.log(`[start] EC2 emulator (test hosts) at ${env.DEPLOY_AWS_EMULATOR_URL}`);

const apps = args.has('--no-web') ? APPS.filter((app) => !app.web).map((app) => app.name) : undefined;
const stack = await startStack(env, { apps });
const shutdown = async () => {
  console.log('\n[start] stopping…');
  await stack.stop();
  await stopEc2Emulator();
  await stopS3();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT}`;
const webUrl = `http://localhost:${env.WEB_PORT}`;
const demo = await seedDemo(gatewayUrl, webUrl);
let demoShop = 'not available';
try {
  const admin = new URL(env.DATABASE_URL);
  admin.pathname = '/postgres';
  console.log('[start] preparing the demo shop database (first run: about a minute)…');
  const settings = await ensureDemoShop(admin.toString(), 'elasticdash_demo_shop', {
    log: (line) => console.log(`[demo-shop] ${line}`),
  });
  const connection = await registerDemoShop(gatewayUrl, demo, settings);
  demoShop = `connection "${connection.name}" (${settings.database}: customers, products, 1,000,000 orders)`;
} catch (error) {
  console.warn(`[start] the demo shop could not be set up: ${error.message}`);
}
console.log(`
┌────────────────────────────────────────────────────────────┐
  ElasticDash is running
  Web:       ${webUrl}
  API docs:  ${gatewayUrl}/api/docs
  Log in as  ${demo.user.email} / ${demo.user.password}
  Workspace  "${demo.tenant.name}"
  Data:      ${demoShop}
  Ctrl+C stops everything.
└────────────────────────────────────────────────────────────┘
`);

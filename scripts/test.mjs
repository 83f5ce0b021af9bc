// `npm test`: install, build, lint + format check, typecheck, then unit, integration and
// end-to-end tests (vitest; the e2e project starts the whole platform and drives Chromium).
import { existsSync } from 'node:fs';
import { installDependencies, pnpm } from './lib/pnpm.mjs';

const step = (title) => console.log(`\n━━ ${title} ━━`);

step('install');
installDependencies();

const chromium = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `[test] Chromium is missing at ${chromium}: install it with \`apt-get install -y chromium\` (bash .ci/run does).`,
  );
  process.exit(1);
}

const { loadStackEnv } = await import('./lib/env-file.mjs');
const { checkInfrastructure } = await import('./lib/stack.mjs');
try {
  await checkInfrastructure(loadStackEnv().env);
} catch (error) {
  console.error(`[test] ${error.message}`);
  process.exit(1);
}

// The AWS SDK's notice that releases after January 2027 need Node 22 (pinned below them; ENVIRONMENT.md).
const env = { NEXT_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
step('build');
pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { env });
step('lint and format');
pnpm(['run', 'lint']);
step('typecheck');
pnpm(['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only'], { env });
pnpm(['exec', 'tsc', '-p', 'tsconfig.json']);
step('unit, integration, fault and end-to-end tests');
pnpm(
  [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    ...['unit', 'integration', 'faults', 'e2e'].flatMap((p) => ['--project', p]),
  ],
  { env: { ...env, CHROME_PATH: chromium } },
);
// Booting a Debian host and installing PostgreSQL in it takes minutes of CPU: on its own, after
// the rest, so neither slows the other past its timeouts.
step('cloud fidelity: the EC2 user data under cloud-init on a Debian host (docs/cloud-fidelity.md)');
pnpm(['exec', 'vitest', 'run', '--reporter=default', '--project', 'cloud'], { env });

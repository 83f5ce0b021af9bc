import { defineConfig } from 'vitest/config';

// Five tiers (see docs/testing.md): unit (pure logic), integration (one service against real
// Postgres/Redis), faults (processes killed, dependencies restarted: `pnpm test:faults`), e2e
// (the whole platform through the gateway and the browser), cloud (EC2 user data on a real
// Debian host with cloud-init: `pnpm test:testhost`).
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['apps/*/test/**/*.int.test.ts', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['apps/*/test/**/*.faults.test.ts', 'tests/faults/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The exact EC2 user data under real cloud-init on a Debian 12 host booted here
          // (docs/cloud-fidelity.md): one host per file, minutes each, so files run one at a time
          // and `npm test` runs this project on its own after the others.
          name: 'cloud',
          include: ['tests/cloud/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 1_500_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

import type { TestProject } from 'vitest/node';
import { startE2eStack } from '../support/e2e-stack.js';

/** E2E_INSTANCE (0-9) shifts ports and the database, so two checkouts can run e2e at once. */
const instance = Number(process.env.E2E_INSTANCE ?? 0);

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    webUrl: string;
    logDir: string;
    stackEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startE2eStack(instance);
  project.provide('gatewayUrl', stack.gatewayUrl);
  project.provide('webUrl', stack.webUrl);
  project.provide('logDir', stack.logDir);
  project.provide('stackEnv', stack.env);
  return () => stack.stop();
}

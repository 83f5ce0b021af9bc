export interface StackApp {
  name: string;
  portVar: string;
  migrate: boolean;
  web?: boolean;
}
export const APPS: StackApp[];
export function checkInfrastructure(env: Record<string, string>): Promise<void>;
export function ensureDatabase(databaseUrl: string, options?: { recreate?: boolean }): Promise<void>;
export function startLocalS3IfConfigured(env: Record<string, string>, directory: string): Promise<() => Promise<void>>;
export function migrateAll(env: Record<string, string>): void;
export function startStack(
  env: Record<string, string>,
  options?: { logDir?: string; apps?: string[]; onOutput?: (text: string) => void },
): Promise<{ running: { name: string; child: import('node:child_process').ChildProcess }[]; stop(): Promise<void> }>;

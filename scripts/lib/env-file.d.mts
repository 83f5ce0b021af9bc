export function parseEnvFile(file: string): Record<string, string>;
export function loadStackEnv(): { env: Record<string, string>; file: string };

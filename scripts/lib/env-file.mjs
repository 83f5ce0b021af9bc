import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './pnpm.mjs';

/** Parses a dotenv file: KEY=value lines, optional quotes, # comments. */
export function parseEnvFile(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2];
    if ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"')))
      value = value.slice(1, -1);
    env[match[1]] = value;
  }
  return env;
}

/** .env when present, else .env.example; real environment variables win over both. */
export function loadStackEnv() {
  const file = existsSync(path.join(repoRoot, '.env')) ? '.env' : '.env.example';
  const fromFile = parseEnvFile(path.join(repoRoot, file));
  const env = { ...fromFile };
  for (const key of Object.keys(fromFile)) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { env, file };
}

// Runs the repo's pinned pnpm without needing it installed globally: the version comes from
// package.json's packageManager field and is installed once into .tools/ with plain npm
// (corepack cannot verify registry signatures on these machines; see docs/decisions).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function pinnedVersion() {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(pkg.packageManager ?? '');
  if (!match) throw new Error('package.json packageManager must be pnpm@<x.y.z>');
  return match[1];
}

export function pnpmEntry() {
  const version = pinnedVersion();
  const prefix = path.join(repoRoot, '.tools', `pnpm-${version}`);
  const entry = path.join(prefix, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (!existsSync(entry)) {
    console.log(`[setup] installing pnpm ${version} into .tools/ (one time)`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--yes', `pnpm@${version}`], {
      stdio: 'inherit',
    });
  }
  return entry;
}

/**
 * A `pnpm` shim in .tools/bin, put first on PATH for child processes: turbo looks the package
 * manager up by name, and scripts may call `pnpm` themselves.
 */
export function pnpmBinDir() {
  const dir = path.join(repoRoot, '.tools', 'bin');
  const shim = path.join(dir, 'pnpm');
  const entry = pnpmEntry();
  const script = `#!/bin/sh\nexec "${process.execPath}" "${entry}" "$@"\n`;
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== script) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(shim, script);
    chmodSync(shim, 0o755);
  }
  return dir;
}

/** Runs pnpm with inherited stdio; exits the process with pnpm's code when it fails. */
export function pnpm(args, options = {}) {
  const result = spawnSync(process.execPath, [pnpmEntry(), ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
    ...options,
    env: {
      ...process.env,
      COREPACK_ENABLE_STRICT: '0',
      ...options.env,
      PATH: `${pnpmBinDir()}${path.delimiter}${options.env?.PATH ?? process.env.PATH ?? ''}`,
    },
  });
  if (result.status !== 0) {
    console.error(`[setup] pnpm ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

export function installDependencies() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  pnpm(['install', ...frozen, '--reporter=append-only'], { env: { CI: process.env.CI ?? '' } });
}

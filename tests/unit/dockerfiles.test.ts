/**
 * apps/<app>/Dockerfile against the repo: every app has one, multi-stage (turbo prune → install
 * → build → a slim runtime), with the pinned pnpm/turbo, a non-root default stage, a HEALTHCHECK
 * on its port and health path, and build/start commands that exist in the app's package.json.
 * Also .dockerignore and the deploy workflow that builds these images. No Docker engine runs
 * here, so this checks the files; the image layout itself was checked by hand (see
 * docs/operations.md, "Images").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (relative: string): string => readFileSync(path.join(root, relative), 'utf8');

interface Instruction {
  keyword: string;
  value: string;
}

interface Stage {
  name: string;
  /** The image or earlier stage it starts from, ARGs substituted. */
  from: string;
  instructions: Instruction[];
}

interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

/** Instructions of a Dockerfile by stage; line continuations joined, comments dropped. */
function parseDockerfile(text: string): Dockerfile {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', value = ''] = /^(\w+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(value) ?? [];
      const from = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args[(a ?? b)!] ?? '');
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage && upper === 'ARG') {
      const [name = '', ...rest] = value.split('=');
      args[name] = rest.join('=');
    }
    stage?.instructions.push({ keyword: upper, value });
  }
  return { args, stages };
}

/** A stage's instructions including those of the earlier stages it is built FROM. */
function effective(file: Dockerfile, stage: Stage): Instruction[] {
  const parent = file.stages.find((candidate) => candidate.name === stage.from);
  return parent && parent !== stage ? [...effective(file, parent), ...stage.instructions] : stage.instructions;
}

const last = (instructions: Instruction[], keyword: string): string | undefined =>
  instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.value;

/** Exec-form JSON array or shell form, as one command line. */
function commandLine(value: string): string {
  const exec = value.replace(/^CMD\s+/i, '');
  try {
    const parsed: unknown = JSON.parse(exec);
    return Array.isArray(parsed) ? parsed.join(' ') : exec;
  } catch {
    return exec;
  }
}

/** `node node_modules/<pkg>/dist/bin/<bin> …` reads as `<bin> …` (how `next start` is spelled without a shell). */
const asScript = (line: string): string =>
  line.replace(/^node\s+node_modules\/(?:@[^/\s]+\/)?[^/\s]+\/(?:dist\/)?bin\/([\w.-]+?)(?:\.[cm]?js)?(?=\s|$)/, '$1');

// ── the repo ──────────────────────────────────────────────────────────────────────────────────

interface PackageJson {
  name?: string;
  packageManager?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const rootPackage = JSON.parse(read('package.json')) as PackageJson;
const apps = readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(root, 'apps', entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();
const packageJson = (app: string): PackageJson => JSON.parse(read(`apps/${app}/package.json`)) as PackageJson;
const isNext = (app: string): boolean => Boolean(packageJson(app).dependencies?.next);

/** The port an app listens on by default: `<APP>_PORT: zPort.default(N)` in its env schema; web: 3000. */
function defaultPort(app: string): string | undefined {
  if (isNext(app)) return '3000';
  const name = `${app.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PORT`;
  const schema = existsSync(path.join(root, 'apps', app, 'src', 'env.ts')) ? read(`apps/${app}/src/env.ts`) : '';
  return new RegExp(`^\\s+${name}:\\s*zPort\\.default\\(([\\d_]+)\\)`, 'm').exec(schema)?.[1]?.replace(/_/g, '');
}

const healthPath = (app: string): string => (isNext(app) ? '/' : '/health/ready');
const dockerfilePath = (app: string): string => `apps/${app}/Dockerfile`;
const dockerfileOf = (app: string): Dockerfile => parseDockerfile(read(dockerfilePath(app)));

function stageOf(app: string, name: string): Stage {
  const stage = dockerfileOf(app).stages.find((candidate) => candidate.name === name);
  expect(stage, `${dockerfilePath(app)} has no stage "${name}"`).toBeDefined();
  return stage!;
}

// ── tests ─────────────────────────────────────────────────────────────────────────────────────

describe('Dockerfiles', () => {
  it('finds the apps', () => {
    expect(apps).toEqual(expect.arrayContaining(['gateway', 'web', 'worker']));
  });

  it('leaves no root Dockerfile that compose or the deploy workflow still builds', () => {
    const compose = read('docker-compose.yaml');
    const deploy = read('.github/workflows/deploy.yml');
    expect(compose, 'docker-compose.yaml must build apps/<app>/Dockerfile').not.toMatch(
      /dockerfile:\s*\.?\/?Dockerfile\b/,
    );
    expect(deploy, 'deploy.yml must build apps/<app>/Dockerfile').toMatch(
      /apps\/\$\{\{\s*matrix\.app\s*\}\}\/Dockerfile/,
    );
  });

  it('keeps local installs, build output, secrets and git out of the build context (.dockerignore)', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const pattern of ['.git', '**/node_modules', '**/dist', '**/.next', '.env', '.env.*']) {
      expect(ignored, `.dockerignore must list ${pattern}`).toContain(pattern);
    }
    // Each Dockerfile copies these from the context.
    for (const needed of [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'tsconfig.base.json',
      'apps',
      'packages',
    ]) {
      expect(ignored, `.dockerignore must not exclude ${needed}`).not.toContain(needed);
    }
  });
});

for (const app of apps) {
  describe(`apps/${app}/Dockerfile`, () => {
    it('exists and is multi-stage: turbo prune of this app → install → build → runtime', () => {
      expect(existsSync(path.join(root, dockerfilePath(app))), `${dockerfilePath(app)} is missing`).toBe(true);
      const file = dockerfileOf(app);
      const names = file.stages.map((stage) => stage.name);
      // Next.js apps ship the standalone output, which carries its own traced node_modules: no deps stage.
      const expected = isNext(app)
        ? ['base', 'prune', 'build', 'runtime']
        : ['base', 'prune', 'deps', 'build', 'runtime'];
      expect(names).toEqual(expect.arrayContaining(expected));
      const prune = stageOf(app, 'prune')
        .instructions.map((instruction) => instruction.value)
        .join('\n');
      expect(prune, `${app}: the prune stage must run turbo prune for @elasticdash/${app}`).toMatch(
        new RegExp(`turbo prune ${packageJson(app).name!.replace('/', '\\/')} --docker\\b`),
      );
      const install = stageOf(app, isNext(app) ? 'build' : 'deps')
        .instructions.map((instruction) => instruction.value)
        .join('\n');
      expect(install, `${app}: must install from the lockfile, only this app and its workspace packages`).toContain(
        `pnpm install --frozen-lockfile ${isNext(app) ? '' : '--prod '}--filter "${packageJson(app).name}..."`,
      );
    });

    it('installs the pnpm of package.json "packageManager" and the turbo of the root devDependencies', () => {
      const file = dockerfileOf(app);
      const base = stageOf(app, 'base');
      const argDefaults = Object.fromEntries(
        base.instructions
          .filter((instruction) => instruction.keyword === 'ARG')
          .map((instruction) => instruction.value.split('=') as [string, string]),
      );
      const resolve = (value: string) =>
        value.replace(/\$\{(\w+)\}/g, (_, name: string) => argDefaults[name] ?? file.args[name] ?? '');
      const installs = resolve(base.instructions.map((instruction) => instruction.value).join('\n'));
      const pnpm = /^pnpm@(\d+\.\d+\.\d+)/.exec(rootPackage.packageManager ?? '')?.[1];
      expect(installs, `${app}: must install pnpm@${pnpm}`).toContain(`pnpm@${pnpm}`);
      expect(installs, `${app}: must install turbo@${rootPackage.devDependencies?.turbo}`).toContain(
        `turbo@${rootPackage.devDependencies?.turbo}`,
      );
    });

    it('ends with a slim `runtime` stage, the default target, that holds no sources and runs as non-root', () => {
      const file = dockerfileOf(app);
      const runtime = file.stages.at(-1)!;
      expect(runtime.name, `${app}: the last stage (the default build target) must be "runtime"`).toBe('runtime');
      const instructions = effective(file, runtime);
      const user = last(instructions, 'USER');
      expect(user, `${app}: runtime must switch to a non-root USER`).toBeTruthy();
      expect(['root', '0', '0:0'], `${app}: runtime runs as root`).not.toContain(user);
      // Follow FROM <stage> back to the image the runtime really starts from.
      let base: Stage = runtime;
      while (file.stages.some((candidate) => candidate.name === base.from)) {
        base = file.stages.find((candidate) => candidate.name === base.from)!;
      }
      expect(base.from, `${app}: runtime must start from a slim Node image`).toMatch(/^node:\d+[\w.-]*-slim$/);
      const copies = instructions.filter((instruction) => instruction.keyword === 'COPY');
      expect(copies.length).toBeGreaterThan(0);
      for (const copy of copies) {
        expect(copy.value, `${app}: runtime must copy only from build stages, not the context`).toMatch(/^--from=/);
      }
    });

    it(`EXPOSEs its port and has a HEALTHCHECK on ${healthPath(app)}`, () => {
      const file = dockerfileOf(app);
      const port = defaultPort(app);
      expect(port, `${app}: no default port in its env schema`).toBeTruthy();
      for (const stage of file.stages.filter((candidate) => ['runtime', 'local-target'].includes(candidate.name))) {
        const instructions = effective(file, stage);
        expect(last(instructions, 'EXPOSE')?.split(/\s+/), `${app}: stage ${stage.name} EXPOSE`).toContain(port);
        const health = last(instructions, 'HEALTHCHECK') ?? '';
        expect(health, `${app}: stage ${stage.name} has no HEALTHCHECK`).toMatch(/CMD/);
        expect(health, `${app}: HEALTHCHECK must fall back to port ${port}`).toContain(`|| ${port})`);
        expect(health, `${app}: HEALTHCHECK must request ${healthPath(app)}`).toContain(`'${healthPath(app)}'`);
      }
    });

    it('runs only scripts of its package.json, and starts with its `start` script', () => {
      const scripts = packageJson(app).scripts ?? {};
      const text = read(dockerfilePath(app));
      const runs = [...text.matchAll(/\bpnpm\b[^\n]*?\brun\s+([a-z][\w:-]*)/g)].map((match) => match[1]!);
      expect(runs, `${app}: the Dockerfile must build with "pnpm … run build"`).toContain('build');
      for (const script of runs) {
        expect(
          scripts,
          `${app}: the Dockerfile runs "${script}", missing from apps/${app}/package.json`,
        ).toHaveProperty([script]);
      }
      const file = dockerfileOf(app);
      const cmd = last(effective(file, file.stages.at(-1)!), 'CMD');
      expect(cmd, `${app}: runtime has no CMD`).toBeTruthy();
      const command = asScript(commandLine(cmd!));
      if (isNext(app)) {
        // `next build` with output: 'standalone' emits server.js, the `next start` server without
        // the build toolchain; next.config.ts turns it on only when the image build sets NEXT_OUTPUT.
        expect(scripts.build).toBe('next build');
        expect(scripts.start).toMatch(/^next start\b/);
        expect(command).toBe('node server.js');
        expect(text).toMatch(/ENV NEXT_OUTPUT=standalone\s*\nRUN pnpm --filter "@elasticdash\/web\.\.\." run build/);
        expect(text).toContain(`test -f /out/apps/${app}/server.js`);
        const config = read(`apps/${app}/next.config.ts`);
        expect(config).toMatch(/process\.env\.NEXT_OUTPUT === 'standalone'/);
        expect(config).toMatch(/output: 'standalone'/);
        return;
      }
      const start = scripts.start ?? '';
      expect(
        command === start || command.startsWith(`${start} `),
        `${app}: CMD "${command}" is not the start script "${start}"`,
      ).toBe(true);
      const built = /^node\s+dist\/([\w/-]+)\.js/.exec(command)?.[1];
      if (built) {
        expect(existsSync(path.join(root, 'apps', app, 'src', `${built}.ts`)), `apps/${app}/src/${built}.ts`).toBe(
          true,
        );
        expect(text, `${app}: the build must check that dist/${built}.js exists`).toContain(
          `test -f /out/apps/${app}/dist/${built}.js`,
        );
      }
    });

    it('keeps what its migrate script needs (dist/migrate.js and drizzle/)', () => {
      const migrate = packageJson(app).scripts?.migrate;
      const text = read(dockerfilePath(app));
      if (!migrate) {
        expect(existsSync(path.join(root, 'apps', app, 'drizzle')), `${app}: has drizzle/ but no migrate script`).toBe(
          false,
        );
        return;
      }
      expect(migrate).toBe('node dist/migrate.js');
      expect(existsSync(path.join(root, 'apps', app, 'src', 'migrate.ts'))).toBe(true);
      expect(existsSync(path.join(root, 'apps', app, 'drizzle')), `apps/${app}/drizzle`).toBe(true);
      expect(text, `${app}: the build must copy drizzle/ into the image`).toMatch(/for entry in [^;]*\bdrizzle\b/);
    });
  });
}

describe('apps/worker/Dockerfile local target', () => {
  it('has a root `local-target` stage with the PostgreSQL server and python3, never the default', () => {
    const file = dockerfileOf('worker');
    const local = stageOf('worker', 'local-target');
    const text = local.instructions.map((instruction) => instruction.value).join('\n');
    expect(text).toMatch(/apt-get install[^\n]*\bpostgresql-\d+\b/);
    expect(text).toMatch(/apt-get install[^\n]*\bpython3\b/);
    // runuser to `postgres` and chown of the deployment directories need root (local-target.ts).
    expect(last(effective(file, local), 'USER')).toBe('root');
    expect(file.stages.at(-1)!.name).not.toBe('local-target');
    expect(read('apps/worker/src/deploy/local-target.ts')).toMatch(/runuser/);
  });
});

describe('.github/workflows', () => {
  const ci = parse(read('.github/workflows/ci.yml')) as { jobs?: Record<string, { steps?: { run?: string }[] }> };
  const deploy = parse(read('.github/workflows/deploy.yml')) as {
    jobs?: Record<string, { strategy?: { matrix?: { app?: string[] } }; steps?: { run?: string; uses?: string }[] }>;
  };

  it('CI runs the README test command (npm test)', () => {
    const runs = Object.values(ci.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
    expect(runs.map((run) => run.trim())).toContain('npm test');
  });

  it('deploy builds and pushes every app, stage runtime, and runs each migrate script before updating ECS', () => {
    const jobs = Object.values(deploy.jobs ?? {});
    const matrices = jobs.map((job) => job.strategy?.matrix?.app ?? []).filter((list) => list.length > 0);
    expect(matrices.length, 'deploy.yml needs a job with a matrix of apps').toBeGreaterThan(0);
    for (const list of matrices) expect([...list].sort()).toEqual(apps);
    const text = read('.github/workflows/deploy.yml');
    expect(text).toMatch(/--target runtime\b|target:\s*runtime\b/);
    expect(text).toMatch(/aws ecs update-service/);
    expect(text).toMatch(/aws ecs wait services-stable/);
    for (const app of apps.filter((candidate) => packageJson(candidate).scripts?.migrate)) {
      expect(text, `deploy.yml must migrate ${app}`).toContain(app);
    }
    expect(text).toContain('node dist/migrate.js');
  });
});

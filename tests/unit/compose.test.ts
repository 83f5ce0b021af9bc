/**
 * docker-compose.yaml against the repo itself. Every expectation is derived from the code (apps/
 * directories, their env schemas and package.json scripts, .env.example), so adding an app or an
 * env var without updating the container setup fails here. The Dockerfiles themselves
 * (apps/<app>/Dockerfile) are checked in dockerfiles.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (relative: string): string => readFileSync(path.join(root, relative), 'utf8');

// ── docker-compose.yaml ────────────────────────────────────────────────────────────────────────

interface ComposeService {
  image?: string;
  build?:
    string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, unknown> | string[] };
  command?: string | string[];
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

const compose = parse(read('docker-compose.yaml')) as { services?: Record<string, ComposeService> };
const services = compose.services ?? {};

/** Turns the list form (`KEY=value`) and the map form of a compose key/value block into a map. */
function keyValues(block: Record<string, unknown> | string[] | undefined): Record<string, string> {
  if (!block) return {};
  if (Array.isArray(block)) {
    return Object.fromEntries(
      block.map((entry) => {
        const [key = '', ...rest] = entry.split('=');
        return [key, rest.join('=')];
      }),
    );
  }
  return Object.fromEntries(Object.entries(block).map(([key, value]) => [key, value == null ? '' : String(value)]));
}

function buildOf(service: ComposeService): {
  context?: string;
  dockerfile?: string;
  target?: string;
  args: Record<string, string>;
} {
  if (typeof service.build === 'string') return { context: service.build, args: {} };
  return {
    context: service.build?.context,
    dockerfile: service.build?.dockerfile,
    target: service.build?.target,
    args: keyValues(service.build?.args),
  };
}

/** The app a compose service builds: apps/<app>/Dockerfile. */
const builtApp = (service: ComposeService): string | undefined =>
  /^(?:\.\/)?apps\/([\w-]+)\/Dockerfile$/.exec(buildOf(service).dockerfile ?? '')?.[1];

/** [published, container] port pairs of a service. */
function portsOf(service: ComposeService): [string | undefined, string][] {
  return (service.ports ?? []).map((entry) => {
    if (typeof entry === 'object') return [entry.published?.toString(), String(entry.target)];
    const parts = String(entry).split('/')[0]!.split(':');
    const container = parts.at(-1)!;
    return [parts.length > 1 ? parts.at(-2) : undefined, container];
  });
}

function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition]));
}

const words = (command: string | string[] | undefined): string =>
  Array.isArray(command) ? command.join(' ') : (command ?? '');

// ── the apps ───────────────────────────────────────────────────────────────────────────────────

const envExample: Record<string, string> = {};
for (const line of read('.env.example').split('\n')) {
  const match = /^\s*([A-Z][A-Z0-9_]*)\s*=(.*)$/.exec(line);
  if (match) envExample[match[1]!] = match[2]!.trim();
}

const apps = readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
  .map((entry) => entry.name)
  .sort();

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

function packageJson(app: string): PackageJson {
  const file = path.join('apps', app, 'package.json');
  return existsSync(path.join(root, file)) ? (JSON.parse(read(file)) as PackageJson) : {};
}

const envSchemaFile = (app: string) => path.join('apps', app, 'src', 'env.ts');
const envSchema = (app: string): string =>
  existsSync(path.join(root, envSchemaFile(app))) ? read(envSchemaFile(app)) : '';
const isNext = (app: string): boolean => Boolean(packageJson(app).dependencies?.next);

/** Keys of a zod object literal: lines like `  NAME: z...`. */
const schemaKeys = (source: string): string[] => [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);

const serviceBaseKeys = (() => {
  const block = /export const ZServiceBaseEnv = z\.object\(\{([\s\S]*?)\n\}\)/.exec(
    read('packages/service-kit/src/env.ts'),
  );
  return schemaKeys(block?.[1] ?? '');
})();

/** Keys of the shared S3 env schema, spread into an app's env with `...ZS3Env.shape`. */
const s3EnvKeys = (() => {
  const block = /export const ZS3Env = z\.object\(\{([\s\S]*?)\n\}\)/.exec(read('packages/service-kit/src/s3.ts'));
  return schemaKeys(block?.[1] ?? '');
})();

const OS_VARIABLES = new Set(['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'SHELL']);

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.next', '.turbo', 'test', 'drizzle', 'public']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(full);
    const isSource = /\.(?:[cm]?[jt]s|tsx|jsx)$/.test(entry.name);
    const isTestOrTypes = /\.(?:spec|test)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/.test(entry.name);
    return isSource && !isTestOrTypes ? [full] : [];
  });
}

/**
 * `process.env.NAME` / `process.env['NAME']`; in Next.js apps also `env.NAME`, because the web app
 * hands `process.env` to helpers (e.g. securityHeaders(process.env) in proxy.ts) that read it there.
 */
const envReference = (app: string): RegExp =>
  isNext(app)
    ? /process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]|\benv\.([A-Z][A-Z0-9_]*)/g
    : /process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g;

/**
 * Every env var an app reads: the keys of its zod env schema (apps/<app>/src/env.ts, plus
 * ZServiceBaseEnv when it extends it) and every `process.env.NAME` in its sources. For Next.js
 * apps NEXT_PUBLIC_*, NEXT_RUNTIME and NODE_ENV are left out: Next inlines them at build time,
 * so the container environment cannot set them; so is NEXT_OUTPUT, read by next.config.ts only
 * during the image's `next build` (apps/web/Dockerfile).
 */
function envVarsRead(app: string): string[] {
  const names = new Set<string>();
  const schema = envSchema(app);
  for (const key of schemaKeys(schema)) names.add(key);
  if (/\bZServiceBaseEnv\b/.test(schema)) for (const key of serviceBaseKeys) names.add(key);
  if (/\bZS3Env\b/.test(schema)) for (const key of s3EnvKeys) names.add(key);
  for (const file of sourceFiles(path.join(root, 'apps', app))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(envReference(app))) {
      const name = (match[1] ?? match[2] ?? match[3])!;
      // Provided by the OS / container runtime, not configuration (e.g. PATH handed to child processes).
      if (OS_VARIABLES.has(name)) continue;
      if (isNext(app) && /^(?:NEXT_PUBLIC_\w+|NEXT_RUNTIME|NODE_ENV|NEXT_OUTPUT)$/.test(name)) continue;
      names.add(name);
    }
  }
  return [...names].sort();
}

const portVar = (app: string): string => `${app.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PORT`;

/** `<APP>_PORT: zPort.default(NNNN)` in the app's env schema, else <APP>_PORT in .env.example. */
function defaultPort(app: string): string | undefined {
  const name = portVar(app);
  const fromSchema = new RegExp(`^\\s+${name}:\\s*zPort\\.default\\(([\\d_]+)\\)`, 'm').exec(envSchema(app));
  return fromSchema ? fromSchema[1]!.replace(/_/g, '') : envExample[name];
}

const healthPath = (app: string): string => (isNext(app) ? '/' : '/health/ready');

/** The compose service of an app; fails with a message naming the app when there is none. */
function serviceOf(app: string): ComposeService {
  const service = services[app];
  expect(service, `apps/${app} has no service "${app}" in docker-compose.yaml`).toBeDefined();
  return service!;
}

/** Stage names of an app's Dockerfile (`FROM … AS <name>`). */
function stageNames(app: string): string[] {
  const file = path.join('apps', app, 'Dockerfile');
  if (!existsSync(path.join(root, file))) return [];
  return [...read(file).matchAll(/^FROM\s+\S+\s+AS\s+([\w.-]+)\s*$/gim)].map((match) => match[1]!);
}

// ── tests ──────────────────────────────────────────────────────────────────────────────────────

describe('docker-compose.yaml infrastructure', () => {
  it('finds the apps and the ZServiceBaseEnv keys it derives expectations from', () => {
    expect(apps.length, 'apps/ has no app directories').toBeGreaterThan(0);
    expect(serviceBaseKeys, 'could not read the keys of ZServiceBaseEnv in packages/service-kit/src/env.ts').toContain(
      'NODE_ENV',
    );
    expect(s3EnvKeys, 'could not read the keys of ZS3Env in packages/service-kit/src/s3.ts').toContain('S3_BUCKET');
  });

  it.each(['postgres', 'redis', 'minio'])('has a %s service with a healthcheck', (name) => {
    const service = services[name];
    expect(service, `docker-compose.yaml has no "${name}" service`).toBeDefined();
    expect(service?.healthcheck?.test, `${name}: docker-compose.yaml service has no healthcheck`).toBeTruthy();
    expect(service?.healthcheck?.disable, `${name}: healthcheck is disabled`).not.toBe(true);
  });

  it('waits only on healthy or completed dependencies', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        expect(services[dependency], `${name}: depends_on unknown service "${dependency}"`).toBeDefined();
        expect(
          ['service_healthy', 'service_completed_successfully'],
          `${name}: depends_on ${dependency} needs condition service_healthy or service_completed_successfully`,
        ).toContain(condition);
      }
    }
  });
});

for (const app of apps) {
  describe(`app ${app}`, () => {
    it('has a compose service of the same name', () => {
      serviceOf(app);
    });

    it('publishes the default port of its env schema', () => {
      const port = defaultPort(app);
      expect(
        port,
        `${app}: no ${portVar(app)}: zPort.default(…) in ${envSchemaFile(app)} nor ${portVar(app)} in .env.example`,
      ).toBeTruthy();
      const ports = portsOf(serviceOf(app));
      expect(
        ports.some(([published, container]) => container === port && published === port),
        `${app}: docker-compose.yaml does not publish ${port}:${port} (${portVar(app)}); ports are ${JSON.stringify(serviceOf(app).ports ?? [])}`,
      ).toBe(true);
    });

    it(`is built from apps/${app}/Dockerfile with the repo root as context, at a stage of that file`, () => {
      const build = buildOf(serviceOf(app));
      expect(build.context, `${app}: build context must be the repo root (".")`).toMatch(/^\.\/?$/);
      expect(builtApp(serviceOf(app)), `${app}: build.dockerfile must be apps/${app}/Dockerfile`).toBe(app);
      // The cloud runs stage `runtime`; only the worker's compose service uses `local-target`, which
      // adds the PostgreSQL server for local-target deployments (see dockerfiles.test.ts).
      const expected = app === 'worker' ? 'local-target' : 'runtime';
      expect(build.target, `${app}: build.target must be "${expected}"`).toBe(expected);
      expect(stageNames(app), `${app}: apps/${app}/Dockerfile has no stage "${expected}"`).toContain(expected);
    });

    it('sets every env var the app reads', () => {
      const environment = keyValues(serviceOf(app).environment);
      const missing = envVarsRead(app).filter((name) => !(name in environment));
      expect(missing, `${app}: docker-compose.yaml environment lacks ${missing.join(', ')}`).toEqual([]);
    });

    it('reads only env vars listed in .env.example', () => {
      const missing = envVarsRead(app).filter((name) => !(name in envExample));
      expect(missing, `${app}: .env.example lacks ${missing.join(', ')} (read by apps/${app})`).toEqual([]);
    });

    it(`has a healthcheck on its port hitting ${healthPath(app)}`, () => {
      const service = serviceOf(app);
      const test = words(service.healthcheck?.test);
      expect(service.healthcheck?.disable, `${app}: healthcheck is disabled`).not.toBe(true);
      const url = `:${defaultPort(app)}${healthPath(app)}`;
      expect(
        test.includes(`${url}'`) || test.includes(`${url}"`) || (healthPath(app) !== '/' && test.includes(url)),
        `${app}: healthcheck must request ${url} (…${healthPath(app)}), it is: ${test || '(none)'}`,
      ).toBe(true);
    });

    it('runs only package.json scripts and their built files in compose commands', () => {
      const scripts = packageJson(app).scripts ?? {};
      const commands = Object.values(services)
        .filter((service) => builtApp(service) === app && service.command)
        .map((service) => words(service.command));
      for (const command of commands) {
        expect(
          Object.values(scripts).some((script) => command === script || command.startsWith(`${script} `)),
          `${app}: compose command "${command}" is none of the scripts in apps/${app}/package.json`,
        ).toBe(true);
        const built = /^node\s+dist\/([\w/-]+)\.js/.exec(command)?.[1];
        if (built) {
          expect(
            existsSync(path.join(root, 'apps', app, 'src', `${built}.ts`)),
            `${app}: "${command}" runs dist/${built}.js but apps/${app}/src/${built}.ts does not exist`,
          ).toBe(true);
        }
      }
    });

    it('runs its migrations in a one-shot service before it starts', () => {
      const migrate = packageJson(app).scripts?.migrate;
      if (!migrate) return;
      const runner = Object.entries(services).find(
        ([name, service]) => name !== app && builtApp(service) === app && words(service.command) === migrate,
      );
      expect(
        runner,
        `${app}: no compose service builds apps/${app}/Dockerfile and runs its migrate script "${migrate}"`,
      ).toBeDefined();
      const [runnerName, runnerService] = runner!;
      expect(keyValues(runnerService.environment), `${runnerName}: needs DATABASE_URL`).toHaveProperty([
        'DATABASE_URL',
      ]);
      expect(
        dependsOn(serviceOf(app))[runnerName],
        `${app}: must depend_on ${runnerName} with condition service_completed_successfully`,
      ).toBe('service_completed_successfully');
    });

    it('waits for every compose service its env vars point at', () => {
      const service = serviceOf(app);
      const deps = dependsOn(service);
      for (const [name, value] of Object.entries(keyValues(service.environment))) {
        let host: string;
        try {
          host = new URL(value).hostname;
        } catch {
          continue;
        }
        if (host in services && host !== app) {
          expect(deps, `${app}: ${name} points at "${host}" but ${app} does not depend_on it`).toHaveProperty([host]);
        }
      }
    });
  });
}

/**
 * infra/terraform against the repo. `terraform validate` needs the AWS provider, which cannot be
 * downloaded here, so this reads the HCL itself: module calls pass only variables the module
 * declares (and every required one), referenced module outputs exist, every variable and output
 * is documented in infra/terraform/README.md, each app of apps/ has its ECS service, ECR
 * repository, log group and an environment covering every variable its env schema reads, only
 * web and gateway sit behind the ALB, and the worker scales on queue depth. `terraform fmt
 * -check` runs when the binary is installed. Also the queue-metrics Lambda's pure parts and its
 * Redis client against a fake RESP server.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backlogPerTask,
  encodeCommand,
  parseReplies,
  queueCommands,
  queueCounts,
  redisQuery,
} from '../../infra/terraform/modules/queue-metrics/src/index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tf = path.join(root, 'infra', 'terraform');
const read = (file: string): string => readFileSync(file, 'utf8');
const tfFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .map((name) => path.join(dir, name));
const tfText = (dir: string): string => tfFiles(dir).map(read).join('\n');

/** Top-level blocks `<kind> "<name>" { … }` with their bodies (brace-matched, strings skipped). */
function blocks(text: string, kind: string): { name: string; body: string }[] {
  const found: { name: string; body: string }[] = [];
  const pattern = new RegExp(`^${kind} "([\\w-]+)"(?: "([\\w-]+)")? \\{`, 'gm');
  for (const match of text.matchAll(pattern)) {
    const start = match.index + match[0].length;
    let depth = 1;
    let index = start;
    let inString = false;
    for (; index < text.length && depth > 0; index++) {
      const char = text[index];
      if (inString) {
        if (char === '\\') index++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{') depth++;
      else if (char === '}') depth--;
    }
    found.push({ name: match[2] ? `${match[1]}.${match[2]}` : match[1]!, body: text.slice(start, index - 1) });
  }
  return found;
}

/** Arguments set at the top level of a block body (two-space indent). */
const topLevelArguments = (body: string): string[] => [...body.matchAll(/^ {2}(\w+)\s*=/gm)].map((match) => match[1]!);

interface ModuleVariables {
  declared: string[];
  required: string[];
}

function moduleVariables(dir: string): ModuleVariables {
  const variables = blocks(tfText(dir), 'variable');
  return {
    declared: variables.map((variable) => variable.name),
    required: variables.filter((variable) => !/^\s*default\s*=/m.test(variable.body)).map((variable) => variable.name),
  };
}

const moduleOutputs = (dir: string): string[] => blocks(tfText(dir), 'output').map((output) => output.name);

const rootText = tfText(tf);
const moduleCalls = blocks(rootText, 'module').map(({ name, body }) => ({
  name,
  body,
  source: /^\s*source\s*=\s*"([^"]+)"/m.exec(body)?.[1] ?? '',
}));
const moduleDirs = readdirSync(path.join(tf, 'modules')).sort();
const readme = existsSync(path.join(tf, 'README.md')) ? read(path.join(tf, 'README.md')) : '';

// ── the apps ──────────────────────────────────────────────────────────────────────────────────

const apps = readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(root, 'apps', entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();
const packageJson = (app: string) =>
  JSON.parse(read(path.join(root, 'apps', app, 'package.json'))) as {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
const isNext = (app: string): boolean => Boolean(packageJson(app).dependencies?.next);

const schemaKeys = (source: string): string[] => [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
function objectKeys(file: string, exported: string): string[] {
  const block = new RegExp(`export const ${exported} = z\\.object\\(\\{([\\s\\S]*?)\\n\\}\\)`).exec(
    read(path.join(root, file)),
  );
  return schemaKeys(block?.[1] ?? '');
}
const sharedSchemas: [RegExp, string[]][] = [
  [/\bZServiceBaseEnv\b/, objectKeys('packages/service-kit/src/env.ts', 'ZServiceBaseEnv')],
  [/\bZS3Env\b/, objectKeys('packages/service-kit/src/s3.ts', 'ZS3Env')],
  [/\bZSecretsKeyEnv\b/, objectKeys('packages/service-kit/src/secrets/keyring.ts', 'ZSecretsKeyEnv')],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'dist', '.next', '.turbo', 'test', 'drizzle', 'public'].includes(entry.name)
        ? []
        : sourceFiles(full);
    }
    return /\.(?:[cm]?[jt]s|tsx)$/.test(entry.name) && !/\.(?:spec|test)\.|\.d\.[cm]?ts$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** Env vars an app reads: its env schema (with the shared schemas it extends) and process.env.X in its sources. */
function envVarsRead(app: string): string[] {
  const names = new Set<string>();
  const schemaFile = path.join(root, 'apps', app, 'src', 'env.ts');
  const schema = existsSync(schemaFile) ? read(schemaFile) : '';
  for (const key of schemaKeys(schema)) names.add(key);
  for (const [pattern, keys] of sharedSchemas) if (pattern.test(schema)) for (const key of keys) names.add(key);
  for (const file of sourceFiles(path.join(root, 'apps', app))) {
    // In Next.js apps also `env.NAME`: the web app hands process.env to helpers (securityHeaders).
    const pattern = isNext(app)
      ? /process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]|\benv\.([A-Z][A-Z0-9_]*)/g
      : /process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g;
    for (const match of read(file).matchAll(pattern)) {
      const name = (match[1] ?? match[2] ?? match[3])!;
      if (['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'SHELL'].includes(name)) continue;
      if (isNext(app) && /^(?:NEXT_PUBLIC_\w+|NEXT_RUNTIME|NODE_ENV|NEXT_OUTPUT)$/.test(name)) continue;
      names.add(name);
    }
  }
  return [...names].sort();
}

const appsTf = read(path.join(tf, 'apps.tf'));
const appsBlock = blocks(appsTf.replace(/^ {2}apps = \{/m, 'apps "all" {'), 'apps')[0]?.body ?? '';

/** The `"<app>" = { … }` entry of local.apps in apps.tf. */
function appEntry(app: string): string {
  const start = appsBlock.indexOf(`"${app}" = {`);
  if (start === -1) return '';
  let depth = 0;
  for (let index = appsBlock.indexOf('{', start); index < appsBlock.length; index++) {
    if (appsBlock[index] === '{') depth++;
    else if (appsBlock[index] === '}' && --depth === 0) return appsBlock.slice(start, index + 1);
  }
  return '';
}

const localList = (name: string): string[] => {
  const body = new RegExp(`^\\s+${name}\\s*=\\s*\\[([^\\]]*)\\]`, 'm').exec(appsTf)?.[1] ?? '';
  return [...body.matchAll(/"([A-Z0-9_]+)"/g)].map((match) => match[1]!);
};
const localMapKeys = (name: string): string[] => {
  const body = new RegExp(`^\\s+${name}\\s*=\\s*\\{([\\s\\S]*?)\\n\\s+\\}`, 'm').exec(appsTf)?.[1] ?? '';
  return [...body.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s*=/gm)].map((match) => match[1]!);
};

/** Env var names an app gets on ECS (config keys, secrets) or deliberately leaves at their default. */
function ecsEnv(app: string): { provided: string[]; defaults: string[] } {
  const entry = appEntry(app);
  const config = /config\s*=\s*(?:merge\(([\w.]+),\s*)?\{([\s\S]*?)\n\s{6}\}\)?/.exec(entry);
  const provided = [...(config?.[2] ?? '').matchAll(/^\s+([A-Z][A-Z0-9_]+)\s*=/gm)].map((match) => match[1]!);
  if (config?.[1] === 'local.service_base_config') provided.push(...localMapKeys('service_base_config'));
  const list = (key: string) => {
    const value = new RegExp(`^\\s+${key}\\s*=\\s*([^\\n]*(?:\\n\\s+"[^\\n]*)*)`, 'm').exec(entry)?.[1] ?? '';
    const names = [...value.matchAll(/"([A-Z][A-Z0-9_]+)"/g)].map((match) => match[1]!);
    if (value.includes('local.s3_defaults')) names.push(...localList('s3_defaults'));
    return names;
  };
  return { provided: [...provided, ...list('secrets')], defaults: list('defaults') };
}

const attribute = (entry: string, key: string): string | undefined =>
  new RegExp(`^\\s+${key}\\s*=\\s*(.+)$`, 'm').exec(entry)?.[1]?.trim();

const TERRAFORM_PATHS = ['/usr/local/bin/terraform', '/usr/bin/terraform'];

/** The terraform binary: TERRAFORM_BIN, else the first on PATH, else a usual location; undefined when absent. */
function terraformBin(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'terraform'));
  return [process.env.TERRAFORM_BIN ?? '', ...onPath, ...TERRAFORM_PATHS].find(
    (candidate) => candidate !== '' && existsSync(candidate),
  );
}

// ── tests ─────────────────────────────────────────────────────────────────────────────────────

describe('terraform fmt', () => {
  it('is clean (terraform fmt -check -recursive), when the terraform binary is installed', () => {
    const bin = terraformBin();
    if (!bin) {
      // Not installed (e.g. CI on GitHub's runners): say so loudly instead of passing silently;
      // every check below still runs.
      const reason = `terraform not found (TERRAFORM_BIN, PATH, ${TERRAFORM_PATHS.join(', ')}): fmt check not run`;
      console.warn(`[terraform.test] ${reason}`);
      expect(reason).toMatch(/not found/);
      return;
    }
    const result = spawnSync(bin, ['fmt', '-check', '-recursive', '-diff', tf], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(
      result.status,
      `terraform fmt -check failed; run \`terraform fmt -recursive infra/terraform\`:\n${result.stdout}`,
    ).toBe(0);
  });
});

describe('apps.tf evaluated by terraform itself', () => {
  // apps.tf needs no provider: copied next to a stub of modules/storage it can be initialised and
  // evaluated offline with `terraform console`, which cross-checks the regex reading of this file.
  it('gives every app the same env var names the checks below read from the file', () => {
    const bin = terraformBin();
    if (!bin) {
      const reason = 'terraform not installed: apps.tf not evaluated (the file-level checks still run)';
      console.warn(`[terraform.test] ${reason}`);
      expect(reason).toMatch(/not installed/);
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'ed-tf-apps-'));
    try {
      copyFileSync(path.join(tf, 'apps.tf'), path.join(dir, 'apps.tf'));
      copyFileSync(path.join(tf, 'variables.tf'), path.join(dir, 'variables.tf'));
      mkdirSync(path.join(dir, 'storage'));
      writeFileSync(path.join(dir, 'storage', 'main.tf'), 'output "datasets_bucket" {\n  value = "stub-datasets"\n}\n');
      writeFileSync(path.join(dir, 'stub.tf'), 'module "storage" {\n  source = "./storage"\n}\n');
      const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
      const init = spawnSync(bin, ['init', '-backend=false', '-input=false'], { cwd: dir, encoding: 'utf8', env });
      expect(init.status, `terraform init (local modules only) failed:\n${init.stdout}${init.stderr}`).toBe(0);
      const console_ = spawnSync(
        bin,
        [
          'console',
          '-var',
          'domain_name=app.example.com',
          '-var',
          'api_domain_name=api.example.com',
          '-var',
          'certificate_arn=arn',
        ],
        {
          cwd: dir,
          encoding: 'utf8',
          env,
          input:
            'jsonencode({ for app, cfg in local.apps : app => { config = keys(cfg.config), secrets = cfg.secrets, defaults = cfg.defaults, port = cfg.port, public = cfg.public_host != null } })\n',
        },
      );
      expect(console_.status, `terraform console failed:\n${console_.stderr}`).toBe(0);
      const evaluated = JSON.parse(JSON.parse(console_.stdout.trim()) as string) as Record<
        string,
        { config: string[]; secrets: string[]; defaults: string[]; port: number; public: boolean }
      >;
      expect(Object.keys(evaluated).sort()).toEqual(apps);
      for (const app of apps) {
        const fromFile = ecsEnv(app);
        const { config, secrets, defaults } = evaluated[app]!;
        expect([...config, ...secrets].sort(), `${app}: evaluated config + secrets`).toEqual(
          [...fromFile.provided].sort(),
        );
        expect([...defaults].sort(), `${app}: evaluated defaults`).toEqual([...fromFile.defaults].sort());
      }
      expect(
        apps.filter((app) => evaluated[app]!.public),
        'only web and gateway are public',
      ).toEqual(['gateway', 'web']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('infra/terraform modules', () => {
  it('has module calls', () => {
    expect(moduleCalls.length).toBeGreaterThan(5);
  });

  it.each(moduleCalls.map((call) => [call.name, call] as const))(
    'module "%s" exists and gets only its declared variables',
    (_name, call) => {
      expect(call.source, `module ${call.name} must use a local ./modules/ source`).toMatch(/^\.\/modules\/[\w-]+$/);
      const dir = path.join(tf, call.source);
      for (const file of ['main.tf', 'variables.tf', 'outputs.tf']) {
        expect(existsSync(path.join(dir, file)), `${call.source}/${file} is missing`).toBe(true);
      }
      const { declared, required } = moduleVariables(dir);
      const passed = topLevelArguments(call.body).filter(
        (argument) => !['source', 'count', 'for_each', 'depends_on', 'providers'].includes(argument),
      );
      expect(
        passed.filter((argument) => !declared.includes(argument)),
        `${call.name}: undeclared arguments`,
      ).toEqual([]);
      expect(
        required.filter((variable) => !passed.includes(variable)),
        `${call.name}: required variables not passed`,
      ).toEqual([]);
    },
  );

  it('references only outputs that the modules declare', () => {
    const sourceOf = Object.fromEntries(moduleCalls.map((call) => [call.name, call.source]));
    const references = [...rootText.matchAll(/\bmodule\.([\w-]+)(?:\[[^\]]*\])?(?:\[\*\])?\.(\w+)/g)];
    expect(references.length).toBeGreaterThan(10);
    for (const [text, name, output] of references) {
      expect(sourceOf, `${text}: no module "${name}"`).toHaveProperty([name!]);
      expect(
        moduleOutputs(path.join(tf, sourceOf[name!]!)),
        `${text}: module ${name} has no output "${output}"`,
      ).toContain(output);
    }
  });

  it('uses every module directory', () => {
    const used = moduleCalls.map((call) => call.source.replace('./modules/', ''));
    expect(moduleDirs.filter((dir) => !used.includes(dir))).toEqual([]);
  });
});

describe('infra/terraform/README.md', () => {
  it('documents every root variable and output', () => {
    const variables = moduleVariables(tf).declared;
    const outputs = moduleOutputs(tf);
    expect(variables.length).toBeGreaterThan(10);
    for (const name of [...variables, ...outputs]) {
      expect(readme, `README.md does not document \`${name}\``).toContain(`\`${name}\``);
    }
  });

  it.each(moduleDirs)('documents every variable and output of modules/%s in its own section', (dir) => {
    const start = readme.indexOf(`### \`modules/${dir}\``);
    expect(start, `README.md has no "### \`modules/${dir}\`" section`).toBeGreaterThan(-1);
    const next = readme.indexOf('\n### ', start + 1);
    const section = readme.slice(start, next === -1 ? undefined : next);
    const names = [
      ...moduleVariables(path.join(tf, 'modules', dir)).declared,
      ...moduleOutputs(path.join(tf, 'modules', dir)),
    ];
    for (const name of names) {
      expect(section, `README.md section modules/${dir} does not document \`${name}\``).toContain(`\`${name}\``);
    }
  });

  it('documents each variable with a description in the .tf files', () => {
    for (const dir of [tf, ...moduleDirs.map((name) => path.join(tf, 'modules', name))]) {
      for (const block of [...blocks(tfText(dir), 'variable'), ...blocks(tfText(dir), 'output')]) {
        expect(block.body, `${path.relative(root, dir)}: ${block.name} has no description`).toMatch(
          /description\s*=\s*"\S/,
        );
      }
    }
  });
});

describe('infra/terraform apps', () => {
  const serviceModule = read(path.join(tf, 'modules', 'service', 'main.tf'));

  it('creates one ECS service, log group and ECR repository per entry of local.apps', () => {
    const service = moduleCalls.find((call) => call.source === './modules/service');
    expect(service?.body).toMatch(/for_each\s*=\s*local\.apps\b/);
    expect(moduleCalls.find((call) => call.source === './modules/ecr')?.body).toMatch(
      /repositories\s*=\s*keys\(local\.apps\)/,
    );
    expect(read(path.join(tf, 'modules', 'ecr', 'main.tf'))).toMatch(
      /resource "aws_ecr_repository" "this" \{\s*for_each = toset\(var\.repositories\)/,
    );
    expect(serviceModule).toMatch(/resource "aws_ecs_service" "this"/);
    expect(serviceModule).toMatch(/resource "aws_cloudwatch_log_group" "this"/);
    expect(serviceModule).toMatch(/awslogs-group\s*=\s*aws_cloudwatch_log_group\.this\.name/);
    expect(serviceModule).toMatch(/service_registries \{/);
  });

  it.each(apps)('%s: is in local.apps with its port, health path and image', (app) => {
    const entry = appEntry(app);
    expect(entry, `apps.tf has no "${app}" entry in local.apps`).not.toBe('');
    const schema = existsSync(path.join(root, 'apps', app, 'src', 'env.ts'))
      ? read(path.join(root, 'apps', app, 'src', 'env.ts'))
      : '';
    const port = isNext(app) ? '3000' : /_PORT:\s*zPort\.default\(([\d_]+)\)/.exec(schema)?.[1]?.replace(/_/g, '');
    expect(new RegExp(`"${app}"\\s*=\\s*${port}\\b`).test(appsTf), `apps.tf ports: ${app} must be ${port}`).toBe(true);
    expect(attribute(entry, 'health_path')).toBe(isNext(app) ? '"/"' : '"/health/ready"');
    expect(
      existsSync(path.join(root, 'apps', app, 'Dockerfile')),
      `apps/${app}/Dockerfile (the image pushed to ECR)`,
    ).toBe(true);
  });

  it('has an entry for every app and no other', () => {
    const entries = [...appsBlock.matchAll(/^ {4}"([\w-]+)" = \{/gm)].map((match) => match[1]).sort();
    expect(entries).toEqual(apps);
  });

  it('puts only web and gateway behind the ALB, with HTTPS', () => {
    const publicApps = apps.filter((app) => attribute(appEntry(app), 'public_host') !== 'null');
    expect(publicApps.sort()).toEqual(['gateway', 'web']);
    const alb = read(path.join(tf, 'modules', 'alb', 'main.tf'));
    expect(alb).toMatch(/protocol\s*=\s*"HTTPS"/);
    expect(alb).toMatch(/status_code\s*=\s*"HTTP_301"/);
    expect(alb).toMatch(/path\s*=\s*each\.value\.health_path/);
  });

  it('scales the worker, and only the worker, on queue depth', () => {
    const scaled = apps.filter((app) => attribute(appEntry(app), 'queue_scaling') === 'true');
    expect(scaled).toEqual(['worker']);
    expect(serviceModule).toMatch(/resource "aws_appautoscaling_policy" "queue"[\s\S]*customized_metric_specification/);
    expect(serviceModule).toMatch(/predefined_metric_type = "ECSServiceAverageCPUUtilization"/);
    const call = moduleCalls.find((candidate) => candidate.name === 'service')!.body;
    expect(call).toMatch(/metric_name\s*=\s*module\.queue_metrics\.backlog_per_task_metric/);
    // The queues it counts are the worker's on-demand queues of packages/contracts.
    const queues =
      /queues\s*=\s*\[([^\]]*)\]/.exec(moduleCalls.find((c) => c.name === 'queue_metrics')!.body)?.[1] ?? '';
    const contracts = [
      read(path.join(root, 'packages/contracts/src/datasets/jobs.ts')),
      read(path.join(root, 'packages/contracts/src/deployer/jobs.ts')),
    ].join('\n');
    for (const [, queue] of queues.matchAll(/"([\w-]+)"/g)) expect(contracts).toContain(`'${queue}'`);
    expect(queues).toContain('"dataset-ingest"');
  });

  it('gives every app with migrations a Postgres role that owns its migration schema', () => {
    const main = read(path.join(tf, 'main.tf'));
    for (const app of apps.filter((candidate) => packageJson(candidate).scripts?.migrate)) {
      const role = attribute(appEntry(app), 'db_role')?.replace(/"/g, '');
      expect(role, `${app}: migrations need a db_role`).toBeTruthy();
      expect(role).not.toBe('null');
      const schema = /schema:\s*'(\w+)'/.exec(read(path.join(root, 'apps', app, 'src', 'migrate.ts')))?.[1];
      const roleLine =
        new RegExp(`^\\s+${role}\\s*=\\s*\\{\\s*schemas\\s*=\\s*\\[([^\\]]*)\\]`, 'm').exec(main)?.[1] ?? '';
      expect(roleLine, `${app}: role ${role} must own schema ${schema} (local.db_roles in main.tf)`).toContain(
        `"${schema}"`,
      );
    }
  });

  it.each(apps)('%s: the ECS environment covers every variable the app reads, and nothing else', (app) => {
    const read = envVarsRead(app);
    expect(read.length, `${app}: found no env vars it reads`).toBeGreaterThan(0);
    const { provided, defaults } = ecsEnv(app);
    const known = new Set([...provided, ...defaults]);
    expect(
      read.filter((name) => !known.has(name)),
      `${app}: apps.tf neither sets nor lists in defaults`,
    ).toEqual([]);
    // `next start` / server.js read PORT themselves.
    const extra = [...known].filter((name) => !read.includes(name) && !(isNext(app) && name === 'PORT'));
    expect(extra, `${app}: apps.tf sets variables the app does not read`).toEqual([]);
    expect(
      provided.filter((name) => defaults.includes(name)),
      `${app}: both set and left at default`,
    ).toEqual([]);
  });

  it('keeps secrets out of SSM parameters (config) and in Secrets Manager', () => {
    for (const app of apps) {
      const { provided } = ecsEnv(app);
      const secretLike = provided.filter(
        (name) =>
          /(?:KEY|PASSWORD|SECRET_ACCESS|TOKEN_PRIVATE|DATABASE_URL|REDIS_URL)$/.test(name) || /_KEYS$/.test(name),
      );
      const secrets = /secrets\s*=\s*\[([^\]]*)\]/.exec(appEntry(app))?.[1] ?? '';
      for (const name of secretLike) expect(secrets, `${app}: ${name} must be a secret`).toContain(`"${name}"`);
    }
  });
});

describe('queue-metrics Lambda', () => {
  it('encodes commands and parses replies, across chunk boundaries', () => {
    expect(encodeCommand(['LLEN', 'bull:q:wait'])).toBe('*2\r\n$4\r\nLLEN\r\n$11\r\nbull:q:wait\r\n');
    const whole = Buffer.from('+OK\r\n:3\r\n$5\r\nhello\r\n$-1\r\n-ERR wrong\r\n');
    const parsed = parseReplies(whole);
    expect(parsed.consumed).toBe(whole.length);
    expect(parsed.replies.slice(0, 4)).toEqual(['OK', 3, 'hello', null]);
    expect(parsed.replies[4]).toBeInstanceOf(Error);
    const partial = parseReplies(Buffer.from(':7\r\n$5\r\nhel'));
    expect(partial.replies).toEqual([7]);
    expect(partial.consumed).toBe(4);
  });

  it('counts waiting and active jobs, and the backlog per running task', () => {
    expect(queueCommands('bull', 'dataset-ingest').map((command) => command.join(' '))).toEqual([
      'LLEN bull:dataset-ingest:wait',
      'LLEN bull:dataset-ingest:paused',
      'ZCARD bull:dataset-ingest:prioritized',
      'LLEN bull:dataset-ingest:active',
    ]);
    const ingest = queueCounts([5, 0, 2, 2]);
    expect(ingest).toEqual({ waiting: 7, active: 2 });
    expect(backlogPerTask([ingest, { waiting: 1, active: 0 }], 2)).toEqual({ backlog: 10, perTask: 5 });
    expect(backlogPerTask([ingest], 0)).toEqual({ backlog: 9, perTask: 9 });
  });

  describe('against a RESP server', () => {
    let server: net.Server;
    let port = 0;
    const seen: string[] = [];
    const lengths: Record<string, number> = { 'bull:dataset-ingest:wait': 4, 'bull:dataset-ingest:active': 2 };

    beforeAll(async () => {
      server = net.createServer((socket) => {
        socket.on('data', (chunk) => {
          // Commands arrive pipelined; answer each in order (tiny subset of RESP).
          for (const command of chunk
            .toString()
            .split(/\*\d+\r\n/)
            .filter(Boolean)) {
            const args = command.split('\r\n').filter((_, index) => index % 2 === 1);
            seen.push(args.join(' '));
            if (args[0] === 'AUTH') socket.write(args[1] === 's3cret' ? '+OK\r\n' : '-WRONGPASS invalid password\r\n');
            else if (args[0] === 'SELECT') socket.write('+OK\r\n');
            else socket.write(`:${lengths[args[1]!] ?? 0}\r\n`);
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('authenticates, selects the database and reads the queue lengths', async () => {
      const replies = await redisQuery(`redis://:s3cret@127.0.0.1:${port}/0`, queueCommands('bull', 'dataset-ingest'));
      expect(replies).toEqual([4, 0, 0, 2]);
      expect(seen.slice(0, 2)).toEqual(['AUTH s3cret', 'SELECT 0']);
    });

    it('fails on a Redis error instead of publishing zeros', async () => {
      await expect(redisQuery(`redis://:wrong@127.0.0.1:${port}/0`, [['LLEN', 'x']])).rejects.toThrow(/WRONGPASS/);
    });
  });
});

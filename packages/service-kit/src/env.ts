import { z } from 'zod';

/**
 * Validates the process environment against an app's schema. On failure it prints one line
 * per bad variable (name and reason) and exits with status 1, so a misconfigured app never
 * starts half-working.
 */
export function loadEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  source: NodeJS.ProcessEnv = process.env,
  appName = 'app',
): z.infer<TSchema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const raw = issue.path.length === 1 ? source[String(issue.path[0])] : undefined;
    const reason = raw === undefined || raw === '' ? `missing (${issue.message})` : issue.message;
    return `  - ${name}: ${reason}`;
  });
  process.stderr.write(`[${appName}] refusing to start: invalid environment\n${lines.join('\n')}\n`);
  process.exit(1);
}

export const zPort = z.coerce
  .number({ error: 'must be a TCP port number' })
  .int('must be an integer port')
  .min(1, 'must be a port between 1 and 65535')
  .max(65535, 'must be a port between 1 and 65535');

function urlWithProtocols(protocols: string[], label: string) {
  return z.string({ error: `must be a ${label} URL` }).refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { message: `must be a ${label} URL (${protocols.map((p) => `${p}//`).join(' or ')}…)` },
  );
}

export const zPostgresUrl = urlWithProtocols(['postgres:', 'postgresql:'], 'PostgreSQL');
export const zRedisUrl = urlWithProtocols(['redis:', 'rediss:'], 'Redis');
export const zHttpUrl = urlWithProtocols(['http:', 'https:'], 'HTTP');

export const zLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
export const zNodeEnv = z.enum(['development', 'test', 'production']).default('development');

/** A JSON-encoded value parsed by `inner`; the message names the JSON problem. */
export function zJson<T extends z.ZodType>(inner: T) {
  return z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(inner);
}

/** Variables every NestJS service reads. */
export const ZServiceBaseEnv = z.object({
  NODE_ENV: zNodeEnv,
  LOG_LEVEL: zLogLevel,
  HOST: z.string().min(1).default('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
});

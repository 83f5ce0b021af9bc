import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentRequestId } from './request-context.js';

/** Keys whose values never reach a log line, wherever they appear (up to three levels deep). */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'secretAccessKey',
  'connectionString',
  'adminPassword',
  'verifier',
  'masterKey',
  'SECRETS_MASTER_KEY',
  'S3_SECRET_ACCESS_KEY',
  'databaseUrl',
  'DATABASE_URL',
  'REDIS_URL',
  'authorization',
  'cookie',
  'set-cookie',
  'x-internal-context',
  'x-csrf-token',
];

const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [
    `${safeKey(key)}`,
    `*.${safeKey(key)}`,
    `*.*.${safeKey(key)}`,
    `*.*.*.${safeKey(key)}`,
  ]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-internal-context"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

function safeKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
}

/** Masks credentials inside URLs (`postgres://user:secret@host` → `postgres://user:***@host`). */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, '$1***@')
    .replace(/(ed_session=)[^;\s]+/g, '$1***')
    .replace(/(bearer\s+)[\w.-]+/gi, '$1***');
}

export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (error: unknown) => {
        const serialized = pino.stdSerializers.err(error as Error);
        if (typeof serialized.message === 'string') serialized.message = scrubSecrets(serialized.message);
        if (typeof serialized.stack === 'string') serialized.stack = scrubSecrets(serialized.stack);
        return serialized;
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Nest's own logs (bootstrap, route mapping, errors) through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

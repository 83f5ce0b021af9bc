import type { TConnectionFailure, TConnectionSettings } from '@elasticdash/contracts/data/connection';

export interface TClassifiedFailure {
  failure: TConnectionFailure;
  /** A sentence for a person; never contains the password. */
  message: string;
}

/** Raised by our own deadline around a connection attempt. */
export class ConnectDeadlineError extends Error {
  override readonly name = 'ConnectDeadlineError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);

const TIMEOUT_MESSAGE =
  /timeout expired|Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** The code of an error, looking into AggregateError (several addresses tried) and causes. */
function codeOf(error: ErrorLike | null | undefined, depth = 0): string | undefined {
  if (!error || depth > 3) return undefined;
  if (typeof error.code === 'string' && error.code) return error.code;
  if (Array.isArray(error.errors)) {
    for (const inner of error.errors as ErrorLike[]) {
      const code = codeOf(inner, depth + 1);
      if (code) return code;
    }
  }
  return typeof error.cause === 'object' ? codeOf(error.cause as ErrorLike, depth + 1) : undefined;
}

function messageOf(error: ErrorLike | null | undefined): string {
  return typeof error?.message === 'string' ? error.message : '';
}

/** Removes the password from a text that came from elsewhere (belt and braces). */
export function scrubPassword(text: string, password: string | undefined): string {
  if (!password || password.length < 3) return text;
  return text.split(password).join('***');
}

/**
 * Turns a failure to connect to (or query) a customer database into one of the failure
 * classes and a sentence saying what to check. The message names host, port, database and
 * user, never the password.
 */
export function classifyConnectionError(
  thrown: unknown,
  settings: Pick<TConnectionSettings, 'host' | 'port' | 'database' | 'user'>,
  password?: string,
): TClassifiedFailure {
  const error = (typeof thrown === 'object' && thrown !== null ? thrown : { message: String(thrown) }) as ErrorLike;
  const code = codeOf(error) ?? '';
  const message = messageOf(error);
  const where = `${settings.host}:${settings.port}`;
  const result = (failure: TConnectionFailure, text: string): TClassifiedFailure => ({
    failure,
    message: scrubPassword(text, password),
  });

  if (code === '57014') {
    return result('timeout', `The database at ${where} did not answer the query in time (statement timeout)`);
  }
  if (error instanceof ConnectDeadlineError || code === 'ETIMEDOUT' || TIMEOUT_MESSAGE.test(message)) {
    const seconds = error instanceof ConnectDeadlineError ? Math.round(error.timeoutMs / 1000) : 5;
    return result(
      'timeout',
      `No answer from ${where} within ${seconds} s. Check the host and port, and that a firewall or security group lets ElasticDash in`,
    );
  }
  if (DNS_CODES.has(code)) {
    return result('dns', `Host ${settings.host} could not be found (DNS). Check the spelling of the host name`);
  }
  if (code === 'ECONNREFUSED') {
    return result(
      'refused',
      `Nothing is listening on ${where}. Check the host and port, and that PostgreSQL accepts TCP connections`,
    );
  }
  if (UNREACHABLE_CODES.has(code)) {
    return result('refused', `Host ${settings.host} cannot be reached from ElasticDash (${code})`);
  }
  switch (code) {
    case '28P01':
      return result('auth_failed', `Password authentication failed for user ${settings.user}`);
    case '28000':
      if (/no encryption|SSL off/i.test(message)) {
        return result(
          'tls',
          `The server at ${where} only accepts encrypted connections for user ${settings.user}; choose SSL mode "require" or "verify-full"`,
        );
      }
      return result('auth_failed', `The server refused user ${settings.user}: ${message}`);
    case '3D000':
      return result('unknown_database', `Database "${settings.database}" does not exist on ${where}`);
    case '53300':
      return result('other', `The server at ${where} has too many connections; try again later`);
    case '57P03':
      return result('other', `The server at ${where} is starting up or shutting down; try again shortly`);
  }
  if (/does not support SSL/i.test(message)) {
    return result(
      'tls',
      `The server at ${where} does not support SSL connections; choose SSL mode "disable" or enable SSL on the server`,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return result('tls', `The server's certificate is not valid for host ${settings.host} (hostname mismatch)`);
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return result(
      'tls',
      `The server's certificate ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'}`,
    );
  }
  if (UNTRUSTED_CERT_CODES.has(code)) {
    return result(
      'tls',
      `The server's certificate could not be verified with the CA certificate provided (${code.toLowerCase().replaceAll('_', ' ')})`,
    );
  }
  if (code.startsWith('ERR_OSSL_PEM') || /PEM routines|no start line/i.test(message)) {
    return result('tls', 'The CA certificate could not be read; paste the PEM text including BEGIN/END CERTIFICATE');
  }
  if (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_OSSL') ||
    /\bSSL\b|\bTLS\b/.test(message)
  ) {
    return result('tls', `The TLS handshake with ${where} failed${code ? ` (${code})` : ''}`);
  }
  if (/Connection terminated unexpectedly|ECONNRESET|socket hang up/i.test(message) || code === 'ECONNRESET') {
    return result('other', `The server at ${where} closed the connection; is it a PostgreSQL server?`);
  }
  if (/^[0-9A-Z]{5}$/.test(code)) {
    return result('other', `The server at ${where} refused the connection: ${message}`);
  }
  return result('other', `Could not connect to ${where}${message ? `: ${message}` : ''}`);
}

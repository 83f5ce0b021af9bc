import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { TConnectionSettings } from '@elasticdash/contracts/data/connection';
import type pg from 'pg';

/** What customer DBAs see in pg_stat_activity for every connection we open. */
export const CUSTOMER_APPLICATION_NAME = 'elasticdash';

/** The longest a connection test may take, connect and first query included. */
export const CONNECTION_TEST_TIMEOUT_MS = 5_000;

/**
 * node-postgres TLS options per SSL mode:
 * - `disable`: plain TCP;
 * - `require`: encrypted, certificate not verified (like libpq's sslmode=require);
 * - `verify-full`: encrypted, certificate chain checked against the given CA and the host
 *   name checked against the certificate (SNI only for names; an IP is matched against IP SANs).
 */
export function sslOptions(
  settings: Pick<TConnectionSettings, 'host' | 'sslMode' | 'caCert'>,
): false | ConnectionOptions {
  switch (settings.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
    default:
      return {
        ca: settings.caCert ?? undefined,
        rejectUnauthorized: true,
        ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
      };
  }
}

/**
 * Client settings for a customer database. Host, user and password are separate fields
 * (never a connection string, which would carry the password into error messages).
 */
export function customerClientConfig(
  settings: TConnectionSettings,
  password: string | (() => Promise<string>),
): pg.ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password,
    ssl: sslOptions(settings),
    application_name: CUSTOMER_APPLICATION_NAME,
    keepAlive: true,
  };
}

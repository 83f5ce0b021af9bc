import { lookup } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { TConnectionSettings, TTestConnectionResponse } from '@elasticdash/contracts/data/connection';
import pg from 'pg';
import { CONNECTIONS_ENV, type TConnectionsEnv } from '../env.js';
import { ConnectDeadlineError, classifyConnectionError } from './connection-errors.js';
import { CONNECTION_TEST_TIMEOUT_MS, customerClientConfig } from './connection-settings.js';
import { customerTypes } from './customer-types.js';

async function addressesOf(host: string): Promise<Set<string>> {
  try {
    return new Set((await lookup(host, { all: true })).map((entry) => entry.address));
  } catch {
    return new Set();
  }
}

/**
 * "Test connection": connects with the given settings and password and runs one query, all
 * within 5 s, and answers ok with the server version or a failure class and a sentence.
 */
@Injectable()
export class ConnectionTester {
  private readonly platform: { host: string; port: number; database: string };

  constructor(@Inject(CONNECTIONS_ENV) env: TConnectionsEnv) {
    const url = new URL(env.DATABASE_URL);
    this.platform = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.slice(1)),
    };
  }

  async test(settings: TConnectionSettings, password: string): Promise<TTestConnectionResponse> {
    if (await this.isPlatformDatabase(settings)) {
      return {
        ok: false,
        failure: 'other',
        message: "This is ElasticDash's own database; connect one of your organisation's databases instead",
      };
    }
    const started = performance.now();
    const client = new pg.Client({
      ...customerClientConfig(settings, password),
      connectionTimeoutMillis: CONNECTION_TEST_TIMEOUT_MS,
      statement_timeout: CONNECTION_TEST_TIMEOUT_MS,
      query_timeout: CONNECTION_TEST_TIMEOUT_MS,
      types: customerTypes,
    });
    client.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectDeadlineError(CONNECTION_TEST_TIMEOUT_MS)),
        CONNECTION_TEST_TIMEOUT_MS,
      );
    });
    try {
      const version = await Promise.race([
        (async () => {
          await client.connect();
          const result = await client.query<{ server_version: string }>('show server_version');
          return result.rows[0]?.server_version ?? 'unknown';
        })(),
        deadline,
      ]);
      return { ok: true, serverVersion: version, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      const elapsed = performance.now() - started;
      const cause =
        elapsed >= CONNECTION_TEST_TIMEOUT_MS - 50 ? new ConnectDeadlineError(CONNECTION_TEST_TIMEOUT_MS) : error;
      return { ok: false, ...classifyConnectionError(cause, settings, password) };
    } finally {
      clearTimeout(timer);
      void client.end().catch(() => undefined);
    }
  }

  /**
   * Refuses ElasticDash's own database (same address, port and database name as
   * DATABASE_URL): a workspace must never browse the platform's tables.
   */
  private async isPlatformDatabase(settings: TConnectionSettings): Promise<boolean> {
    if (settings.port !== this.platform.port || settings.database !== this.platform.database) return false;
    if (settings.host.toLowerCase() === this.platform.host.toLowerCase()) return true;
    const [ours, theirs] = await Promise.all([addressesOf(this.platform.host), addressesOf(settings.host)]);
    return [...theirs].some((address) => ours.has(address));
  }
}

import type { TConnection, TConnectionSettings, TSslMode } from '@elasticdash/contracts/data/connection';
import type { ConnectionRow } from './connections.repository.js';

/** A saved connection as other features see it: settings and flags, never the password or its reference. */
export interface ConnectionRecord {
  id: string;
  tenantId: string;
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  sslMode: TSslMode;
  caCert: string | null;
  readOnly: boolean;
  createdBy: string;
  createdAt: Date;
  /** Changes whenever settings, name, read-only flag or password change. */
  updatedAt: Date;
  introspectedAt: Date | null;
}

export function toRecord(row: ConnectionRow): ConnectionRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    host: row.host,
    port: row.port,
    database: row.database,
    user: row.username,
    sslMode: row.sslMode,
    caCert: row.caCert,
    readOnly: row.readOnly,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    introspectedAt: row.introspectedAt,
  };
}

export function settingsOf(
  record: Pick<ConnectionRecord, 'host' | 'port' | 'database' | 'user' | 'sslMode' | 'caCert'>,
): TConnectionSettings {
  return {
    host: record.host,
    port: record.port,
    database: record.database,
    user: record.user,
    sslMode: record.sslMode,
    caCert: record.caCert,
  };
}

/** The API shape (ZConnection). */
export function toConnection(row: ConnectionRow): TConnection {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    database: row.database,
    user: row.username,
    sslMode: row.sslMode,
    hasCaCert: row.caCert !== null,
    readOnly: row.readOnly,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    introspectedAt: row.introspectedAt?.toISOString() ?? null,
  };
}

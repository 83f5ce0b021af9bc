import type { TDeploymentEndpoint } from '@elasticdash/contracts/deployer/deployment';

/** `postgresql://user:password@host:port/database`, every part URL-encoded (IPv6 hosts in brackets). */
export function connectionString(endpoint: TDeploymentEndpoint, password: string): string {
  const host = endpoint.host.includes(':') && !endpoint.host.startsWith('[') ? `[${endpoint.host}]` : endpoint.host;
  return (
    `postgresql://${encodeURIComponent(endpoint.user)}:${encodeURIComponent(password)}` +
    `@${host}:${endpoint.port}/${encodeURIComponent(endpoint.database)}`
  );
}

import type { TCsJsonDocument, TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';

/**
 * The small plan the deploy tests use: one PostgreSQL 15 on Debian 12, 1 vCPU, 1 GiB, 10 GiB, no
 * backups, port 5432, loopback only. Tests override what they are about.
 */
export function smallPostgresPlan(
  name: string,
  overrides: Partial<Pick<TPostgresComponent, 'name' | 'backups' | 'network'>> & { maxConnections?: number } = {},
): TCsJsonDocument {
  return {
    version: 1,
    name,
    components: [
      {
        id: 'pg-1',
        type: 'postgresql',
        name: overrides.name ?? 'orders-db',
        position: { x: 240, y: 160 },
        compute: { vcpu: 1, memoryGiB: 1, architecture: 'x86_64' },
        storage: { type: 'ssd', sizeGiB: 10 },
        os: { family: 'debian', version: '12' },
        database: {
          engine: 'postgres',
          majorVersion: 15,
          maxConnections: overrides.maxConnections ?? 40,
          workload: 'web',
          initialDatabase: 'app',
          adminUser: 'app_admin',
        },
        backups: overrides.backups ?? {
          enabled: false,
          schedule: '0 3 * * *',
          retentionDays: 7,
          target: null,
          validateByRestore: false,
        },
        network: overrides.network ?? { port: 5432, allowedCidrs: ['127.0.0.1/32'], public: false },
      },
    ],
  };
}

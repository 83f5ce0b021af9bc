import { fileURLToPath } from 'node:url';
import { runMigrations } from '@elasticdash/db/migrate';
import { createPool } from '@elasticdash/db/pool';
import { loadEnv, zPostgresUrl } from '@elasticdash/service-kit/env';
import { z } from 'zod';

const env = loadEnv(z.object({ DATABASE_URL: zPostgresUrl }), process.env, 'svc-connections migrate');
const pool = createPool({ connectionString: env.DATABASE_URL, applicationName: 'svc-connections-migrate', max: 1 });
try {
  await runMigrations(pool, {
    schema: 'connections',
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  });
  console.log('[svc-connections] migrations applied');
} finally {
  await pool.end();
}

import { fileURLToPath } from 'node:url';
import { runMigrations } from '@elasticdash/db/migrate';
import { createPool } from '@elasticdash/db/pool';
import { loadEnv, zPostgresUrl } from '@elasticdash/service-kit/env';
import { z } from 'zod';

const env = loadEnv(z.object({ DATABASE_URL: zPostgresUrl }), process.env, 'svc-deployer migrate');
const pool = createPool({ connectionString: env.DATABASE_URL, applicationName: 'svc-deployer-migrate', max: 1 });
try {
  await runMigrations(pool, {
    schema: 'deployer',
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  });
  console.log('[svc-deployer] migrations applied');
} finally {
  await pool.end();
}

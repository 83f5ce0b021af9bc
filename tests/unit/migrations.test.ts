import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/env-file.js';

/**
 * Every service's migrations live in apps/<svc>/drizzle and must stay inside the service's own
 * schema. runMigrations creates that schema (its journal lives there) before applying them,
 * so a generated `CREATE SCHEMA "x"` must be edited to `IF NOT EXISTS`.
 */
const services = readdirSync(path.join(repoRoot, 'apps')).filter((app) => {
  try {
    return readdirSync(path.join(repoRoot, 'apps', app, 'drizzle')).some((file) => file.endsWith('.sql'));
  } catch {
    return false;
  }
});

describe('service migrations', () => {
  it('finds the services that own a schema', () => {
    expect(services).toEqual(expect.arrayContaining(['svc-auth', 'svc-tenants']));
  });

  it.each(services)('%s: creates its schema idempotently and touches no other schema', (service) => {
    const folder = path.join(repoRoot, 'apps', service, 'drizzle');
    const migrate = readFileSync(path.join(repoRoot, 'apps', service, 'src', 'migrate.ts'), 'utf8');
    const schema = /schema: '([a-z_]+)'/.exec(migrate)?.[1];
    expect(schema, `${service}: migrate.ts names its schema`).toBeDefined();
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.sql'))) {
      const sql = readFileSync(path.join(folder, file), 'utf8');
      expect(sql, `${service}/${file}: CREATE SCHEMA must be IF NOT EXISTS`).not.toMatch(
        /CREATE SCHEMA (?!IF NOT EXISTS)/i,
      );
      for (const match of sql.matchAll(/"([a-z_]+)"\."[a-z_]+"/g)) {
        expect(match[1], `${service}/${file}: references schema ${match[1]}`).toBe(schema);
      }
    }
  });
});

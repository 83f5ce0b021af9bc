import type { TOsFamily } from '@elasticdash/contracts/plans/cs-json';

/*
 * Where the PostgreSQL packages of a deployment come from.
 *
 * Each distribution ships exactly one PostgreSQL major in its own archive: Debian 12 → 15,
 * Ubuntu 22.04 → 14, Ubuntu 24.04 → 16. Any other major (cs-json allows 14-17) needs the PGDG apt
 * repository (apt.postgresql.org), whose signing key postgresql-common already ships in
 * /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc, so the user data never downloads a key.
 * Amazon Linux 2023 packages postgresql15/16/17 in its own dnf repositories (no 14, no PGDG), but
 * its user data is not generated yet (see `userDataSupport`).
 */

export type TPostgresSource = 'distribution' | 'pgdg' | 'amazon-linux';

/** The PostgreSQL major packaged by each apt distribution release. */
export const DISTRIBUTION_POSTGRES_MAJOR: Readonly<Record<string, number>> = {
  'debian/12': 15,
  'ubuntu/22.04': 14,
  'ubuntu/24.04': 16,
};

/** Release codenames (the PGDG suite is `<codename>-pgdg`). */
export const APT_CODENAMES: Readonly<Record<string, string>> = {
  'debian/12': 'bookworm',
  'ubuntu/22.04': 'jammy',
  'ubuntu/24.04': 'noble',
};

export const AMAZON_LINUX_POSTGRES_MAJORS: readonly number[] = [15, 16, 17];

export const PGDG_KEY_PATH = '/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc';
export const PGDG_URL = 'https://apt.postgresql.org/pub/repos/apt';

export type TPostgresPackages =
  | {
      ok: true;
      source: TPostgresSource;
      /** Packages to install (apt or dnf names). */
      packages: string[];
      /** Why this source: one sentence for logs and the deploy timeline. */
      reason: string;
    }
  | { ok: false; reason: string };

/** Which source and packages install PostgreSQL `major` on `family`/`version`. */
export function postgresPackagesFor(family: TOsFamily, version: string, major: number): TPostgresPackages {
  if (family === 'amazon-linux') {
    if (version !== '2023') return { ok: false, reason: `Amazon Linux ${version} is not supported (only 2023)` };
    if (!AMAZON_LINUX_POSTGRES_MAJORS.includes(major)) {
      return {
        ok: false,
        reason: `Amazon Linux 2023 packages PostgreSQL ${AMAZON_LINUX_POSTGRES_MAJORS.join(', ')}; ${major} is not available`,
      };
    }
    return {
      ok: true,
      source: 'amazon-linux',
      packages: [`postgresql${major}-server`, `postgresql${major}`],
      reason: `Amazon Linux 2023 packages PostgreSQL ${major} in its own repositories`,
    };
  }
  const key = `${family}/${version}`;
  const own = DISTRIBUTION_POSTGRES_MAJOR[key];
  if (own === undefined) return { ok: false, reason: `${family} ${version} is not a supported OS release` };
  const packages = [`postgresql-${major}`, `postgresql-client-${major}`];
  if (own === major) {
    return { ok: true, source: 'distribution', packages, reason: `${family} ${version} ships PostgreSQL ${major}` };
  }
  return {
    ok: true,
    source: 'pgdg',
    packages,
    reason: `${family} ${version} ships PostgreSQL ${own}; PostgreSQL ${major} comes from the PGDG apt repository`,
  };
}

/** True when the combination needs the PGDG apt repository. */
export function needsPgdg(family: TOsFamily, version: string, major: number): boolean {
  const r = postgresPackagesFor(family, version, major);
  return r.ok && r.source === 'pgdg';
}

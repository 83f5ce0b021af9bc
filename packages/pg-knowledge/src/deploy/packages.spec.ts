import { describe, expect, it } from 'vitest';
import { needsPgdg, postgresPackagesFor } from './packages.js';

describe('postgresPackagesFor', () => {
  it('uses the distribution package for its own major', () => {
    expect(postgresPackagesFor('debian', '12', 15)).toMatchObject({ ok: true, source: 'distribution' });
    expect(postgresPackagesFor('ubuntu', '22.04', 14)).toMatchObject({ ok: true, source: 'distribution' });
    expect(postgresPackagesFor('ubuntu', '24.04', 16)).toMatchObject({
      ok: true,
      source: 'distribution',
      packages: ['postgresql-16', 'postgresql-client-16'],
    });
  });

  it('says which combinations need PGDG', () => {
    const pgdg: string[] = [];
    for (const [family, version] of [
      ['debian', '12'],
      ['ubuntu', '22.04'],
      ['ubuntu', '24.04'],
    ] as const) {
      for (const major of [14, 15, 16, 17])
        if (needsPgdg(family, version, major)) pgdg.push(`${family} ${version} ${major}`);
    }
    expect(pgdg).toEqual([
      'debian 12 14',
      'debian 12 16',
      'debian 12 17',
      'ubuntu 22.04 15',
      'ubuntu 22.04 16',
      'ubuntu 22.04 17',
      'ubuntu 24.04 14',
      'ubuntu 24.04 15',
      'ubuntu 24.04 17',
    ]);
    expect(postgresPackagesFor('debian', '12', 17)).toMatchObject({
      reason: 'debian 12 ships PostgreSQL 15; PostgreSQL 17 comes from the PGDG apt repository',
    });
  });

  it('knows Amazon Linux 2023 has no PostgreSQL 14', () => {
    expect(postgresPackagesFor('amazon-linux', '2023', 16)).toMatchObject({ ok: true, source: 'amazon-linux' });
    expect(postgresPackagesFor('amazon-linux', '2023', 14)).toMatchObject({ ok: false });
    expect(postgresPackagesFor('ubuntu', '20.04', 14)).toMatchObject({ ok: false });
  });
});

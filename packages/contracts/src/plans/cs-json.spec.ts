import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cronScheduleProblem,
  defaultPostgresComponent,
  EXAMPLE_CS_JSON,
  maxConnectionsLimit,
  nextComponentId,
  parseCidr,
  s3BucketNameProblem,
  validateCsJson,
  ZCsJsonDocument,
  type TCsJsonDocument,
  type TPostgresComponent,
} from './cs-json.js';

/** Test documents are edited into invalid shapes on purpose, so their parts are untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TLoose = any;

/** A copy of the example with its only component changed by `edit` (loosely typed to allow invalid values). */
function variant(edit: (c: TLoose, doc: TLoose) => void): unknown {
  const doc = structuredClone(EXAMPLE_CS_JSON) as unknown as TLoose;
  edit(doc.components[0], doc);
  return doc;
}

function issues(input: unknown) {
  const r = validateCsJson(input);
  return { document: r.document, errors: r.errors, warnings: r.warnings };
}

describe('cs-json: valid documents', () => {
  it('the example is valid with no errors and no warnings', () => {
    const r = validateCsJson(EXAMPLE_CS_JSON);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.document).toEqual(EXAMPLE_CS_JSON);
  });

  it('docs/cs-json.md shows exactly this example', () => {
    const markdown = readFileSync(new URL('../../../../docs/cs-json.md', import.meta.url), 'utf8');
    const block = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block ?? '')).toEqual(EXAMPLE_CS_JSON);
  });

  it('survives a JSON round trip', () => {
    expect(validateCsJson(JSON.parse(JSON.stringify(EXAMPLE_CS_JSON))).document).toEqual(EXAMPLE_CS_JSON);
  });

  it('applies defaults: storage.type ssd, network.port 5432', () => {
    const r = issues(
      variant((c) => {
        delete c.storage.type;
        delete c.network.port;
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.document?.components[0]?.storage.type).toBe('ssd');
    expect(r.document?.components[0]?.network.port).toBe(5432);
  });

  it('accepts an empty plan', () => {
    expect(issues({ version: 1, name: 'empty', components: [] })).toEqual({
      document: { version: 1, name: 'empty', components: [] },
      errors: [],
      warnings: [],
    });
  });

  it('the palette default is valid, warning only that backups are off', () => {
    const component = defaultPostgresComponent('pg-2', { x: 10, y: 20 });
    const doc: TCsJsonDocument = { version: 1, name: 'new plan', components: [component] };
    const r = validateCsJson(doc);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      {
        path: 'components.0.backups.enabled',
        message: 'backups are disabled: the data is lost if the host or its disk fails',
      },
    ]);
    expect(component.position).toEqual({ x: 10, y: 20 });
    expect(component.name).toBe('pg-2');
  });

  it('backups disabled need no target and skip schedule/retention checks', () => {
    const r = issues(
      variant((c) => {
        c.backups = { enabled: false, schedule: 'nope', retentionDays: 0, target: null, validateByRestore: false };
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.path)).toEqual(['components.0.backups.enabled']);
  });

  it('accepts IPv6 CIDRs and arm64 with PostgreSQL 14 on every OS', () => {
    for (const [family, version] of [
      ['amazon-linux', '2023'],
      ['ubuntu', '22.04'],
      ['ubuntu', '24.04'],
      ['debian', '12'],
    ]) {
      const r = issues(
        variant((c) => {
          c.os = { family, version };
          c.compute.architecture = 'arm64';
          delete c.compute.providerHint;
          c.database.majorVersion = 14;
          c.network.allowedCidrs = ['10.0.0.0/16', '2001:db8::/32', 'fd00::/8'];
        }),
      );
      expect(r.errors).toEqual([]);
    }
  });

  it('ZCsJsonDocument carries the OpenAPI id', () => {
    expect(ZCsJsonDocument.meta()?.id).toBe('CsJsonDocument');
  });
});

describe('cs-json: structural errors (document is null)', () => {
  const cases: [string, unknown, { path: string; message: string }[]][] = [
    ['not an object', null, [{ path: '(root)', message: 'a cs-json document must be a JSON object' }]],
    [
      'wrong version',
      variant((_c, d) => (d.version = 2)),
      [{ path: 'version', message: 'version must be 1 (this is cs-json v1)' }],
    ],
    ['missing version', variant((_c, d) => delete d.version), [{ path: 'version', message: 'version is required' }]],
    [
      'empty plan name',
      variant((_c, d) => (d.name = '')),
      [{ path: 'name', message: 'plan name must be between 1 and 80 characters' }],
    ],
    [
      'unknown component type',
      variant((c) => (c.type = 'redis')),
      [{ path: 'components.0.type', message: 'component type must be one of: postgresql' }],
    ],
    [
      'vCPU 0',
      variant((c) => (c.compute.vcpu = 0)),
      [{ path: 'components.0.compute.vcpu', message: 'vCPU must be a whole number between 1 and 128' }],
    ],
    [
      'fractional vCPU',
      variant((c) => (c.compute.vcpu = 2.5)),
      [{ path: 'components.0.compute.vcpu', message: 'vCPU must be a whole number between 1 and 128' }],
    ],
    [
      'vCPU as a string',
      variant((c) => (c.compute.vcpu = '2')),
      [{ path: 'components.0.compute.vcpu', message: 'vCPU must be a whole number between 1 and 128' }],
    ],
    [
      'memory too large',
      variant((c) => (c.compute.memoryGiB = 2048)),
      [{ path: 'components.0.compute.memoryGiB', message: 'memory must be a number of GiB between 0.5 and 1024' }],
    ],
    [
      'unknown architecture',
      variant((c) => (c.compute.architecture = 'arm')),
      [{ path: 'components.0.compute.architecture', message: 'architecture must be one of: x86_64, arm64' }],
    ],
    [
      'unknown storage type',
      variant((c) => (c.storage.type = 'tape')),
      [{ path: 'components.0.storage.type', message: 'storage type must be one of: ssd, hdd, nvme' }],
    ],
    [
      'unknown OS family',
      variant((c) => (c.os.family = 'windows')),
      [{ path: 'components.0.os.family', message: 'OS family must be one of: amazon-linux, ubuntu, debian' }],
    ],
    [
      'PostgreSQL 13',
      variant((c) => (c.database.majorVersion = 13)),
      [
        {
          path: 'components.0.database.majorVersion',
          message: 'PostgreSQL major version must be one of: 14, 15, 16, 17',
        },
      ],
    ],
    [
      'unknown workload',
      variant((c) => (c.database.workload = 'desktop')),
      [{ path: 'components.0.database.workload', message: 'workload must be one of: web, oltp, dw, mixed' }],
    ],
    [
      'max connections below 4',
      variant((c) => (c.database.maxConnections = 3)),
      [
        {
          path: 'components.0.database.maxConnections',
          message: 'max connections must be a whole number between 4 and 262143',
        },
      ],
    ],
    [
      'missing backups section',
      variant((c) => delete c.backups),
      [{ path: 'components.0.backups', message: 'backups is required' }],
    ],
    [
      'missing backup target (null is fine, absent is not)',
      variant((c) => delete c.backups.target),
      [{ path: 'components.0.backups.target', message: 'target is required' }],
    ],
    [
      'unknown field',
      variant((c) => (c.compute.gpu = 1)),
      [{ path: 'components.0.compute.gpu', message: 'unknown field "gpu" (not part of cs-json v1)' }],
    ],
    [
      'port out of range',
      variant((c) => (c.network.port = 70000)),
      [{ path: 'components.0.network.port', message: 'port must be a whole number between 1 and 65535' }],
    ],
    [
      'public as a string',
      variant((c) => (c.network.public = 'yes')),
      [{ path: 'components.0.network.public', message: 'public must be true or false' }],
    ],
    [
      'non-text parameter value',
      variant((c) => (c.database.parameters = { work_mem: 64 })),
      [{ path: 'components.0.database.parameters.work_mem', message: 'parameter value must be text' }],
    ],
    [
      'bad component id',
      variant((c) => (c.id = 'pg 1')),
      [
        {
          path: 'components.0.id',
          message: 'component id must be 1-64 letters, digits, "-" or "_", starting with a letter or digit',
        },
      ],
    ],
    [
      'too many components',
      variant(
        (c, d) => (d.components = Array.from({ length: 51 }, (_, i) => ({ ...c, id: `pg-${i}`, name: `db-${i}` }))),
      ),
      [{ path: 'components', message: 'a plan has at most 50 components' }],
    ],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    const r = validateCsJson(input);
    expect(r.document).toBeNull();
    expect(r.errors).toEqual(expected);
    expect(r.warnings).toEqual([]);
  });

  it('reports several problems at once, each with its path', () => {
    const r = validateCsJson(
      variant((c, d) => {
        d.version = 2;
        c.compute.vcpu = 0;
        c.network.allowedCidrs = 'all';
      }),
    );
    expect(r.errors.map((e) => e.path)).toEqual([
      'version',
      'components.0.compute.vcpu',
      'components.0.network.allowedCidrs',
    ]);
  });
});

describe('cs-json: semantic errors and warnings (document parsed)', () => {
  const cases: [string, unknown, { path: string; message: string }[], { path: string; message: string }[]][] = [
    [
      'max connections too high for the memory',
      variant((c) => (c.database.maxConnections = 2000)),
      [
        {
          path: 'components.0.database.maxConnections',
          message:
            '2000 connections is too many for 8 GiB of memory: at most 901 (LEAST(memory in bytes / 9531392, 5000)); lower it or add memory',
        },
      ],
      [],
    ],
    [
      'disk under 10 GiB',
      variant((c) => (c.storage.sizeGiB = 8)),
      [{ path: 'components.0.storage.sizeGiB', message: 'disk is 8 GiB; PostgreSQL needs at least 10 GiB' }],
      [],
    ],
    [
      'disk too small for the dw WAL',
      variant((c) => {
        c.storage.sizeGiB = 20;
        c.database.workload = 'dw';
      }),
      [],
      [
        {
          path: 'components.0.storage.sizeGiB',
          message:
            'disk is 20 GiB but the dw workload lets WAL grow to 16 GB (max_wal_size); use at least 32 GiB so that WAL and data both fit',
        },
      ],
    ],
    [
      'retention 40 days',
      variant((c) => (c.backups.retentionDays = 40)),
      [{ path: 'components.0.backups.retentionDays', message: 'retention must be between 1 and 35 days (got 40)' }],
      [],
    ],
    [
      'retention 0 days',
      variant((c) => (c.backups.retentionDays = 0)),
      [{ path: 'components.0.backups.retentionDays', message: 'retention must be between 1 and 35 days (got 0)' }],
      [],
    ],
    [
      'invalid CIDR',
      variant((c) => (c.network.allowedCidrs = ['10.0.0.0/16', '10.0.0.300/24'])),
      [
        {
          path: 'components.0.network.allowedCidrs.1',
          message: '"10.0.0.300/24" is not a CIDR such as 10.0.0.0/16 or 2001:db8::/32',
        },
      ],
      [],
    ],
    [
      'CIDR with host bits',
      variant((c) => (c.network.allowedCidrs = ['10.1.2.3/16'])),
      [
        {
          path: 'components.0.network.allowedCidrs.0',
          message: '"10.1.2.3/16" has host bits set; did you mean 10.1.0.0/16?',
        },
      ],
      [],
    ],
    [
      'address without prefix',
      variant((c) => (c.network.allowedCidrs = ['203.0.113.7'])),
      [
        {
          path: 'components.0.network.allowedCidrs.0',
          message: '"203.0.113.7" needs a prefix length; for a single address use "203.0.113.7/32"',
        },
      ],
      [],
    ],
    [
      '0.0.0.0/0 without public',
      variant((c) => (c.network.allowedCidrs = ['10.0.0.0/16', '0.0.0.0/0'])),
      [
        {
          path: 'components.0.network.allowedCidrs.1',
          message: '"0.0.0.0/0" allows any address, which needs public: true; list your clients\' networks instead',
        },
      ],
      [],
    ],
    [
      '::/0 with public: a warning only',
      variant((c) => {
        c.network.allowedCidrs = ['::/0'];
        c.network.public = true;
      }),
      [],
      [
        {
          path: 'components.0.network.allowedCidrs.0',
          message: '"::/0" exposes PostgreSQL to the whole internet; prefer the networks of your clients',
        },
      ],
    ],
    [
      'duplicate CIDR',
      variant((c) => (c.network.allowedCidrs = ['10.0.0.0/16', '10.0.0.0/16'])),
      [],
      [
        {
          path: 'components.0.network.allowedCidrs.1',
          message: '"10.0.0.0/16" is listed twice (also network.allowedCidrs.0)',
        },
      ],
    ],
    [
      'backups enabled without a target',
      variant((c) => (c.backups.target = null)),
      [
        {
          path: 'components.0.backups.target',
          message: 'backups are enabled but have no target: set the S3 bucket and prefix',
        },
      ],
      [],
    ],
    [
      'invalid cron schedule',
      variant((c) => (c.backups.schedule = '0 25 * * *')),
      [
        {
          path: 'components.0.backups.schedule',
          message: '"0 25 * * *" is not a valid cron schedule: hour 25 is outside 0-23',
        },
      ],
      [],
    ],
    [
      'cron with 6 fields',
      variant((c) => (c.backups.schedule = '0 0 3 * * *')),
      [
        {
          path: 'components.0.backups.schedule',
          message:
            '"0 0 3 * * *" is not a valid cron schedule: a cron schedule has 5 fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"; this one has 6',
        },
      ],
      [],
    ],
    [
      'invalid bucket name',
      variant((c) => (c.backups.target.bucket = 'My_Backups')),
      [
        {
          path: 'components.0.backups.target.bucket',
          message:
            '"My_Backups" is not a valid bucket name: an S3 bucket name uses only lowercase letters, digits, "." and "-"',
        },
      ],
      [],
    ],
    [
      'prefix starting with a slash',
      variant((c) => (c.backups.target.prefix = '/orders')),
      [
        {
          path: 'components.0.backups.target.prefix',
          message: 'the prefix must not start with "/" (S3 keys are relative, e.g. "orders-db/")',
        },
      ],
      [],
    ],
    [
      'unsupported OS version',
      variant((c) => (c.os.version = '20.04')),
      [
        {
          path: 'components.0.os.version',
          message: 'ubuntu 20.04 is not supported; supported: ubuntu 22.04, ubuntu 24.04',
        },
      ],
      [],
    ],
    [
      'admin user postgres',
      variant((c) => (c.database.adminUser = 'postgres')),
      [
        {
          path: 'components.0.database.adminUser',
          message: '"postgres" is the built-in superuser, kept for local maintenance; choose another admin user name',
        },
      ],
      [],
    ],
    [
      'admin user with pg_ prefix',
      variant((c) => (c.database.adminUser = 'pg_admin')),
      [
        {
          path: 'components.0.database.adminUser',
          message: 'role names starting with "pg_" are reserved by PostgreSQL',
        },
      ],
      [],
    ],
    [
      'initial database not an identifier',
      variant((c) => {
        c.database.initialDatabase = 'Orders-DB';
      }),
      [
        {
          path: 'components.0.database.initialDatabase',
          message:
            '"Orders-DB" is not a valid name: use lowercase letters, digits and "_", starting with a letter or "_" (at most 63)',
        },
      ],
      [],
    ],
    [
      'initial database template1',
      variant((c) => (c.database.initialDatabase = 'template1')),
      [
        {
          path: 'components.0.database.initialDatabase',
          message: '"template1" already exists on every PostgreSQL server; choose your application\'s database name',
        },
      ],
      [],
    ],
    [
      'bad parameter name and a managed one',
      variant((c) => (c.database.parameters = { 'Shared-Buffers': '1GB', port: '5433' })),
      [
        {
          path: 'components.0.database.parameters.Shared-Buffers',
          message:
            '"Shared-Buffers" is not a PostgreSQL setting name (lowercase letters, digits, "_" and ".", not starting with a digit)',
        },
        {
          path: 'components.0.database.parameters.port',
          message: 'set port with network.port, not as a parameter override',
        },
      ],
      [],
    ],
    [
      'port below 1024',
      variant((c) => (c.network.port = 543)),
      [
        {
          path: 'components.0.network.port',
          message: 'port 543 is below 1024; PostgreSQL runs unprivileged, use 1024-65535',
        },
      ],
      [],
    ],
    [
      'malformed instance type',
      variant((c) => (c.compute.providerHint = { aws: { instanceType: 'large' } })),
      [
        {
          path: 'components.0.compute.providerHint.aws.instanceType',
          message: '"large" is not an AWS instance type name such as m6i.large',
        },
      ],
      [],
    ],
  ];

  it.each(cases)('%s', (_name, input, errors, warnings) => {
    const r = validateCsJson(input);
    expect(r.document).not.toBeNull();
    expect(r.errors).toEqual(errors);
    expect(r.warnings).toEqual(warnings);
  });

  it('duplicate component ids and names (names compared case-insensitively)', () => {
    const first = EXAMPLE_CS_JSON.components[0] as TPostgresComponent;
    const doc: TCsJsonDocument = {
      version: 1,
      name: 'dupes',
      components: [first, { ...first, name: 'ORDERS-DB' }, { ...first, id: 'pg-3', name: 'other' }],
    };
    expect(validateCsJson(doc).errors).toEqual([
      {
        path: 'components.1.id',
        message: 'id "pg-1" is already used by components.0; component ids must be unique',
      },
      {
        path: 'components.1.name',
        message: 'name "ORDERS-DB" is already used by components.0; component names must be unique',
      },
    ]);
  });

  it('errors of several components keep their own index', () => {
    const first = EXAMPLE_CS_JSON.components[0] as TPostgresComponent;
    const second: TPostgresComponent = {
      ...structuredClone(first),
      id: 'pg-2',
      name: 'replica',
      storage: { type: 'hdd', sizeGiB: 5 },
    };
    expect(validateCsJson({ ...EXAMPLE_CS_JSON, components: [first, second] }).errors).toEqual([
      { path: 'components.1.storage.sizeGiB', message: 'disk is 5 GiB; PostgreSQL needs at least 10 GiB' },
    ]);
  });
});

describe('cs-json helpers', () => {
  it('maxConnectionsLimit follows LEAST(memory_bytes / 9531392, 5000)', () => {
    // 8 GiB = 8589934592 B / 9531392 = 901.2 → 901
    expect(maxConnectionsLimit(8)).toBe(901);
    // 0.5 GiB = 536870912 / 9531392 = 56.3 → 56
    expect(maxConnectionsLimit(0.5)).toBe(56);
    // 64 GiB → 7209.9 → capped at 5000
    expect(maxConnectionsLimit(64)).toBe(5000);
  });

  it('parseCidr', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ cidr: { family: 4, prefix: 8, anyAddress: false } });
    expect(parseCidr('0.0.0.0/0')).toEqual({ cidr: { family: 4, prefix: 0, anyAddress: true } });
    expect(parseCidr('::/0')).toEqual({ cidr: { family: 6, prefix: 0, anyAddress: true } });
    expect(parseCidr('2001:db8::/32')).toEqual({ cidr: { family: 6, prefix: 32, anyAddress: false } });
    expect(parseCidr('::ffff:10.0.0.0/104')).toEqual({ cidr: { family: 6, prefix: 104, anyAddress: false } });
    expect(parseCidr('1:2:3:4:5:6:7:8/128')).toEqual({ cidr: { family: 6, prefix: 128, anyAddress: false } });
    expect(parseCidr('2001:db8::1/32')).toEqual({
      reason: '"2001:db8::1/32" has host bits set; did you mean 2001:db8::/32?',
    });
    expect(parseCidr('10.0.0.0/33')).toEqual({
      reason: '"10.0.0.0/33" has an invalid prefix length; IPv4 prefixes are 0-32',
    });
    for (const bad of ['010.0.0.0/8', '1::2::3/64', '10.0.0/8', 'fe80::/', 'x/8', '1.2.3.4/08']) {
      expect('reason' in parseCidr(bad), bad).toBe(true);
    }
  });

  it('cronScheduleProblem', () => {
    for (const ok of ['0 3 * * *', '*/15 * * * MON-FRI', '0 0 1,15 * *', '30 2 * JAN-MAR 0', '0 */6 * * 7']) {
      expect(cronScheduleProblem(ok), ok).toBeNull();
    }
    expect(cronScheduleProblem('60 * * * *')).toBe('minute 60 is outside 0-59');
    expect(cronScheduleProblem('0 3 0 * *')).toBe('day of month 0 is outside 1-31');
    expect(cronScheduleProblem('0 3 * 13 *')).toBe('month 13 is outside 1-12');
    expect(cronScheduleProblem('0 3 * * FUN')).toBe('day of week value "FUN" is not a number');
    expect(cronScheduleProblem('5-1 * * * *')).toBe('minute range "5-1" goes backwards');
    expect(cronScheduleProblem('*/0 * * * *')).toBe('minute step "/0" must be between 1 and 59');
    expect(cronScheduleProblem('@daily')).toMatch(/has 1$/);
  });

  it('s3BucketNameProblem', () => {
    expect(s3BucketNameProblem('acme-backups.eu')).toBeNull();
    expect(s3BucketNameProblem('ab')).toBe('an S3 bucket name is 3-63 characters long');
    expect(s3BucketNameProblem('-abc')).toBe('an S3 bucket name starts and ends with a lowercase letter or digit');
    expect(s3BucketNameProblem('a..b')).toBe('an S3 bucket name cannot contain two adjacent periods');
    expect(s3BucketNameProblem('192.168.5.4')).toBe('an S3 bucket name cannot look like an IP address');
    expect(s3BucketNameProblem('xn--abc')).toBe('an S3 bucket name cannot start with "xn--"');
    expect(s3BucketNameProblem('abc-s3alias')).toBe('an S3 bucket name cannot end with "-s3alias"');
  });

  it('nextComponentId', () => {
    expect(nextComponentId([])).toBe('pg-1');
    expect(nextComponentId([{ id: 'pg-1' }, { id: 'pg-3' }])).toBe('pg-2');
  });
});

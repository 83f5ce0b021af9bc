import { describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { validatePlan, validatePlanWithCatalog } from './validate.js';

/** Test documents are edited into invalid shapes on purpose, so their parts are untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TLoose = any;

function variant(edit: (c: TLoose) => void): TCsJsonDocument {
  const doc = structuredClone(EXAMPLE_CS_JSON);
  edit(doc.components[0] as unknown as TLoose);
  return doc;
}

const HINT = 'components.0.compute.providerHint.aws.instanceType';

describe('validatePlanWithCatalog', () => {
  it('the example passes', () => {
    expect(validatePlanWithCatalog(EXAMPLE_CS_JSON)).toEqual({ errors: [], warnings: [] });
  });

  it('unknown instance type → error', () => {
    expect(validatePlanWithCatalog(variant((c) => (c.compute.providerHint.aws.instanceType = 'm9z.large')))).toEqual({
      errors: [
        {
          path: HINT,
          message: '"m9z.large" is not in the instance catalog (families: t3, t4g, m6i, m7g, c6i, c7g, r6i, r7g)',
        },
      ],
      warnings: [],
    });
  });

  it('instance type of the other architecture → error', () => {
    expect(validatePlanWithCatalog(variant((c) => (c.compute.providerHint.aws.instanceType = 'm7g.large')))).toEqual({
      errors: [
        {
          path: HINT,
          message:
            'm7g.large is an arm64 instance type but compute.architecture is x86_64; the OS image would not boot',
        },
      ],
      warnings: [],
    });
  });

  it('instance type with other vCPU/memory → warning with the closest match', () => {
    expect(validatePlanWithCatalog(variant((c) => (c.compute.providerHint.aws.instanceType = 'm6i.xlarge')))).toEqual({
      errors: [],
      warnings: [
        {
          path: HINT,
          message:
            'm6i.xlarge has 4 vCPU and 16 GiB but compute says 2 vCPU and 8 GiB; PostgreSQL is tuned for the compute values (closest match: m6i.large)',
        },
      ],
    });
  });

  it('no instance type big enough → error on compute', () => {
    const doc = variant((c) => {
      delete c.compute.providerHint;
      c.compute = { vcpu: 128, memoryGiB: 1024, architecture: 'arm64' };
    });
    expect(validatePlanWithCatalog(doc).errors).toEqual([
      {
        path: 'components.0.compute',
        message:
          'no arm64 instance type has 128 vCPU and 1024 GiB; the largest arm64 types offer up to 64 vCPU and 512 GiB',
      },
    ]);
  });

  it('Amazon Linux 2023 with PostgreSQL 14 → warning', () => {
    const doc = variant((c) => {
      c.os = { family: 'amazon-linux', version: '2023' };
      c.database.majorVersion = 14;
    });
    expect(validatePlanWithCatalog(doc)).toEqual({
      errors: [],
      warnings: [
        {
          path: 'components.0.database.majorVersion',
          message: 'Amazon Linux 2023 packages PostgreSQL 15, 16, 17; 14 would need another package source',
        },
      ],
    });
  });
});

describe('validatePlan (contracts + catalog)', () => {
  it('the example passes', () => {
    expect(validatePlan(EXAMPLE_CS_JSON)).toEqual({ document: EXAMPLE_CS_JSON, errors: [], warnings: [] });
  });

  it('one message per field: a malformed instance type gets only the contracts error', () => {
    const r = validatePlan(variant((c) => (c.compute.providerHint.aws.instanceType = 'large')));
    expect(r.errors).toEqual([{ path: HINT, message: '"large" is not an AWS instance type name such as m6i.large' }]);
  });

  it('merges semantic and catalog issues', () => {
    const r = validatePlan(
      variant((c) => {
        c.compute.providerHint.aws.instanceType = 'm6i.2xlarge';
        c.storage.sizeGiB = 5;
      }),
    );
    expect(r.errors.map((e) => e.path)).toEqual(['components.0.storage.sizeGiB']);
    expect(r.warnings.map((e) => e.path)).toEqual([HINT]);
  });

  it('structural failure → document null, no catalog checks', () => {
    const r = validatePlan({ version: 1, name: 'x', components: 'none' });
    expect(r).toEqual({
      document: null,
      errors: [{ path: 'components', message: 'components must be a list' }],
      warnings: [],
    });
  });
});

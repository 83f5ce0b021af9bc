import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import {
  validateCsJson,
  type TCsJsonDocument,
  type TCsJsonValidation,
  type TPostgresComponent,
} from '@elasticdash/contracts/plans/cs-json';
import { imageFor } from './images.js';
import { describeInstanceType, INSTANCE_TYPES, instanceTypeFor } from './instances.js';

export interface TCatalogCheck {
  errors: TFieldIssue[];
  warnings: TFieldIssue[];
}

const KNOWN_FAMILIES = [...new Set(INSTANCE_TYPES.map((t) => t.family))].join(', ');

function checkPostgres(c: TPostgresComponent, at: string, out: TCatalogCheck): void {
  const error = (path: string, message: string) => out.errors.push({ path: `${at}.${path}`, message });
  const warn = (path: string, message: string) => out.warnings.push({ path: `${at}.${path}`, message });
  const { vcpu, memoryGiB, architecture } = c.compute;

  const hint = c.compute.providerHint?.aws?.instanceType;
  if (hint !== undefined) {
    const path = 'compute.providerHint.aws.instanceType';
    const type = describeInstanceType(hint);
    if (!type) {
      error(path, `"${hint}" is not in the instance catalog (families: ${KNOWN_FAMILIES})`);
    } else if (type.architecture !== architecture) {
      error(
        path,
        `${type.name} is an ${type.architecture} instance type but compute.architecture is ${architecture}; the OS image would not boot`,
      );
    } else if (type.vcpu !== vcpu || type.memoryGiB !== memoryGiB) {
      const suggestion = instanceTypeFor({ vcpu, memoryGiB, architecture });
      warn(
        path,
        `${type.name} has ${type.vcpu} vCPU and ${type.memoryGiB} GiB but compute says ${vcpu} vCPU and ${memoryGiB} GiB; PostgreSQL is tuned for the compute values` +
          (suggestion.instanceType ? ` (closest match: ${suggestion.instanceType.name})` : ''),
      );
    }
  } else {
    const match = instanceTypeFor({ vcpu, memoryGiB, architecture });
    if (!match.instanceType) error('compute', match.reason);
  }

  const image = imageFor(c.os.family, c.os.version, architecture);
  if (image && !image.postgres.majorVersions.includes(c.database.majorVersion)) {
    warn(
      'database.majorVersion',
      `${image.displayName} packages PostgreSQL ${image.postgres.majorVersions.join(', ')}; ${c.database.majorVersion} would need another package source`,
    );
  }
}

/**
 * Catalog-based checks of a parsed document (instance types, images), in addition to
 * `validateCsJson` from contracts: an unknown or wrong-architecture providerHint is an error, a
 * providerHint whose vCPU/memory differ from compute is a warning, and compute that no catalog
 * instance type can hold (without a providerHint) is an error.
 */
export function validatePlanWithCatalog(document: TCsJsonDocument): TCatalogCheck {
  const out: TCatalogCheck = { errors: [], warnings: [] };
  document.components.forEach((component, i) => {
    switch (component.type) {
      case 'postgresql':
        checkPostgres(component, `components.${i}`, out);
        break;
    }
  });
  return out;
}

/**
 * `validateCsJson` + `validatePlanWithCatalog` in one call (what svc-plans and the web use).
 * A catalog issue on a path that already has a contracts error is dropped (one message per field).
 */
export function validatePlan(input: unknown): TCsJsonValidation {
  const base = validateCsJson(input);
  if (!base.document) return base;
  const catalog = validatePlanWithCatalog(base.document);
  const errorPaths = new Set(base.errors.map((e) => e.path));
  return {
    document: base.document,
    errors: [...base.errors, ...catalog.errors.filter((e) => !errorPaths.has(e.path))],
    warnings: [...base.warnings, ...catalog.warnings.filter((w) => !errorPaths.has(w.path))],
  };
}

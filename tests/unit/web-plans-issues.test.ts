import { describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON, validateCsJson } from '@elasticdash/contracts/plans/cs-json';
import {
  collectIssues,
  COMPONENT_FIELDS,
  FIELD_LABELS,
  fieldMessages,
  itemMessages,
  locateIssue,
} from '../../apps/web/lib/plans/issues.js';

describe('plan issues: path → node, field, item', () => {
  it('maps component paths to the panel field', () => {
    expect(locateIssue('components.0.storage.sizeGiB')).toEqual({
      componentIndex: 0,
      field: 'storage.sizeGiB',
      item: null,
    });
    expect(locateIssue('components.12.database.maxConnections')).toEqual({
      componentIndex: 12,
      field: 'database.maxConnections',
      item: null,
    });
    expect(locateIssue('components.1.compute.providerHint.aws.instanceType')).toEqual({
      componentIndex: 1,
      field: 'compute.providerHint.aws.instanceType',
      item: null,
    });
  });

  it('prefers the most specific field (backups.target.bucket over backups.target)', () => {
    expect(locateIssue('components.0.backups.target.bucket').field).toBe('backups.target.bucket');
    expect(locateIssue('components.0.backups.target').field).toBe('backups.target');
  });

  it('names the item of list and map fields; parameter names keep their dots', () => {
    expect(locateIssue('components.0.network.allowedCidrs.2')).toEqual({
      componentIndex: 0,
      field: 'network.allowedCidrs',
      item: '2',
    });
    expect(locateIssue('components.3.database.parameters.auto_explain.log_analyze')).toEqual({
      componentIndex: 3,
      field: 'database.parameters',
      item: 'auto_explain.log_analyze',
    });
  });

  it('puts positions, whole sections, whole components and unknown keys where the panel can show them', () => {
    expect(locateIssue('components.0.position.x').field).toBe('position');
    // The catalog's "no instance type can hold this size" is about compute as a whole.
    expect(locateIssue('components.0.compute')).toEqual({ componentIndex: 0, field: 'compute', item: null });
    expect(locateIssue('components.0.storage.colour')).toEqual({ componentIndex: 0, field: 'storage', item: null });
    expect(locateIssue('components.0')).toEqual({ componentIndex: 0, field: null, item: null });
    expect(locateIssue('components.0.colour')).toEqual({ componentIndex: 0, field: null, item: null });
  });

  it('keeps document-level paths on the document', () => {
    expect(locateIssue('name')).toEqual({ componentIndex: null, field: 'name', item: null });
    expect(locateIssue('components')).toEqual({ componentIndex: null, field: 'components', item: null });
    expect(locateIssue('(root)')).toEqual({ componentIndex: null, field: null, item: null });
  });

  it('has a label for every field', () => {
    for (const field of COMPONENT_FIELDS) expect(FIELD_LABELS[field]).toBeTruthy();
  });
});

describe('collectIssues', () => {
  it('sorts the validator output of a real document onto nodes and fields', () => {
    const [component] = EXAMPLE_CS_JSON.components;
    if (!component) throw new Error('example has a component');
    const document = {
      ...EXAMPLE_CS_JSON,
      components: [
        component,
        {
          ...component,
          id: 'pg-2',
          name: 'tiny',
          compute: { vcpu: 1, memoryGiB: 1, architecture: 'x86_64' as const },
          storage: { type: 'ssd' as const, sizeGiB: 5 },
          database: { ...component.database, maxConnections: 100000 },
          network: { port: 5432, allowedCidrs: ['10.0.0.0/8', '0.0.0.0/0'], public: false },
        },
      ],
    };
    const validation = validateCsJson(document);
    const issues = collectIssues(document.components.length, validation.errors, validation.warnings);
    expect(issues.components[0]?.errorCount).toBe(0);
    const tiny = issues.components[1];
    expect(tiny?.errorCount).toBe(3);
    expect(issues.errorCount).toBe(3);
    expect(fieldMessages(tiny, 'storage.sizeGiB').errors[0]).toMatch(/at least 10 GiB/);
    expect(fieldMessages(tiny, 'database.maxConnections').errors[0]).toMatch(/too many for 1 GiB/);
    expect(itemMessages(tiny, 'network.allowedCidrs', '1').errors[0]).toMatch(/public: true/);
    expect(itemMessages(tiny, 'network.allowedCidrs', '0').errors).toEqual([]);
    expect(fieldMessages(tiny, 'network.allowedCidrs', { includeItems: true }).errors).toHaveLength(1);
  });

  it('counts warnings apart, drops exact duplicates, and keeps out-of-range components on the document', () => {
    const issues = collectIssues(
      1,
      [
        { path: 'components.0.network.port', message: 'too low' },
        { path: 'components.0.network.port', message: 'too low' },
        { path: 'components.4.name', message: 'gone' },
        { path: 'name', message: 'plan name must be between 1 and 80 characters' },
      ],
      [{ path: 'components.0.backups.enabled', message: 'backups are disabled' }],
    );
    expect(issues.errorCount).toBe(3);
    expect(issues.warningCount).toBe(1);
    expect(issues.components[0]?.errorCount).toBe(1);
    expect(issues.components[0]?.warningCount).toBe(1);
    expect(issues.components[0]?.fields['backups.enabled']?.warnings).toEqual(['backups are disabled']);
    expect(issues.document.components?.errors).toEqual(['gone']);
    expect(issues.document.name?.errors).toHaveLength(1);
  });

  it('lists whole-component and unknown-key issues as general, with their path', () => {
    const issues = collectIssues(1, [{ path: 'components.0.colour', message: 'unknown field "colour"' }], []);
    expect(issues.components[0]?.general).toEqual([
      { severity: 'error', path: 'components.0.colour', message: 'unknown field "colour"' },
    ]);
  });
});

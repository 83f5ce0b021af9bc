import { describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON, validateCsJson } from '@elasticdash/contracts/plans/cs-json';
import {
  addCidr,
  addPostgres,
  allowsAnyAddress,
  clearInstanceType,
  componentIndex,
  emptyDocument,
  exportFileContents,
  exportFileName,
  instanceTypeOf,
  moveComponent,
  numberInputValue,
  parameterRowProblems,
  parametersToRows,
  parseImportFile,
  parseNumberInput,
  removeCidr,
  removeComponents,
  rowsToParameters,
  setBackupTarget,
  setInstanceType,
  setParameters,
  sizeLabel,
  uniquePlanName,
  updateComponent,
} from '../../apps/web/lib/plans/document.js';

function example() {
  const component = EXAMPLE_CS_JSON.components[0];
  if (!component) throw new Error('example has a component');
  return component;
}

describe('plan document edits', () => {
  it('adds PostgreSQL nodes at the drop position with the next id and a unique name', () => {
    const first = addPostgres(emptyDocument('orders'), { x: 120.4, y: 80.6 });
    expect(first.id).toBe('pg-1');
    expect(first.document.components[0]?.position).toEqual({ x: 120, y: 81 });
    const second = addPostgres(first.document, { x: 0, y: 0 });
    expect(second.id).toBe('pg-2');
    expect(second.document.components.map((component) => component.name)).toEqual(['pg-1', 'pg-2']);
    // A new node is a valid document straight away (no errors, only the "backups off" warning).
    const validation = validateCsJson(second.document);
    expect(validation.errors).toEqual([]);
    // A name already taken by another node gets a suffix.
    const renamed = updateComponent(second.document, 'pg-1', (component) => ({ ...component, name: 'pg-3' }));
    const third = addPostgres(renamed, { x: 0, y: 0 });
    expect(third.id).toBe('pg-3');
    expect(third.document.components[2]?.name).toBe('pg-3-2');
  });

  it('picks a plan name not used in the workspace yet', () => {
    expect(uniquePlanName('Untitled plan', [])).toBe('Untitled plan');
    expect(uniquePlanName('Untitled plan', ['untitled PLAN', 'Untitled plan 2'])).toBe('Untitled plan 3');
  });

  it('moves, updates and removes without touching other nodes (and returns the same object for no-ops)', () => {
    const { document } = addPostgres(addPostgres(emptyDocument(), { x: 0, y: 0 }).document, { x: 300, y: 0 });
    const moved = moveComponent(document, 'pg-2', { x: 310.2, y: 40 });
    expect(moved.components[1]?.position).toEqual({ x: 310, y: 40 });
    expect(moved.components[0]).toBe(document.components[0]);
    expect(moveComponent(moved, 'pg-2', { x: 310, y: 40 })).toBe(moved);
    expect(updateComponent(moved, 'nope', (component) => ({ ...component, name: 'x' }))).toBe(moved);
    const removed = removeComponents(moved, ['pg-1']);
    expect(removed.components.map((component) => component.id)).toEqual(['pg-2']);
    expect(removeComponents(removed, [])).toBe(removed);
    expect(componentIndex(removed, 'pg-2')).toBe(0);
    expect(componentIndex(removed, null)).toBe(-1);
  });

  it('sizes by instance type from the catalog, and back to vCPU + memory', () => {
    const component = clearInstanceType(example());
    expect(instanceTypeOf(component)).toBeNull();
    expect(component.compute).toEqual({ vcpu: 2, memoryGiB: 8, architecture: 'x86_64' });
    // A catalog entry has more than the sizing fields; only those land in the document.
    const catalogEntry = { name: 'm7g.xlarge', family: 'm7g', vcpu: 4, memoryGiB: 16, architecture: 'arm64' as const };
    const sized = setInstanceType(component, 'm7g.xlarge', catalogEntry);
    expect(sized.compute).toEqual({
      vcpu: 4,
      memoryGiB: 16,
      architecture: 'arm64',
      providerHint: { aws: { instanceType: 'm7g.xlarge' } },
    });
    expect(validateCsJson({ ...EXAMPLE_CS_JSON, components: [sized] }).errors).toEqual([]);
    expect(sizeLabel(sized)).toBe('m7g.xlarge (4 vCPU · 16 GiB)');
    expect(sizeLabel(clearInstanceType(sized))).toBe('4 vCPU · 16 GiB');
    // An instance type the catalog does not know keeps the current size.
    expect(setInstanceType(component, 'x9.weird', null).compute.vcpu).toBe(2);
  });

  it('reads number inputs: blank is NaN so the validator names the field', () => {
    expect(parseNumberInput(' 42 ')).toBe(42);
    expect(parseNumberInput('0.5')).toBe(0.5);
    expect(parseNumberInput('')).toBeNaN();
    expect(numberInputValue(Number.NaN)).toBe('');
    expect(numberInputValue(undefined)).toBe('');
    expect(numberInputValue(8)).toBe('8');
    const component = example();
    const blank = { ...component, storage: { ...component.storage, sizeGiB: parseNumberInput('') } };
    const validation = validateCsJson({ ...EXAMPLE_CS_JSON, components: [blank] });
    expect(validation.document).toBeNull();
    expect(validation.errors.map((issue) => issue.path)).toEqual(['components.0.storage.sizeGiB']);
  });

  it('edits parameter overrides as rows', () => {
    const rows = parametersToRows({ work_mem: '64MB', 'auto_explain.log_analyze': 'on' });
    expect(rows).toEqual([
      { key: 'work_mem', value: '64MB' },
      { key: 'auto_explain.log_analyze', value: 'on' },
    ]);
    expect(rowsToParameters([...rows, { key: '  ', value: '' }, { key: ' work_mem ', value: '128MB' }])).toEqual({
      work_mem: '128MB',
      'auto_explain.log_analyze': 'on',
    });
    expect(rowsToParameters([{ key: '', value: '' }])).toBeUndefined();
    expect(
      parameterRowProblems([
        { key: 'work_mem', value: '1MB' },
        { key: '', value: 'x' },
        { key: '', value: '' },
        { key: 'work_mem', value: '2MB' },
      ]),
    ).toEqual({ 1: 'Enter a setting name, or remove this row', 3: expect.stringMatching(/already set above/) });
    const cleared = setParameters(example(), []);
    expect('parameters' in cleared.database).toBe(false);
    expect(setParameters(cleared, [{ key: 'jit', value: 'on' }]).database.parameters).toEqual({ jit: 'on' });
  });

  it('sets the backup target: a blank bucket is no target', () => {
    const component = example();
    expect(setBackupTarget(component, '  ', 'x/').backups.target).toBeNull();
    expect(setBackupTarget(component, ' my-bucket ', 'db/').backups.target).toEqual({
      bucket: 'my-bucket',
      prefix: 'db/',
    });
  });

  it('adds and removes CIDRs (no blanks, no duplicates) and spots any-address ones', () => {
    const component = example();
    expect(addCidr(component, '  ')).toBe(component);
    expect(addCidr(component, '10.0.0.0/16')).toBe(component);
    const opened = addCidr(component, ' 0.0.0.0/0 ');
    expect(opened.network.allowedCidrs).toEqual(['10.0.0.0/16', '0.0.0.0/0']);
    expect(allowsAnyAddress(opened)).toBe(true);
    expect(allowsAnyAddress(removeCidr(opened, 1))).toBe(false);
    expect(allowsAnyAddress(addCidr(component, '::/0'))).toBe(true);
  });

  it('names and writes export files, and reads import files', () => {
    expect(exportFileName('Orders DB (prod)')).toBe('orders-db-prod.cs.json');
    expect(exportFileName('Café ✓')).toBe('cafe.cs.json');
    expect(exportFileName('***')).toBe('plan.cs.json');
    const text = exportFileContents(EXAMPLE_CS_JSON);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseImportFile(text)).toEqual({ ok: true, document: EXAMPLE_CS_JSON });
    expect(parseImportFile('  ')).toEqual({ ok: false, message: 'The file is empty.' });
    const broken = parseImportFile('{"version": 1,');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toMatch(/^The file is not valid JSON/);
  });
});

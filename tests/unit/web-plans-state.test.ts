import { describe, expect, it } from 'vitest';
import { EXAMPLE_CS_JSON } from '@elasticdash/contracts/plans/cs-json';
import { deployAvailability } from '../../apps/web/lib/plans/deploy.js';
import { canonicalJson, isDirty, sameDocument } from '../../apps/web/lib/plans/dirty.js';
import { diffJson, formatDiffValue } from '../../apps/web/lib/plans/json-diff.js';
import { leavesPage, type TLinkClick } from '../../apps/web/lib/plans/navigation.js';

describe('dirty tracking', () => {
  it('compares by value with keys in any order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(sameDocument({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameDocument({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameDocument({ list: [1, 2] }, { list: [2, 1] })).toBe(false);
  });

  it('is clean after a round trip and dirty after an edit; undoing by hand makes it clean again', () => {
    const saved = JSON.parse(JSON.stringify(EXAMPLE_CS_JSON)) as typeof EXAMPLE_CS_JSON;
    expect(isDirty(saved, EXAMPLE_CS_JSON)).toBe(false);
    const edited = { ...saved, name: 'changed' };
    expect(isDirty(saved, edited)).toBe(true);
    expect(isDirty(saved, { ...edited, name: saved.name })).toBe(false);
  });
});

describe('deploy availability', () => {
  const ready = { canDeploy: true, saved: true, dirty: false, errorCount: 0, saving: false };

  it('is enabled only for a saved, clean, valid plan', () => {
    expect(deployAvailability(ready)).toEqual({ enabled: true, reason: null });
  });

  it('says why it is disabled', () => {
    expect(deployAvailability({ ...ready, dirty: true }).reason).toBe('To deploy, save your changes first.');
    expect(deployAvailability({ ...ready, saved: false, dirty: true }).reason).toBe('To deploy, save the plan first.');
    expect(deployAvailability({ ...ready, errorCount: 1 }).reason).toBe('To deploy, fix 1 error first.');
    expect(deployAvailability({ ...ready, errorCount: 2, dirty: true })).toEqual({
      enabled: false,
      reason: 'To deploy, fix 2 errors and save your changes first.',
    });
    expect(deployAvailability({ ...ready, saving: true, dirty: true }).reason).toBe(
      'To deploy, wait for the save to finish first.',
    );
    expect(deployAvailability({ ...ready, canDeploy: false }).enabled).toBe(false);
  });
});

describe('json diff (theirs vs mine)', () => {
  it('lists changed, added and removed paths in the API format', () => {
    const theirs = {
      name: 'orders',
      components: [{ id: 'pg-1', storage: { sizeGiB: 100 }, network: { allowedCidrs: ['10.0.0.0/16'] } }],
    };
    const mine = {
      name: 'orders',
      components: [
        { id: 'pg-1', storage: { sizeGiB: 200, iops: 3000 }, network: { allowedCidrs: ['10.0.0.0/16', '::/0'] } },
        { id: 'pg-2' },
      ],
    };
    expect(diffJson(theirs, mine)).toEqual([
      {
        path: 'components.0.network.allowedCidrs',
        kind: 'changed',
        before: ['10.0.0.0/16'],
        after: ['10.0.0.0/16', '::/0'],
      },
      { path: 'components.0.storage.iops', kind: 'added', after: 3000 },
      { path: 'components.0.storage.sizeGiB', kind: 'changed', before: 100, after: 200 },
      { path: 'components.1', kind: 'added', after: { id: 'pg-2' } },
    ]);
    expect(diffJson(mine, mine)).toEqual([]);
    expect(diffJson({ a: 1 }, {})).toEqual([{ path: 'a', kind: 'removed', before: 1 }]);
  });

  it('formats values for a diff row', () => {
    expect(formatDiffValue(undefined)).toBe('—');
    expect(formatDiffValue('x')).toBe('"x"');
    expect(formatDiffValue(5)).toBe('5');
    expect(formatDiffValue({ a: 1 })).toBe('{"a":1}');
    expect(formatDiffValue('y'.repeat(200)).endsWith('…')).toBe(true);
  });
});

describe('unsaved-changes guard: which link clicks leave the page', () => {
  const here = 'http://127.0.0.1:3000/app/t/plans/p';
  const click = (overrides: Partial<TLinkClick> = {}): TLinkClick => ({
    href: 'http://127.0.0.1:3000/app/t/members',
    target: '',
    hasDownload: false,
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    defaultPrevented: false,
    ...overrides,
  });

  it('asks for plain clicks to another page', () => {
    expect(leavesPage(click(), here)).toBe(true);
    expect(leavesPage(click({ href: 'https://example.com/' }), here)).toBe(true);
    expect(leavesPage(click({ href: `${here}?tab=2` }), here)).toBe(true);
  });

  it('does not ask when this page stays', () => {
    expect(leavesPage(click({ href: `${here}#history` }), here)).toBe(false);
    expect(leavesPage(click({ ctrlKey: true }), here)).toBe(false);
    expect(leavesPage(click({ metaKey: true }), here)).toBe(false);
    expect(leavesPage(click({ button: 1 }), here)).toBe(false);
    expect(leavesPage(click({ target: '_blank' }), here)).toBe(false);
    expect(leavesPage(click({ hasDownload: true }), here)).toBe(false);
    expect(leavesPage(click({ defaultPrevented: true }), here)).toBe(false);
    expect(leavesPage(click({ href: 'mailto:a@b.c' }), here)).toBe(false);
  });
});

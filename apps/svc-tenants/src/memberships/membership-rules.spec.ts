import { AppError } from '@elasticdash/service-kit/errors';
import { describe, expect, it } from 'vitest';
import { assertCanChangeRole, assertCanLeave, assertCanRemove } from './membership-rules.js';

function statusOf(run: () => void): number | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.getStatus();
    throw error;
  }
}

describe('membership rules', () => {
  const change = { targetIsActor: false, ownerCount: 1 } as const;

  it('lets admins change non-owners between non-owner roles', () => {
    expect(
      statusOf(() => assertCanChangeRole({ ...change, actorRole: 'admin', targetRole: 'viewer', newRole: 'admin' })),
    ).toBe('ok');
  });

  it('lets only owners grant or revoke owner', () => {
    expect(
      statusOf(() => assertCanChangeRole({ ...change, actorRole: 'admin', targetRole: 'editor', newRole: 'owner' })),
    ).toBe(403);
    expect(
      statusOf(() =>
        assertCanChangeRole({ ...change, actorRole: 'admin', targetRole: 'owner', newRole: 'viewer', ownerCount: 2 }),
      ),
    ).toBe(403);
    expect(
      statusOf(() => assertCanChangeRole({ ...change, actorRole: 'owner', targetRole: 'editor', newRole: 'owner' })),
    ).toBe('ok');
    expect(
      statusOf(() =>
        assertCanChangeRole({ ...change, actorRole: 'owner', targetRole: 'owner', newRole: 'admin', ownerCount: 2 }),
      ),
    ).toBe('ok');
  });

  it('refuses below-admin actors', () => {
    expect(
      statusOf(() => assertCanChangeRole({ ...change, actorRole: 'editor', targetRole: 'viewer', newRole: 'editor' })),
    ).toBe(403);
    expect(
      statusOf(() =>
        assertCanRemove({ actorRole: 'viewer', targetRole: 'viewer', ownerCount: 1, targetIsActor: false }),
      ),
    ).toBe(403);
  });

  it('never demotes, removes or lets go of the last owner', () => {
    expect(
      statusOf(() =>
        assertCanChangeRole({
          actorRole: 'owner',
          targetRole: 'owner',
          newRole: 'admin',
          ownerCount: 1,
          targetIsActor: true,
        }),
      ),
    ).toBe(409);
    expect(
      statusOf(() => assertCanRemove({ actorRole: 'owner', targetRole: 'owner', ownerCount: 1, targetIsActor: true })),
    ).toBe(409);
    expect(
      statusOf(() => assertCanRemove({ actorRole: 'owner', targetRole: 'owner', ownerCount: 2, targetIsActor: false })),
    ).toBe('ok');
    expect(
      statusOf(() => assertCanRemove({ actorRole: 'admin', targetRole: 'owner', ownerCount: 2, targetIsActor: false })),
    ).toBe(403);
    expect(statusOf(() => assertCanLeave('owner', 1))).toBe(409);
    expect(statusOf(() => assertCanLeave('owner', 2))).toBe('ok');
    expect(statusOf(() => assertCanLeave('viewer', 1))).toBe('ok');
  });
});

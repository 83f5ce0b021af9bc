import type { TListMembersResponse } from '@elasticdash/contracts/tenants/member';
import type { TCreateInvitationResponse } from '@elasticdash/contracts/tenants/invitation';
import type { TListMyTenantsResponse } from '@elasticdash/contracts/tenants/tenant';
import { describe, expect, inject, it } from 'vitest';
import { ApiClient, createTenant, signUp, TEST_PASSWORD } from '../support/api-client.js';

const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');

describe('sign up → log in → create workspace → invite → accept', () => {
  it('leaves both users members of the workspace with the right roles', async () => {
    const owner = new ApiClient(gatewayUrl, origin);
    const ownerUser = await signUp(owner, 'owner');

    // A fresh login works with the same credentials and issues a new session.
    const again = new ApiClient(gatewayUrl, origin);
    const login = await again.post('/api/auth/login', { email: ownerUser.email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(again.sessionCookie).toBeDefined();
    expect(again.sessionCookie).not.toBe(owner.sessionCookie);

    const tenantId = await createTenant(again, 'Acme Analytics');
    again.tenantId = tenantId;

    const invited = new ApiClient(gatewayUrl, origin);
    const invitedUser = await signUp(invited, 'invitee');
    const invitation = await again.post<TCreateInvitationResponse>('/api/invitations', {
      email: invitedUser.email,
      role: 'editor',
    });
    expect(invitation.status).toBe(201);
    expect(invitation.body.invitation.email).toBe(invitedUser.email);

    const preview = await invited.get(`/api/invitations/by-token/${invitation.body.token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ tenantName: 'Acme Analytics', role: 'editor' });

    const accepted = await invited.post('/api/invitations/accept', { token: invitation.body.token });
    expect(accepted.status).toBe(200);

    const mine = await invited.get<TListMyTenantsResponse>('/api/tenants');
    expect(mine.body.tenants).toEqual([expect.objectContaining({ id: tenantId, role: 'editor' })]);

    const members = await again.get<TListMembersResponse>('/api/members');
    expect(members.status).toBe(200);
    expect(members.body.members.map((member) => [member.email, member.role]).sort()).toEqual(
      [
        [ownerUser.email, 'owner'],
        [invitedUser.email, 'editor'],
      ].sort(),
    );

    // The new member can use tenant routes at once (the gateway's membership cache was dropped).
    invited.tenantId = tenantId;
    const asMember = await invited.get<TListMembersResponse>('/api/members');
    expect(asMember.status).toBe(200);
    expect(asMember.body.members).toHaveLength(2);
  });
});

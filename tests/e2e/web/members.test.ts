import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  addMemberWithApi,
  apiCall,
  createWorkspaceWithApi,
  launchBrowser,
  newContext,
  PASSWORD,
  screenshot,
  signUpWithApi,
  uniqueEmail,
} from './browser.js';

const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('web: members and invitations', () => {
  it('invites by email with a role; the invitee signs up from the link in another browser and joins', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'owner');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Invite Co');
    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/members`);
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await page.getByText('No pending invitations').waitFor();

    const inviteeEmail = uniqueEmail('invitee');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Email').fill(inviteeEmail);
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: /^Editor/ }).click();
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = await dialog.getByTestId('invite-link').inputValue();
    expect(link).toMatch(new RegExp(`^${webUrl}/invite/[\\w-]{20,}$`));
    await dialog.getByRole('button', { name: 'Done' }).click();
    const pending = page.getByTestId('invitation-row');
    await expect.poll(() => pending.count()).toBe(1);
    expect(await pending.first().innerText()).toContain('Editor');

    // Second browser context: not signed in → sign up from the invitation → back to it → accept.
    const invitee = await newContext(browser, webUrl);
    const guest = await invitee.newPage();
    await guest.goto(link);
    await guest.getByRole('heading', { name: 'You have been invited to ElasticDash' }).waitFor();
    await guest.getByRole('link', { name: 'Create an account' }).click();
    await guest.waitForURL('**/signup?next=*');
    await guest.getByLabel('Name').fill('Ivy Invitee');
    await guest.getByLabel('Email').fill(inviteeEmail);
    await guest.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await guest.getByRole('button', { name: 'Create account' }).click();
    await guest.waitForURL(link);
    await guest.getByRole('heading', { name: 'Invite Co' }).waitFor();
    expect(await guest.locator('main').innerText()).toContain('Editor');
    await guest.getByRole('button', { name: 'Accept and join' }).click();
    await guest.waitForURL(`**/app/${tenantId}`);
    expect(await guest.getByTestId('workspace-switcher').innerText()).toContain('Editor');

    // The owner sees the new member with that role, and no pending invitation.
    await page.reload();
    const row = page.locator(`[data-testid="member-row"][data-email="${inviteeEmail}"]`);
    await row.waitFor();
    expect(await row.getByRole('combobox', { name: 'Role of Ivy Invitee' }).innerText()).toContain('Editor');
    await page.getByText('No pending invitations').waitFor();
    await screenshot(page, 'members');

    // Change the role, then remove the member.
    await row.getByRole('combobox', { name: 'Role of Ivy Invitee' }).click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    await page.getByText('Ivy Invitee is now viewer', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Actions for Ivy Invitee' }).click();
    await page.getByRole('menuitem', { name: 'Remove from workspace' }).click();
    await page
      .getByRole('alertdialog', { name: 'Remove Ivy Invitee?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect.poll(() => row.count()).toBe(0);

    // The removed member's open tab loses access.
    await guest.reload();
    await guest.getByText('You do not have access to this workspace').waitFor();

    expect(owner.pageErrors).toEqual([]);
    expect(invitee.pageErrors).toEqual([]);
    await owner.close();
    await invitee.close();
  });

  it('lists and revokes pending invitations, and makes a new link', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'revoker');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Revoke Co');
    const email = uniqueEmail('pending');
    const first = await apiCall<{ token: string }>(
      owner,
      webUrl,
      'POST',
      '/invitations',
      { email, role: 'admin' },
      tenantId,
    );
    expect(first.status).toBe(201);

    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/members`);
    const row = page.locator(`[data-testid="invitation-row"][data-email="${email}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Admin');

    await row.getByRole('button', { name: `New invite link for ${email}` }).click();
    const newLink = await page.getByRole('dialog', { name: 'New invite link' }).getByTestId('invite-link').inputValue();
    expect(newLink).not.toContain(first.body.token);
    await screenshot(page, 'members-invite-link');
    await page.getByRole('button', { name: 'Done' }).click();

    await row.getByRole('button', { name: `Revoke invitation for ${email}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke invitation' }).click();
    await page.getByText('No pending invitations').waitFor();

    // A revoked link says so.
    const other = await newContext(browser, webUrl);
    await signUpWithApi(other, webUrl, 'late');
    const late = await other.newPage();
    await late.goto(newLink);
    await late.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();
    await owner.close();
    await other.close();
  });

  it('a viewer sees no admin actions, and a forced request is refused with 403', async () => {
    const owner = await newContext(browser, webUrl);
    const ownerUser = await signUpWithApi(owner, webUrl, 'boss');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Roles Co');
    const viewer = await newContext(browser, webUrl);
    const viewerUser = await signUpWithApi(viewer, webUrl, 'viewer');
    await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');
    const admin = await newContext(browser, webUrl);
    const adminUser = await signUpWithApi(admin, webUrl, 'admin');
    await addMemberWithApi(owner, admin, webUrl, tenantId, adminUser, 'admin');

    const page = await viewer.newPage();
    await page.goto(`/app/${tenantId}/members`);
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(3);
    await page.getByText('Only admins and owners can invite or change roles.').waitFor();
    expect(await page.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Actions for/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Pending invitations' }).count()).toBe(0);
    await screenshot(page, 'members-viewer');

    // Forced from the page, with a valid CSRF token and the workspace header: the gateway says no.
    const forced = await page.evaluate(
      async ({ tenantId, ownerId }) => {
        const csrf = document.cookie.match(/(?:^|; )ed_csrf=([^;]*)/)?.[1] ?? '';
        const headers = {
          'content-type': 'application/json',
          'x-csrf-token': decodeURIComponent(csrf),
          'x-tenant-id': tenantId,
        };
        const invite = await fetch('/api/invitations', {
          method: 'POST',
          headers,
          body: JSON.stringify({ email: 'forced@example.test', role: 'admin' }),
        });
        const demote = await fetch(`/api/members/${ownerId}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ role: 'viewer' }),
        });
        return { invite: invite.status, demote: demote.status, body: await invite.json() };
      },
      { tenantId, ownerId: ownerUser.id },
    );
    expect(forced.invite).toBe(403);
    expect(forced.demote).toBe(403);
    expect(forced.body.error.code).toBe('forbidden');

    // An admin manages non-owners but is offered nothing on the owner.
    const adminPage = await admin.newPage();
    await adminPage.goto(`/app/${tenantId}/members`);
    const ownerRow = adminPage.locator(`[data-testid="member-row"][data-email="${ownerUser.email}"]`);
    const viewerRow = adminPage.locator(`[data-testid="member-row"][data-email="${viewerUser.email}"]`);
    await viewerRow.getByRole('combobox').waitFor();
    expect(await ownerRow.getByRole('combobox').count()).toBe(0);
    expect(await ownerRow.getByRole('button').count()).toBe(0);
    await viewerRow.getByRole('combobox').click();
    await adminPage.getByRole('option').first().waitFor();
    const offered = await adminPage.getByRole('option').allInnerTexts();
    expect(offered.map((text) => text.trim())).toEqual(['Viewer', 'Editor', 'Admin']);
    await adminPage.keyboard.press('Escape');
    // While the listbox is open Radix hides the rest of the page from the accessibility tree.
    await expect.poll(() => adminPage.getByRole('listbox').count()).toBe(0);
    await adminPage.getByRole('button', { name: 'Invite member' }).waitFor();

    for (const context of [owner, viewer, admin]) await context.close();
  });
});

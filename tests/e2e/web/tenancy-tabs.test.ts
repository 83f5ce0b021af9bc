import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  addMemberWithApi,
  apiCall,
  createWorkspaceWithApi,
  launchBrowser,
  newContext,
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

/** Records the x-tenant-id of every /api call a tab makes. */
function tenantHeadersOf(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on('request', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/api/')) return;
    const tenant = request.headers()['x-tenant-id'];
    if (tenant) seen.add(tenant);
  });
  return seen;
}

describe('web: the workspace is per tab', () => {
  it('works in two workspaces at once from two tabs of the same browser', async () => {
    const context = await newContext(browser, webUrl);
    await signUpWithApi(context, webUrl, 'twotabs');
    const one = await createWorkspaceWithApi(context, webUrl, 'Tab One');
    const two = await createWorkspaceWithApi(context, webUrl, 'Tab Two');
    const colleague = await newContext(browser, webUrl);
    const colleagueUser = await signUpWithApi(colleague, webUrl, 'colleague');
    await addMemberWithApi(context, colleague, webUrl, one, colleagueUser, 'editor');

    const tabOne = await context.newPage();
    const tabTwo = await context.newPage();
    const headersOne = tenantHeadersOf(tabOne);
    const headersTwo = tenantHeadersOf(tabTwo);
    await tabOne.goto(`/app/${one}/members`);
    await tabTwo.goto(`/app/${two}/members`);

    await expect.poll(() => tabOne.getByTestId('member-row').count()).toBe(2);
    await expect.poll(() => tabTwo.getByTestId('member-row').count()).toBe(1);
    expect(await tabOne.getByTestId('workspace-switcher').innerText()).toContain('Tab One');
    expect(await tabTwo.getByTestId('workspace-switcher').innerText()).toContain('Tab Two');

    // Invite from tab one while tab two is open: it lands in workspace one only.
    // (A hidden tab's timers are throttled, so bring the tab in use to the front, like a user.)
    const email = uniqueEmail('tabinvite');
    await tabOne.bringToFront();
    await tabOne.getByRole('button', { name: 'Invite member' }).click();
    await tabOne.getByRole('dialog').getByLabel('Email').fill(email);
    await tabOne.getByRole('dialog').getByRole('button', { name: 'Create invitation' }).click();
    await tabOne.getByTestId('invite-link').waitFor();
    await tabOne.getByRole('button', { name: 'Done' }).click();

    await tabTwo.bringToFront();
    await tabTwo.reload();
    await tabTwo.getByText('No pending invitations').waitFor();
    expect(await tabTwo.getByTestId('workspace-switcher').innerText()).toContain('Tab Two');
    await tabOne.bringToFront();
    await tabOne.locator(`[data-testid="invitation-row"][data-email="${email}"]`).waitFor();

    const inOne = await apiCall<{ invitations: { email: string }[] }>(
      context,
      webUrl,
      'GET',
      '/invitations',
      undefined,
      one,
    );
    const inTwo = await apiCall<{ invitations: { email: string }[] }>(
      context,
      webUrl,
      'GET',
      '/invitations',
      undefined,
      two,
    );
    expect(inOne.body.invitations.map((invitation) => invitation.email)).toContain(email);
    expect(inTwo.body.invitations).toEqual([]);

    // Every tenant-scoped call of a tab carried that tab's workspace, never the other's.
    expect([...headersOne]).toEqual([one]);
    expect([...headersTwo]).toEqual([two]);
    expect(context.pageErrors).toEqual([]);
    await context.close();
    await colleague.close();
  });
});

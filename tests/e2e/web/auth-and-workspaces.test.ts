import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  launchBrowser,
  newContext,
  PASSWORD,
  screenshot,
  sidebar,
  signUpWithApi,
  uniqueEmail,
  WORKSPACE_URL,
  workspaceIdOf,
} from './browser.js';

const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('web: sign up, workspaces, log out', () => {
  it('shows the landing page with what ElasticDash offers', async () => {
    const context = await newContext(browser, webUrl);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/without SQL/i);
    expect(text).toMatch(/PostgreSQL in one click/i);
    expect(text).toMatch(/Dashboards from your CSVs/i);
    expect(text).toMatch(/About ElasticDash/);
    expect(text).toMatch(/Contact us/);
    expect(await page.getByRole('link', { name: 'Sign up' }).getAttribute('href')).toBe('/signup');
    await screenshot(page, 'landing');
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it('signs up through the form (with field errors first) and creates the first workspace', async () => {
    const context = await newContext(browser, webUrl);
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();

    // The contract's zod schema runs in the browser: messages appear next to the fields.
    await page.getByLabel('Name').fill('Grace Hopper');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter a valid email address').waitFor();
    await page.getByText('Password must be at least 10 characters').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'signup');

    const email = uniqueEmail('grace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/app');
    await page.getByRole('heading', { name: 'Welcome, Grace Hopper' }).waitFor();

    await page.getByLabel('Workspace name').fill('x');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByText('Workspace name must be at least 2 characters').waitFor();
    await page.getByLabel('Workspace name').fill('Hopper Labs');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(WORKSPACE_URL);
    await page.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();
    expect(await page.getByTestId('workspace-switcher').innerText()).toContain('Hopper Labs');
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it('creates a second workspace from the switcher and switches between them', async () => {
    const context = await newContext(browser, webUrl);
    await signUpWithApi(context, webUrl, 'switcher');
    const page = await context.newPage();
    await page.goto('/app');
    await page.getByLabel('Workspace name').fill('Alpha');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(WORKSPACE_URL);
    const alphaId = workspaceIdOf(page.url());

    // Go to Members, then create "Beta" from the switcher's dialog.
    await sidebar(page).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`**/app/${alphaId}/members`);
    await page.getByTestId('workspace-switcher').click();
    await page.getByRole('menuitem', { name: 'Create workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a workspace' });
    await dialog.getByLabel('Workspace name').fill('Beta');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.url()).not.toContain(alphaId);
    const betaId = workspaceIdOf(page.url());
    await expect.poll(() => page.getByTestId('workspace-switcher').innerText()).toContain('Beta');

    // Switch back: the section (members) is kept, only the workspace in the URL changes.
    await sidebar(page).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`**/app/${betaId}/members`);
    await page.getByTestId('workspace-switcher').click();
    await page.getByRole('menuitem', { name: /Alpha/ }).click();
    await page.waitForURL(`**/app/${alphaId}/members`);
    await expect.poll(() => page.getByTestId('workspace-switcher').innerText()).toContain('Alpha');
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();

    // /app reopens the workspace used last in this browser.
    await page.goto('/app');
    await page.waitForURL(`**/app/${alphaId}`);

    // A product page is an honest placeholder.
    await sidebar(page).getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('heading', { name: 'Plans', level: 1 }).waitFor();
    await page.getByText('No plans yet').waitFor();
    await screenshot(page, 'placeholder-plans');
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it('logs out, keeps /app behind the login, and logs back in to the requested page', async () => {
    const context = await newContext(browser, webUrl);
    const user = await signUpWithApi(context, webUrl, 'logout');
    const page = await context.newPage();
    await page.goto('/app');
    await page.getByLabel('Workspace name').fill('Logout Test');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(WORKSPACE_URL);
    const membersPath = `/app/${workspaceIdOf(page.url())}/members`;

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    expect((await context.cookies()).some((cookie) => cookie.name === 'ed_session')).toBe(false);

    await page.goto(membersPath);
    await page.waitForURL(`**/login?next=${encodeURIComponent(membersPath)}`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill('wrong-password-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .first()
      .waitFor();
    await screenshot(page, 'login');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`**${membersPath}`);
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it('shows server errors: field issues next to the field, 429 with its Retry-After', async () => {
    const context = await newContext(browser, webUrl);
    const existing = await signUpWithApi(context, webUrl, 'taken');
    await context.clearCookies();
    const page = await context.newPage();

    // Passes the browser's checks; the server's issue lands under the Email field.
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Second Person');
    await page.getByLabel('Email').fill(existing.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('An account with this email already exists').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    // Rate limited: the gateway's Retry-After becomes "try again in N s".
    await page.route('**/api/auth/login', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '42' },
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests', requestId: 'test' } }),
      }),
    );
    await page.goto('/login');
    await page.getByLabel('Email').fill(existing.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Too many requests. Try again in 42 s.').waitFor();
    await context.close();
  });

  it('is usable with the keyboard: skip link, menus, and dialogs that trap focus', async () => {
    const context = await newContext(browser, webUrl);
    await signUpWithApi(context, webUrl, 'keyboard');
    const page = await context.newPage();
    await page.goto('/app');
    await page.getByLabel('Workspace name').fill('Keys');
    await page.keyboard.press('Enter');
    await page.waitForURL(WORKSPACE_URL);
    const tenantId = workspaceIdOf(page.url());
    await page.goto(`/app/${tenantId}/members`);
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');

    const invite = page.getByRole('button', { name: 'Invite member' });
    await invite.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Invite a member' });
    await dialog.waitFor();
    for (let step = 0; step < 8; step += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => invite.evaluate((element) => element === document.activeElement)).toBe(true);

    // The workspace menu opens and navigates with arrows.
    await page.getByTestId('workspace-switcher').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    await context.close();
  });

  it('fits a 375 px wide screen: the sidebar becomes a menu', async () => {
    const context = await newContext(browser, webUrl, { viewport: { width: 375, height: 740 } });
    await signUpWithApi(context, webUrl, 'mobile');
    const page = await context.newPage();
    await page.goto('/app');
    await page.getByLabel('Workspace name').fill('Small Screen');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(WORKSPACE_URL);
    expect(await page.getByRole('navigation', { name: 'Workspace' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open menu' }).click();
    const menu = page.getByRole('dialog', { name: 'Menu' });
    await menu.getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
    expect(await menu.isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});

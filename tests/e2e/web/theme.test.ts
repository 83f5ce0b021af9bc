import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWorkspaceWithApi, launchBrowser, newContext, PASSWORD, screenshot, signUpWithApi } from './browser.js';

const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface HtmlState {
  theme: string | null;
  scheme: string | null;
  background: string;
}

async function htmlState(page: Page): Promise<HtmlState> {
  return page.evaluate(() => ({
    theme: document.documentElement.getAttribute('data-theme'),
    scheme: document.documentElement.getAttribute('data-scheme'),
    background: getComputedStyle(document.documentElement).backgroundColor,
  }));
}

/**
 * Loads `path` with every Next.js JavaScript chunk blocked: React never runs, so whatever
 * <html> carries comes from the server HTML plus the inline <head> script alone.
 */
async function stateWithoutReact(context: BrowserContext, path: string): Promise<HtmlState> {
  const page = await context.newPage();
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  const state = await htmlState(page);
  await page.close();
  return state;
}

/** Records <html>'s attributes the moment <body> is parsed, long before hydration. */
const RECORD_AT_BODY = `
  new MutationObserver(function (records, observer) {
    if (!document.body) return;
    var html = document.documentElement;
    window.__themeAtBody = { theme: html.getAttribute('data-theme'), scheme: html.getAttribute('data-scheme') };
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
`;

const DARK = 'rgb(11, 16, 32)'; // --bg in [data-theme=dark]
const LIGHT = 'rgb(248, 250, 252)'; // --bg in [data-theme=light]

describe('web: theme', () => {
  it('applies the saved theme before first paint, and the account wins on a new device', async () => {
    const context = await newContext(browser, webUrl, { colorScheme: 'light' });
    const user = await signUpWithApi(context, webUrl, 'theme');
    const tenantId = await createWorkspaceWithApi(context, webUrl, 'Theme Co');
    const page = await context.newPage();
    await page.goto(`/app/${tenantId}/settings`);
    await page.getByRole('heading', { name: 'Appearance' }).waitFor();
    expect((await htmlState(page)).theme).toBe('light');

    const saved = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/me/preferences') && response.request().method() === 'PUT' && response.ok(),
    );
    await page.getByText('Emerald', { exact: true }).click();
    await saved;
    const savedDark = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/me/preferences') && response.request().method() === 'PUT' && response.ok(),
    );
    await page.getByText('Dark', { exact: true }).click();
    expect((await savedDark).request().postDataJSON()).toEqual({ theme: 'dark', scheme: 'emerald' });
    expect(await htmlState(page)).toEqual({ theme: 'dark', scheme: 'emerald', background: DARK });
    await screenshot(page, 'settings');

    // Reload: correct at the first parsed <body>, and with React blocked entirely (no flash).
    await page.addInitScript(RECORD_AT_BODY);
    await page.reload();
    await page.getByRole('heading', { name: 'Appearance' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __themeAtBody: unknown }).__themeAtBody)).toEqual({
      theme: 'dark',
      scheme: 'emerald',
    });
    expect(await htmlState(page)).toEqual({ theme: 'dark', scheme: 'emerald', background: DARK });
    expect(await stateWithoutReact(context, `/app/${tenantId}/settings`)).toEqual({
      theme: 'dark',
      scheme: 'emerald',
      background: DARK,
    });
    expect(await stateWithoutReact(context, '/')).toMatchObject({ theme: 'dark', scheme: 'emerald' });

    // A new browser (empty localStorage) logs in: the account's theme replaces the default.
    const other = await newContext(browser, webUrl, { colorScheme: 'light' });
    const otherPage = await other.newPage();
    await otherPage.goto('/login');
    expect((await htmlState(otherPage)).theme).toBe('light');
    await otherPage.getByLabel('Email').fill(user.email);
    await otherPage.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await otherPage.getByRole('button', { name: 'Log in' }).click();
    await otherPage.waitForURL(`**/app/${tenantId}`);
    expect(await htmlState(otherPage)).toEqual({ theme: 'dark', scheme: 'emerald', background: DARK });
    expect(JSON.parse((await otherPage.evaluate(() => localStorage.getItem('ed:preferences'))) ?? '{}')).toEqual({
      theme: 'dark',
      scheme: 'emerald',
    });
    expect(await stateWithoutReact(other, '/login')).toMatchObject({ theme: 'dark', scheme: 'emerald' });

    expect(context.pageErrors).toEqual([]);
    expect(other.pageErrors).toEqual([]);
    await context.close();
    await other.close();
  });

  it('"system" follows the device, before hydration too', async () => {
    const context = await newContext(browser, webUrl, { colorScheme: 'dark' });
    const tenantId = await (async () => {
      await signUpWithApi(context, webUrl, 'system');
      return createWorkspaceWithApi(context, webUrl, 'System Co');
    })();
    const page = await context.newPage();
    await page.goto(`/app/${tenantId}`);
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();

    await page.getByTestId('theme-menu').click();
    await page.getByRole('menuitemradio', { name: 'Light' }).click();
    await expect.poll(async () => (await htmlState(page)).theme).toBe('light');
    await page.getByTestId('theme-menu').click();
    await page.getByRole('menuitemradio', { name: 'System' }).click();
    await expect.poll(async () => (await htmlState(page)).theme).toBe('dark');
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('ed:preferences')))
      .toBe(JSON.stringify({ theme: 'system', scheme: 'indigo' }));

    // The OS switches to light while the page is open, then on the next load.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(async () => (await htmlState(page)).theme).toBe('light');
    const lightDevice = await newContext(browser, webUrl, {
      colorScheme: 'light',
      storageState: await context.storageState(),
    });
    expect(await stateWithoutReact(lightDevice, `/app/${tenantId}`)).toEqual({
      theme: 'light',
      scheme: 'indigo',
      background: LIGHT,
    });
    expect(await stateWithoutReact(context, `/app/${tenantId}`)).toMatchObject({ theme: 'dark', background: DARK });
    await lightDevice.close();
    await context.close();
  });
});

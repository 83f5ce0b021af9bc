/*
 * The deployment UI as a test reads it (editor status dot, deployment panel, colours recorded by a
 * MutationObserver): shared by the local-target e2e test and the test-host cloud test.
 */
import pg from 'pg';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export function panel(page: Page): Locator {
  return page.getByTestId('deployment-panel');
}

export function editorStatus(page: Page): Locator {
  return page.getByTestId('deployment-status');
}

export async function tone(locator: Locator): Promise<string | null> {
  return (await locator.count()) === 0 ? null : locator.first().getAttribute('data-status');
}

/**
 * Records every colour the status element(s) matching `selector` show, from now on, in the page
 * (a MutationObserver: nothing is missed between two polls, however fast the deploy is).
 */
export async function recordTones(page: Page, selector: string): Promise<void> {
  await page.evaluate((target) => {
    const state = window as unknown as { __tones?: string[]; __toneObserver?: MutationObserver };
    state.__toneObserver?.disconnect();
    const tones: string[] = [];
    state.__tones = tones;
    const read = () => {
      const value = document.querySelector(target)?.getAttribute('data-status');
      if (value && tones.at(-1) !== value) tones.push(value);
    };
    read();
    state.__toneObserver = new MutationObserver(read);
    state.__toneObserver.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
  }, selector);
}

export async function recordedTones(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __tones?: string[] }).__tones ?? [])]);
}

/** Orange was shown, then green is the latest colour. */
export async function waitOrangeThenGreen(page: Page, timeoutMs = 60_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const tones = await recordedTones(page);
        const orange = tones.indexOf('deploying');
        return orange >= 0 && tones.at(-1) === 'running' ? 'orange then green' : tones.join(' → ');
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .toBe('orange then green');
}

/** Closes the deployment panel with its × (Escape would close a visible toast first). */
export async function closePanel(page: Page): Promise<void> {
  await panel(page).getByRole('button', { name: 'Close', exact: true }).click();
  await panel(page).waitFor({ state: 'detached' });
}

export async function revealConnectionString(page: Page): Promise<string> {
  await panel(page).getByTestId('deployment-reveal').click();
  const field = panel(page).getByTestId('deployment-connection-string');
  await field.waitFor();
  const value = await field.inputValue();
  expect(value).toMatch(/^postgres(ql)?:\/\//);
  return value;
}

export async function withDatabase<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TDashboard } from '@elasticdash/contracts/datasets/dashboard';
import {
  addMemberWithApi,
  apiCall,
  createWorkspaceWithApi,
  launchBrowser,
  newContext,
  screenshot,
  signUpWithApi,
} from './browser.js';

/**
 * Datasets and dashboards through the real UI: a CSV made here is uploaded from the browser
 * straight to (local) S3, imported by the worker while the list follows it live over SSE (no
 * reload), browsed (rows, column statistics), charted on a new dashboard with two panels,
 * saved, and still there after a reload. A viewer sees it all without any way to change it.
 */
const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CATEGORIES = ['North', 'South', 'East', 'West'];
const ROWS = 2000;

/** date,category,amount: 60 days from 2026-01-01, four categories, amounts with cents. */
function salesCsv(): string {
  const lines = ['date,category,amount'];
  const start = Date.UTC(2026, 0, 1);
  for (let index = 0; index < ROWS; index++) {
    const day = new Date(start + (index % 60) * 86_400_000).toISOString().slice(0, 10);
    const category = CATEGORIES[index % CATEGORIES.length];
    const amount = (((index * 37) % 1000) / 10 + 1).toFixed(2);
    lines.push(`${day},${category},${amount}`);
  }
  return `${lines.join('\n')}\n`;
}

function datasetRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="dataset-row"][data-dataset-name="${name}"]`);
}

function panelCard(page: Page, title: string): Locator {
  return page.locator(`[data-testid="dashboard-panel"][data-panel-title="${title}"]`);
}

async function saveStatus(page: Page): Promise<string> {
  return (await page.getByTestId('dashboard-save-status').innerText()).trim();
}

async function addPanel(
  page: Page,
  options: {
    title: string;
    type: 'line' | 'bar';
    xKind: 'time' | 'category';
    xColumn: string;
    grain?: 'day';
    agg: 'count' | 'sum';
    yColumn?: string;
  },
) {
  await page.getByTestId('add-panel').click();
  const dialog = page.getByTestId('panel-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('panel-title-input').fill(options.title);
  await dialog.getByTestId('panel-type-select').selectOption(options.type);
  await dialog.getByTestId('panel-x-kind').selectOption(options.xKind);
  await dialog.getByTestId('panel-x-column').selectOption({ label: options.xColumn });
  if (options.grain) await dialog.getByTestId('panel-x-grain').selectOption(options.grain);
  await dialog.getByTestId('panel-agg').selectOption(options.agg);
  if (options.yColumn) await dialog.getByTestId('panel-y-column').selectOption({ label: options.yColumn });
  await dialog.getByTestId('panel-submit').click();
  await dialog.waitFor({ state: 'detached' });
  await panelCard(page, options.title).waitFor();
}

/** The panel drew its chart: ECharts' canvas is there and has a size. */
async function canvasOf(page: Page, title: string): Promise<{ width: number; height: number }> {
  const canvas = panelCard(page, title).locator('canvas').first();
  await canvas.waitFor({ timeout: 30_000 });
  const box = await canvas.boundingBox();
  return { width: box?.width ?? 0, height: box?.height ?? 0 };
}

describe('web: datasets and dashboards', () => {
  it('uploads a CSV, follows the import live to Ready, browses it, and builds a dashboard that survives a reload', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'analyst');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Datasets Co');
    const viewer = await newContext(browser, webUrl);
    const viewerUser = await signUpWithApi(viewer, webUrl, 'reader');
    await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');

    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/datasets`);
    await page.getByRole('heading', { name: 'No datasets yet' }).waitFor();
    // Set on this document only: still there at the end means the page was never reloaded.
    await page.evaluate(() => {
      (window as unknown as { __datasetsNoReload: boolean }).__datasetsNoReload = true;
    });

    // New dataset: name + file → create, presign, PUT to S3, complete, ingest.
    await page.getByTestId('new-dataset').click();
    const dialog = page.getByTestId('upload-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('dataset-name-input').fill('Sales 2026');
    await dialog.getByTestId('dataset-file-input').setInputFiles({
      name: 'sales-2026.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(salesCsv()),
    });
    expect(await dialog.getByTestId('dataset-file-name').innerText()).toBe('sales-2026.csv');
    await dialog.getByTestId('upload-submit').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });

    // The row follows the import over SSE until Ready, without a reload.
    const row = datasetRow(page, 'Sales 2026');
    await row.waitFor();
    const status = row.getByTestId('dataset-status');
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const value = (await status.getAttribute('data-status')) ?? '';
          seen.add(value);
          return value;
        },
        { timeout: 90_000, interval: 100 },
      )
      .toBe('ready');
    expect(seen.has('failed')).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { __datasetsNoReload?: boolean }).__datasetsNoReload)).toBe(
      true,
    );
    await expect.poll(async () => (await row.getByTestId('dataset-rows').innerText()).trim()).toBe('2,000');
    await screenshot(page, 'datasets-list');

    // The dataset page: rows (paged, sortable) and one statistics card per column.
    await row.getByTestId('dataset-link').click();
    await page.waitForURL(/\/datasets\/[0-9a-f-]{36}$/);
    const datasetId = page.url().split('/').at(-1) ?? '';
    await page.getByTestId('dataset-view').waitFor();
    await page.getByTestId('dataset-data-row').first().waitFor();
    expect(await page.getByTestId('dataset-data-row').count()).toBe(50);
    await expect.poll(async () => (await page.getByTestId('rows-range').innerText()).trim()).toBe('1–50 of 2,000 rows');
    await page.getByTestId('column-stats').waitFor();
    expect(await page.getByTestId('column-card').count()).toBe(3);
    const types = await page.getByTestId('column-type').allInnerTexts();
    expect(types.map((type) => type.trim())).toEqual(['Date', 'Text', 'Number']);
    const categoryCard = page.locator('[data-testid="column-card"]').nth(1);
    expect((await categoryCard.getByTestId('column-distinct').innerText()).trim()).toBe('≈ 4');
    // Sorting by amount, descending: the first row holds the largest amount (100.90).
    const amountSort = page.locator('[data-testid="rows-sort"]').nth(2);
    await amountSort.click();
    await amountSort.click();
    await expect
      .poll(async () => Number(await page.getByTestId('dataset-data-row').first().locator('td').nth(2).innerText()))
      .toBe(100.9);
    await screenshot(page, 'datasets-dataset');

    // Create a dashboard over it and add two panels.
    await page.getByTestId('dataset-create-dashboard').click();
    await page.getByTestId('dashboard-name-input').fill('Sales overview');
    await page.getByTestId('create-dashboard-submit').click();
    await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
    const dashboardId = page.url().split('/').at(-1) ?? '';
    await page.getByTestId('dashboard-editor').waitFor();
    await page.getByRole('heading', { name: 'No panels yet' }).waitFor();
    expect(await saveStatus(page)).toBe('Saved · revision 1');

    await addPanel(page, {
      title: 'Orders per day',
      type: 'line',
      xKind: 'time',
      xColumn: 'date',
      grain: 'day',
      agg: 'count',
    });
    await addPanel(page, {
      title: 'Amount by category',
      type: 'bar',
      xKind: 'category',
      xColumn: 'category',
      agg: 'sum',
      yColumn: 'amount',
    });
    expect(await saveStatus(page)).toBe('Unsaved changes · revision 1');
    expect((await canvasOf(page, 'Orders per day')).width).toBeGreaterThan(100);
    expect((await canvasOf(page, 'Amount by category')).width).toBeGreaterThan(100);

    await page.getByTestId('dashboard-save').click();
    await expect.poll(() => saveStatus(page)).toBe('Saved · revision 2');

    const stored = await apiCall<{ dashboard: TDashboard }>(
      owner,
      webUrl,
      'GET',
      `/dashboards/${dashboardId}`,
      undefined,
      tenantId,
    );
    expect(stored.status).toBe(200);
    expect(stored.body.dashboard.datasetId).toBe(datasetId);
    expect(stored.body.dashboard.panels.map((panel) => [panel.title, panel.type])).toEqual([
      ['Orders per day', 'line'],
      ['Amount by category', 'bar'],
    ]);

    // After a reload both panels, their titles and their charts are back.
    await page.reload();
    await page.getByTestId('dashboard-editor').waitFor();
    // The grid renders once the dataset (columns, version) and the container width are known.
    await panelCard(page, 'Orders per day').waitFor();
    await expect.poll(() => page.getByTestId('dashboard-panel').count()).toBe(2);
    expect(await panelCard(page, 'Orders per day').getByTestId('panel-title').innerText()).toBe('Orders per day');
    expect(await panelCard(page, 'Amount by category').getByTestId('panel-title').innerText()).toBe(
      'Amount by category',
    );
    expect((await canvasOf(page, 'Orders per day')).height).toBeGreaterThan(50);
    expect((await canvasOf(page, 'Amount by category')).height).toBeGreaterThan(50);
    expect(await saveStatus(page)).toBe('Saved · revision 2');
    await screenshot(page, 'datasets-dashboard');

    // A viewer sees the same, with no way to change anything.
    const viewerPage = await viewer.newPage();
    await viewerPage.goto(`/app/${tenantId}/datasets`);
    await datasetRow(viewerPage, 'Sales 2026').waitFor();
    expect(await viewerPage.getByTestId('new-dataset').count()).toBe(0);
    expect(await viewerPage.getByTestId('dataset-actions').count()).toBe(0);
    await viewerPage.goto(`/app/${tenantId}/datasets/${datasetId}`);
    await viewerPage.getByTestId('dataset-data-row').first().waitFor();
    expect(await viewerPage.getByTestId('dataset-create-dashboard').count()).toBe(0);
    expect(await viewerPage.getByTestId('dataset-reupload').count()).toBe(0);
    await viewerPage.goto(`/app/${tenantId}/dashboards/${dashboardId}`);
    await viewerPage.getByTestId('dashboard-editor').waitFor();
    expect((await canvasOf(viewerPage, 'Amount by category')).width).toBeGreaterThan(100);
    expect(await viewerPage.getByTestId('add-panel').count()).toBe(0);
    expect(await viewerPage.getByTestId('dashboard-save').count()).toBe(0);
    expect(await viewerPage.getByTestId('panel-actions').count()).toBe(0);
    expect(await viewerPage.getByLabel('Dashboard name').getAttribute('readonly')).not.toBeNull();

    expect(owner.pageErrors).toEqual([]);
    expect(viewer.pageErrors).toEqual([]);
    await owner.close();
    await viewer.close();
  }, 240_000);
});

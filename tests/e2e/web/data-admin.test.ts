import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
 * The admin sections of a connection page: access rules (hide a column → a viewer's catalog
 * no longer has it) and the audit log (an edit made in the grid is listed).
 */
const webUrl = inject('webUrl');
const ADMIN_URL = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `ed_e2e_admin_${randomBytes(4).toString('hex')}`;
const DB_HOST = new URL(ADMIN_URL).hostname;
const DB_PORT = Number(new URL(ADMIN_URL).port || '5432');
const DB_USER = decodeURIComponent(new URL(ADMIN_URL).username) || 'postgres';

let browser: Browser;
let shop: pg.Client;
let owner: BrowserContext & { pageErrors: string[] };
let viewer: BrowserContext & { pageErrors: string[] };
let tenantId = '';
let connectionId = '';
let page: Page;

interface TCatalog {
  tables: { schema: string; name: string; columns: { name: string }[] }[];
}

async function viewerColumns(table: string): Promise<string[]> {
  const response = await apiCall<TCatalog>(
    viewer,
    webUrl,
    'GET',
    `/connections/${connectionId}/catalog`,
    undefined,
    tenantId,
  );
  expect(response.status).toBe(200);
  const found = response.body.tables.find((entry) => entry.schema === 'public' && entry.name === table);
  return found?.columns.map((column) => column.name) ?? [];
}

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${DB_NAME}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  shop = new pg.Client({ connectionString: url.toString() });
  await shop.connect();
  await shop.query(`
    create table customers (id serial primary key, name text not null, email text);
    insert into customers (name, email)
      select 'Customer ' || lpad(i::text, 2, '0'), 'c' || i || '@shop.test' from generate_series(1, 5) i;
    analyze;
  `);

  owner = await newContext(browser, webUrl);
  await signUpWithApi(owner, webUrl, 'rulesowner');
  tenantId = await createWorkspaceWithApi(owner, webUrl, 'Rules Data');
  viewer = await newContext(browser, webUrl);
  const viewerUser = await signUpWithApi(viewer, webUrl, 'rulesviewer');
  await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');
  const created = await apiCall<{ connection: { id: string } }>(
    owner,
    webUrl,
    'POST',
    '/connections',
    {
      name: 'Shop',
      settings: { host: DB_HOST, port: DB_PORT, database: DB_NAME, user: DB_USER, sslMode: 'disable', caCert: null },
      // Trust authentication on the test server: any password is accepted.
      password: 'not-checked-here',
    },
    tenantId,
  );
  if (created.status !== 201) throw new Error(`create connection failed: ${created.status}`);
  connectionId = created.body.connection.id;
  page = await owner.newPage();
}, 120_000);

afterAll(async () => {
  await owner?.close();
  await viewer?.close();
  await browser?.close();
  await shop?.end().catch(() => {});
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists "${DB_NAME}" with (force)`);
  await admin.end();
});

describe('web: Data admin (rules and audit)', () => {
  it('hides a column through the rules UI; a viewer no longer gets it', async () => {
    expect(await viewerColumns('customers')).toContain('email');

    await page.goto(`/app/${tenantId}/data/${connectionId}`);
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    const editor = page.getByTestId('rules-editor');
    await editor.getByRole('heading', { name: 'Access rules' }).waitFor();
    const customers = editor.locator('[data-testid="rules-table"][data-rule-table="public.customers"]');
    await customers.getByRole('button', { name: /public\.customers/ }).click();
    await customers.getByRole('checkbox', { name: 'Hide column email of public.customers' }).check();
    await editor.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Access rules saved', { exact: true }).waitFor();
    await screenshot(page, 'data-rules');

    const saved = await apiCall<{ rules: unknown[] }>(
      owner,
      webUrl,
      'GET',
      `/connections/${connectionId}/rules`,
      undefined,
      tenantId,
    );
    expect(saved.body.rules).toEqual([
      {
        schema: 'public',
        table: 'customers',
        hidden: false,
        readOnly: false,
        columns: [{ name: 'email', hidden: true, readOnly: false }],
      },
    ]);
    const columns = await viewerColumns('customers');
    expect(columns).toContain('name');
    expect(columns).not.toContain('email');

    // The viewer's page has no admin sections.
    const viewerPage = await viewer.newPage();
    await viewerPage.goto(`/app/${tenantId}/data/${connectionId}`);
    await viewerPage.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await viewerPage.getByTestId('catalog-table').first().waitFor();
    expect(await viewerPage.getByTestId('rules-editor').count()).toBe(0);
    expect(await viewerPage.getByTestId('audit-log').count()).toBe(0);
    await viewerPage.close();
    expect(owner.pageErrors).toEqual([]);
  }, 90_000);

  it('lists an edit made in the grid in the audit log', async () => {
    await page.goto(`/app/${tenantId}/data/${connectionId}/public/customers`);
    await page.getByTestId('data-grid').waitFor();
    const nameCell = page.locator('[role="gridcell"][data-row="0"][data-column="name"]');
    await nameCell.dblclick();
    const input = page.getByRole('textbox', { name: 'Edit name, row 1' });
    await input.fill('Audited customer');
    await input.press('Enter');
    await expect
      .poll(
        async () =>
          (await shop.query<{ n: number }>(`select count(*)::int as n from customers where name = 'Audited customer'`))
            .rows[0]?.n,
      )
      .toBe(1);

    await page.goto(`/app/${tenantId}/data/${connectionId}`);
    const log = page.getByTestId('audit-log');
    const entry = log.locator('[data-testid="audit-entry"][data-action="update"][data-audit-table="public.customers"]');
    await entry.first().waitFor();
    const text = await entry.first().innerText();
    expect(text).toContain('name');
    expect(text).toContain('id=');
    await screenshot(page, 'data-audit');
    expect(owner.pageErrors).toEqual([]);
  }, 90_000);
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  addMemberWithApi,
  createWorkspaceWithApi,
  launchBrowser,
  newContext,
  screenshot,
  signUpWithApi,
  type TestUser,
} from './browser.js';

/**
 * The Data product through the real UI: a small customer database is created for the test
 * (customers ← orders, with an enum, numerics, json, timestamps), connected from the browser,
 * then browsed, filtered, sorted, edited (checked with plain SQL), undone, fought over from a
 * second browser, exported as CSV, extended and trimmed.
 */
const webUrl = inject('webUrl');
const ADMIN_URL = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `ed_e2e_shop_${randomBytes(4).toString('hex')}`;
const DB_HOST = new URL(ADMIN_URL).hostname;
const DB_PORT = new URL(ADMIN_URL).port || '5432';
const DB_USER = decodeURIComponent(new URL(ADMIN_URL).username) || 'postgres';

let browser: Browser;
let shop: pg.Client;
let owner: BrowserContext & { pageErrors: string[] };
let colleague: BrowserContext & { pageErrors: string[] };
let colleagueUser: TestUser;
let tenantId = '';
let page: Page;
let gridUrl = '';
let topId = 0;

const GOLD_WITH_1 = `tier = 'gold' and name ilike '%Customer 1%'`;

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await shop.query<T>(text, values)).rows;
}

async function nameOf(id: number): Promise<string> {
  const [row] = await sql<{ name: string }>('select name from customers where id = $1', [id]);
  return row?.name ?? '(missing)';
}

function cell(target: Page, row: number, column: string) {
  return target.locator(`[role="gridcell"][data-row="${row}"][data-column="${column}"]`);
}

function header(target: Page, column: string) {
  return target.locator(`[role="columnheader"][data-column="${column}"]`);
}

async function waitForRows(target: Page) {
  await target.getByTestId('data-grid').waitFor();
  await cell(target, 0, 'id').waitFor();
}

async function editCell(target: Page, row: number, column: string, text: string) {
  await cell(target, row, column).dblclick();
  const editor = target.getByRole('textbox', { name: `Edit ${column}, row ${row + 1}` });
  await editor.fill(text);
  await editor.press('Enter');
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
    create type tier as enum ('bronze', 'silver', 'gold');
    create table customers (
      id serial primary key,
      name text not null,
      email text unique,
      tier tier not null default 'bronze',
      active boolean not null default true,
      credit numeric(10,2),
      created_at timestamptz not null default now()
    );
    create table orders (
      id serial primary key,
      customer_id integer not null references customers(id) on delete cascade,
      amount numeric(10,2) not null,
      status text not null default 'new',
      ordered_on date not null default current_date,
      notes jsonb
    );
    insert into customers (name, email, tier, active, credit)
      select 'Customer ' || lpad(i::text, 3, '0'), 'c' || i || '@shop.test',
             (array['bronze','silver','gold'])[1 + i % 3]::tier, i % 5 <> 0, (i * 1.25)::numeric(10,2)
      from generate_series(1, 300) i;
    insert into orders (customer_id, amount, status, ordered_on, notes)
      select 1 + (i % 300), (i * 3.5)::numeric(10,2), (array['new','paid','shipped'])[1 + i % 3],
             date '2024-01-01' + (i % 200), jsonb_build_object('n', i)
      from generate_series(1, 600) i;
    create table "Price List" (id integer primary key, label text not null, price numeric(8,2));
    insert into "Price List" values (1, 'Basic', 9.90), (2, 'Pro', 29.00), (3, 'Team', 99.00);
    analyze;
  `);

  owner = await newContext(browser, webUrl);
  await signUpWithApi(owner, webUrl, 'dataowner');
  tenantId = await createWorkspaceWithApi(owner, webUrl, 'Shop Data');
  colleague = await newContext(browser, webUrl);
  colleagueUser = await signUpWithApi(colleague, webUrl, 'dataeditor');
  await addMemberWithApi(owner, colleague, webUrl, tenantId, colleagueUser, 'editor');
  page = await owner.newPage();
}, 120_000);

afterAll(async () => {
  await owner?.close();
  await colleague?.close();
  await browser?.close();
  await shop?.end().catch(() => {});
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists "${DB_NAME}" with (force)`);
  await admin.end();
});

describe('web: Data grid', () => {
  it('connects the database: test connection, save, see its tables', async () => {
    await page.goto(`/app/${tenantId}/data`);
    await page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No databases connected yet' }).waitFor();
    await screenshot(page, 'data-empty');

    await page.getByRole('button', { name: 'New connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New connection' });
    await dialog.getByLabel('Name').fill('Shop');
    await dialog.getByLabel('Host').fill(DB_HOST);
    await dialog.getByLabel('Port').fill(DB_PORT);
    await dialog.getByLabel('Database').fill(DB_NAME);
    await dialog.getByLabel('User').fill(DB_USER);
    // Trust authentication on the test server: any password is accepted.
    await dialog.getByLabel('Password', { exact: true }).fill('not-checked-here');

    // A wrong database first: the test explains what is wrong.
    await dialog.getByLabel('Database').fill(`${DB_NAME}_missing`);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Could not connect').waitFor();
    expect(await dialog.getByTestId('connection-test-result').innerText()).toMatch(/database/i);

    await dialog.getByLabel('Database').fill(DB_NAME);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Connection works').waitFor();
    expect(await dialog.getByTestId('connection-test-result').innerText()).toMatch(/PostgreSQL.*\d+ ms/);
    await screenshot(page, 'data-new-connection');

    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await page.waitForURL(/\/data\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    const tables = page.getByTestId('catalog-table');
    await expect.poll(() => tables.count()).toBe(3);
    expect(await page.locator('[data-table="public.customers"]').innerText()).toContain('≈ 300 rows');

    await page.getByRole('searchbox', { name: 'Search tables' }).fill('ord');
    await expect.poll(() => tables.count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Search tables' }).fill('');
    await expect.poll(() => tables.count()).toBe(3);
    await screenshot(page, 'data-tables');

    // The list shows it too.
    await page.getByRole('link', { name: 'Data' }).first().click();
    const row = page.locator('[data-testid="connection-row"][data-name="Shop"]');
    await row.waitFor();
    expect(await row.innerText()).toContain(`${DB_USER}@${DB_HOST}:${DB_PORT}/${DB_NAME}`);
    await screenshot(page, 'data-connections');
    await row.getByRole('link', { name: 'Shop' }).click();
    await page.locator('[data-table="public.customers"]').getByRole('link').click();
    await page.waitForURL(/\/public\/customers$/);
    await waitForRows(page);
    gridUrl = page.url();
    await expect.poll(() => page.getByTestId('row-count').innerText()).toBe('300 rows');
    expect(owner.pageErrors).toEqual([]);
  }, 120_000);

  it('filters and sorts without SQL, and the URL holds the view', async () => {
    await page.getByRole('button', { name: 'Filter' }).click();
    const builder = page.getByTestId('filter-builder');
    const first = builder.getByTestId('filter-condition').first();
    await first.getByRole('combobox', { name: 'Column' }).selectOption('tier');
    await first.getByRole('combobox', { name: 'Operator' }).selectOption('eq');
    await first.getByRole('combobox', { name: 'Value for tier' }).selectOption('gold');
    await builder.getByRole('button', { name: 'Add condition' }).click();
    const second = builder.getByTestId('filter-condition').nth(1);
    await second.getByRole('combobox', { name: 'Column' }).selectOption('name');
    await second.getByRole('combobox', { name: 'Operator' }).selectOption('contains');
    await second.getByRole('textbox', { name: 'Value for name' }).fill('Customer 1');
    await screenshot(page, 'data-filter');
    await builder.getByRole('button', { name: 'Apply filters' }).click();

    const [{ count }] = (await sql<{ count: string }>(`select count(*) from customers where ${GOLD_WITH_1}`)) as [
      { count: string },
    ];
    await expect.poll(() => page.getByTestId('row-count').innerText()).toBe(`${count} rows`);
    expect(page.url()).toContain('?v=');

    // Sort by credit: ascending, then descending (header clicks).
    await header(page, 'credit').getByText('credit', { exact: true }).click();
    await expect.poll(() => header(page, 'credit').getAttribute('aria-sort')).toBe('ascending');
    await header(page, 'credit').getByText('credit', { exact: true }).click();
    await expect.poll(() => header(page, 'credit').getAttribute('aria-sort')).toBe('descending');
    const expected = await sql<{ id: number }>(
      `select id from customers where ${GOLD_WITH_1} order by credit desc nulls first, id limit 3`,
    );
    await expect
      .poll(async () => [await cell(page, 0, 'id').innerText(), await cell(page, 1, 'id').innerText()])
      .toEqual([String(expected[0]?.id), String(expected[1]?.id)]);
    topId = expected[0]?.id ?? 0;

    // Reloading the link shows the same view.
    gridUrl = page.url();
    await page.reload();
    await waitForRows(page);
    await expect.poll(() => cell(page, 0, 'id').innerText()).toBe(String(topId));
    expect(await page.getByTestId('row-count').innerText()).toBe(`${count} rows`);
    await screenshot(page, 'data-grid');
  }, 90_000);

  it('edits a cell (saved in the database), undoes and redoes it', async () => {
    const original = await nameOf(topId);
    await editCell(page, 0, 'name', 'Customer 1 renamed');
    await expect.poll(() => nameOf(topId)).toBe('Customer 1 renamed');
    expect(await cell(page, 0, 'name').innerText()).toBe('Customer 1 renamed');

    // Ctrl+Z on the grid: the inverse update, with the same conflict check.
    await page.getByTestId('data-grid').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => nameOf(topId)).toBe(original);
    await expect.poll(() => cell(page, 0, 'name').innerText()).toBe(original);
    await page.getByRole('button', { name: /^Redo Edit name/ }).click();
    await expect.poll(() => nameOf(topId)).toBe('Customer 1 renamed');

    // Keyboard only: arrows to the credit cell, Enter, type, Enter.
    await page.getByTestId('data-grid').focus();
    await cell(page, 0, 'id').click();
    for (let step = 0; step < 5; step++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const credit = page.getByRole('textbox', { name: 'Edit credit, row 1' });
    await credit.fill('9999.9');
    await credit.press('Enter');
    await expect
      .poll(
        async () => (await sql<{ credit: string }>('select credit from customers where id = $1', [topId]))[0]?.credit,
      )
      .toBe('9999.90');
    // An invalid value never leaves the browser.
    await cell(page, 0, 'credit').dblclick();
    await credit.fill('twelve');
    await credit.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'is not a number' }).waitFor();
    await credit.press('Escape');
    expect(owner.pageErrors).toEqual([]);
  }, 90_000);

  it('resolves a conflict with another browser: keep mine, or use the current values', async () => {
    const other = await colleague.newPage();
    await other.goto(gridUrl);
    await waitForRows(other);
    await expect.poll(() => cell(other, 0, 'id').innerText()).toBe(String(topId));
    await editCell(other, 0, 'name', 'Customer 1 theirs');
    await expect.poll(() => nameOf(topId)).toBe('Customer 1 theirs');

    // The first browser still shows the old name and edits it: 409 → the dialog.
    await page.bringToFront();
    expect(await cell(page, 0, 'name').innerText()).toBe('Customer 1 renamed');
    await editCell(page, 0, 'name', 'Customer 1 mine');
    const dialog = page.getByRole('alertdialog', { name: 'This row was changed by someone else' });
    await dialog.waitFor();
    const conflictRow = dialog.locator('[data-testid="conflict-row"][data-column="name"]');
    expect(await conflictRow.getByTestId('conflict-mine').innerText()).toBe('Customer 1 mine');
    expect(await conflictRow.getByTestId('conflict-current').innerText()).toBe('Customer 1 theirs');
    expect(await nameOf(topId)).toBe('Customer 1 theirs');
    await screenshot(page, 'data-conflict');
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => nameOf(topId)).toBe('Customer 1 mine');
    await expect.poll(() => dialog.count()).toBe(0);

    // A change made with SQL meanwhile, and this time the user takes it.
    await sql(`update customers set email = 'sql@shop.test' where id = $1`, [topId]);
    await editCell(page, 0, 'email', 'ui@shop.test');
    await dialog.waitFor();
    expect(await dialog.locator('[data-column="email"]').getByTestId('conflict-current').innerText()).toBe(
      'sql@shop.test',
    );
    await dialog.getByRole('button', { name: 'Use current values' }).click();
    await expect.poll(() => cell(page, 0, 'email').innerText()).toBe('sql@shop.test');
    const [emailRow] = await sql<{ email: string }>('select email from customers where id = $1', [topId]);
    expect(emailRow?.email).toBe('sql@shop.test');

    // Undoing "mine" expects "mine": after the colleague changes it again, the undo conflicts too.
    // The colleague's grid is now the stale one: their edit conflicts, and they keep theirs.
    await other.bringToFront();
    await editCell(other, 0, 'name', 'Customer 1 again');
    const otherDialog = other.getByRole('alertdialog', { name: 'This row was changed by someone else' });
    await otherDialog.waitFor();
    expect(await otherDialog.getByTestId('conflict-current').first().innerText()).toBe('Customer 1 mine');
    await otherDialog.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => nameOf(topId)).toBe('Customer 1 again');
    await page.bringToFront();
    await page.getByRole('button', { name: /^Undo Edit name/ }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Use current values' }).click();
    await expect.poll(() => cell(page, 0, 'name').innerText()).toBe('Customer 1 again');
    expect(await nameOf(topId)).toBe('Customer 1 again');
    await other.close();
    expect(colleague.pageErrors).toEqual([]);
  }, 120_000);

  it('exports the current view as CSV, with every matching row', async () => {
    const rows = await sql<{ id: number; name: string; credit: string | null }>(
      `select id, name, credit from customers where ${GOLD_WITH_1} order by credit desc nulls first, id`,
    );
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export CSV/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('customers.csv');
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,name,email,tier,active,credit,created_at');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(rows.map((row) => row.id));
    expect(lines[1]).toMatch(new RegExp(`^${topId},Customer 1 again,sql@shop\\.test,gold,(true|false),9999\\.90,`));
    await page.getByText(`Exported ${rows.length} rows`, { exact: true }).waitFor();
  }, 60_000);

  it('adds a row (defaults respected) and deletes selected rows after confirmation', async () => {
    await page.getByRole('button', { name: 'Add row' }).click();
    const form = page.getByRole('dialog', { name: 'Add a row to customers' });
    await form.getByRole('textbox', { name: /^name/ }).fill('Newcomer');
    await form.getByRole('textbox', { name: /^email/ }).fill('new@shop.test');
    await screenshot(page, 'data-add-row');
    await form.getByRole('button', { name: 'Add row' }).click();
    await expect.poll(() => form.count()).toBe(0);
    const [created] = await sql<{ id: number; tier: string; active: boolean }>(
      `select id, tier, active from customers where email = 'new@shop.test'`,
    );
    expect(created).toMatchObject({ tier: 'bronze', active: true });
    await expect.poll(() => cell(page, 0, 'name').innerText()).toBe('Newcomer');

    // Select the new row and the next one (shift-click for the range), then delete both.
    const secondId = Number(await cell(page, 1, 'id').innerText());
    await page.getByRole('checkbox', { name: 'Select row 1', exact: true }).click();
    await page.getByRole('checkbox', { name: 'Select row 2', exact: true }).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Delete 2' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete 2 rows?' });
    await confirm.getByRole('button', { name: 'Delete rows' }).click();
    await page.getByText('Deleted 2 rows', { exact: true }).waitFor();
    const left = await sql('select id from customers where id = any($1)', [[created?.id, secondId]]);
    expect(left).toEqual([]);
    expect(owner.pageErrors).toEqual([]);
  }, 60_000);

  it('hides, moves, drags and resizes columns; the layout persists', async () => {
    const order = () =>
      page
        .locator('[role="columnheader"][data-column]')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-column')));
    expect(await order()).toEqual(['id', 'name', 'email', 'tier', 'active', 'credit', 'created_at']);

    await page.getByRole('button', { name: 'Column menu for email' }).click();
    await page.getByRole('menuitem', { name: 'Hide column' }).click();
    await expect.poll(order).toEqual(['id', 'name', 'tier', 'active', 'credit', 'created_at']);
    await page.getByRole('button', { name: 'Column menu for tier' }).click();
    await page.getByRole('menuitem', { name: 'Move left' }).click();
    await expect.poll(order).toEqual(['id', 'tier', 'name', 'active', 'credit', 'created_at']);
    await header(page, 'credit').dragTo(header(page, 'id'));
    await expect.poll(order).toEqual(['credit', 'id', 'tier', 'name', 'active', 'created_at']);

    const nameWidth = async () => (await header(page, 'name').boundingBox())?.width ?? 0;
    const before = await nameWidth();
    const handle = (await page.getByRole('separator', { name: 'Resize name' }).boundingBox()) ?? {
      x: 0,
      y: 0,
      width: 0,
      height: 0,
    };
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 120, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(nameWidth).toBeGreaterThan(before + 100);

    // Reload: the columns come back from the URL, the widths from this browser's storage.
    await page.reload();
    await waitForRows(page);
    expect(await order()).toEqual(['credit', 'id', 'tier', 'name', 'active', 'created_at']);
    expect(await nameWidth()).toBeGreaterThan(before + 100);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('menuitem', { name: 'Show all columns' }).click();
    await expect.poll(async () => (await order()).includes('email')).toBe(true);
    await page.keyboard.press('Escape');
  }, 60_000);

  it('gives a viewer no editors, and opens tables with any name', async () => {
    const viewer = await newContext(browser, webUrl);
    const viewerUser = await signUpWithApi(viewer, webUrl, 'dataviewer');
    await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');
    const view = await viewer.newPage();
    await view.goto(gridUrl);
    await waitForRows(view);
    await view.getByText('You are a viewer in this workspace').waitFor();
    expect(await view.getByRole('button', { name: 'Add row' }).count()).toBe(0);
    expect(await view.getByRole('checkbox', { name: 'Select row 1', exact: true }).isVisible()).toBe(false);
    await cell(view, 0, 'name').dblclick();
    await view.keyboard.press('Enter');
    expect(await view.getByTestId('cell-editor').count()).toBe(0);
    expect(await cell(view, 0, 'name').getAttribute('aria-readonly')).toBe('true');
    // The row form is read-only too.
    await view.getByRole('button', { name: 'Open row 1', exact: true }).click();
    const form = view.getByRole('dialog', { name: /^Row 1 of customers/ });
    await form.getByText('You can read this row but not change it.').waitFor();
    expect(await form.getByRole('button', { name: 'Save row' }).count()).toBe(0);
    await form.getByRole('button', { name: 'Close' }).first().click();

    // A table whose name needs quoting and URL encoding.
    await view.goto(gridUrl.replace(/\/public\/customers.*$/, ''));
    await view.locator('[data-table="public.Price List"]').getByRole('link').click();
    await view.waitForURL(/\/public\/Price%20List$/);
    await waitForRows(view);
    expect(await cell(view, 1, 'label').innerText()).toBe('Pro');
    await view.getByRole('heading', { name: 'Price List', level: 1 }).waitFor();
    expect(viewer.pageErrors).toEqual([]);
    await viewer.close();
  }, 60_000);

  it('shows foreign keys as labels, and stays usable at 375 px', async () => {
    await page.goto(gridUrl.replace(/\/public\/customers.*$/, '/public/orders'));
    await waitForRows(page);
    const [order] = await sql<{ customer_id: number; name: string }>(
      'select o.customer_id, c.name from orders o join customers c on c.id = o.customer_id order by o.id limit 1',
    );
    await expect.poll(() => cell(page, 0, 'customer_id').innerText()).toContain(order?.name ?? '?');
    expect(await cell(page, 0, 'customer_id').innerText()).toContain(`#${order?.customer_id}`);
    // Enough rows to scroll: the next page arrives by itself.
    await page.getByTestId('data-grid').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    const [orders] = await sql<{ count: string }>('select count(*) from orders');
    await expect.poll(() => page.getByTestId('row-count').innerText()).toBe(`${orders?.count} rows`);
    await expect
      .poll(async () => (await page.getByTestId('row-count').locator('..').innerText()).includes('400 loaded'))
      .toBe(true);

    await page.setViewportSize({ width: 375, height: 760 });
    await page.getByTestId('data-grid').evaluate((element) => element.scrollTo({ top: 0, left: 0 }));
    const grid = page.getByTestId('data-grid');
    const overflow = await grid.evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(overflow).toBe(true);
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    expect(pageOverflow).toBe(false);
    await screenshot(page, 'data-grid-mobile');
    expect(owner.pageErrors).toEqual([]);
  }, 60_000);
});

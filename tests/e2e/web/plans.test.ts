import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { EXAMPLE_CS_JSON, type TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { TPlan } from '@elasticdash/contracts/plans/plan';
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
 * Plans through the real UI: a PostgreSQL node dragged from the palette onto the React Flow
 * canvas, sized and configured in the properties panel, saved (Ctrl+S) and reloaded; invalid
 * values on the node, the field and the Deploy button; two people saving the same plan (409 →
 * conflict dialog); history with diff and restore; viewers; import; a 375 px phone.
 */
const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type Ctx = BrowserContext & { pageErrors: string[] };

function panel(page: Page): Locator {
  return page.getByTestId('properties-panel');
}

/** A field of the properties panel by its path in the component (`storage.sizeGiB`). */
function field(page: Page, path: string): Locator {
  return panel(page).locator(`[data-field="${path}"]`);
}

function node(page: Page, id: string): Locator {
  return page.locator(`[data-testid="plan-node"][data-node-id="${id}"]`);
}

async function setNumber(page: Page, path: string, value: string) {
  const input = field(page, path).locator('input');
  await input.fill(value);
}

async function choose(page: Page, label: string, option: string | RegExp) {
  await panel(page).getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

async function deployDisabled(page: Page): Promise<boolean> {
  return (await page.getByTestId('deploy-button').getAttribute('aria-disabled')) === 'true';
}

async function saveStatus(page: Page): Promise<string> {
  return (await page.getByTestId('plan-save-status').innerText()).trim();
}

/** A real pointer drag from the palette tile to a point of the canvas. */
async function dragPostgresTo(page: Page, x: number, y: number) {
  const tile = await page.getByTestId('palette-postgresql').boundingBox();
  if (!tile) throw new Error('no palette tile');
  await page.mouse.move(tile.x + tile.width / 2, tile.y + tile.height / 2);
  await page.mouse.down();
  await page.mouse.move(tile.x + tile.width / 2 + 30, tile.y + tile.height / 2 + 10, { steps: 3 });
  await page.mouse.move(x, y, { steps: 12 });
  await page.mouse.up();
}

function exampleDocument(name: string): TCsJsonDocument {
  return { ...structuredClone(EXAMPLE_CS_JSON), name };
}

async function createPlanWithApi(context: Ctx, tenantId: string, document: TCsJsonDocument): Promise<TPlan> {
  const created = await apiCall<{ plan: TPlan }>(context, webUrl, 'POST', '/v1/plans', { document }, tenantId);
  if (created.status !== 201) throw new Error(`create plan failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.plan;
}

async function getPlan(context: Ctx, tenantId: string, planId: string): Promise<TPlan> {
  const response = await apiCall<{ plan: TPlan }>(context, webUrl, 'GET', `/v1/plans/${planId}`, undefined, tenantId);
  expect(response.status).toBe(200);
  return response.body.plan;
}

describe('web: plans', () => {
  it('drags PostgreSQL onto the canvas, sets its properties, saves with Ctrl+S and reloads the same plan', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'planner');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Plans Co');
    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/plans`);
    await page.getByRole('heading', { name: 'No plans yet' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'New plan' }).first().click();
    await page.waitForURL(`**/app/${tenantId}/plans/new`);
    await page.getByTestId('plan-canvas').waitFor();
    expect(await saveStatus(page)).toBe('Not saved yet');
    expect(await deployDisabled(page)).toBe(true);

    await page.getByLabel('Plan name').fill('Orders platform');

    // Drop it right of the palette, in the middle of the canvas.
    const canvas = await page.getByTestId('plan-canvas').boundingBox();
    if (!canvas) throw new Error('no canvas');
    const drop = { x: canvas.x + canvas.width * 0.6, y: canvas.y + canvas.height * 0.45 };
    await dragPostgresTo(page, drop.x, drop.y);
    const dropped = node(page, 'pg-1');
    await dropped.waitFor();
    expect(await page.getByTestId('plan-node').count()).toBe(1);
    const box = await dropped.boundingBox();
    if (!box) throw new Error('node not rendered');
    // The node sits where it was released (the pointer over its title bar).
    expect(drop.x).toBeGreaterThan(box.x);
    expect(drop.x).toBeLessThan(box.x + box.width);
    expect(drop.y).toBeGreaterThan(box.y);
    expect(drop.y).toBeLessThan(box.y + box.height);

    // The dropped node is selected: its properties are on the right.
    await panel(page).waitFor();
    await field(page, 'name').locator('input').fill('orders-db');
    await panel(page).getByText('Instance type', { exact: true }).click();
    await choose(page, 'Instance type (AWS)', /^m6i\.xlarge · 4 vCPU · 16 GiB/);
    expect(await field(page, 'compute.vcpu').locator('input').inputValue()).toBe('4');
    expect(await field(page, 'compute.memoryGiB').locator('input').inputValue()).toBe('16');
    await setNumber(page, 'storage.sizeGiB', '200');
    await choose(page, 'Version', 'PostgreSQL 16');
    await choose(page, 'OS', 'Debian');
    await setNumber(page, 'database.maxConnections', '200');
    await field(page, 'database.initialDatabase').locator('input').fill('orders');
    await panel(page).getByRole('switch', { name: 'Back up to S3' }).click();
    await field(page, 'backups.target.bucket').locator('input').fill('acme-orders-backups');
    await setNumber(page, 'backups.retentionDays', '14');
    await panel(page).getByRole('button', { name: 'Add override' }).click();
    await panel(page).getByLabel('Setting name 1').fill('log_min_duration_statement');
    await panel(page).getByLabel('Value of log_min_duration_statement').fill('500ms');

    // The node and the tuned settings follow the panel.
    expect(await dropped.getByTestId('plan-node-name').innerText()).toBe('orders-db');
    expect(await dropped.getByTestId('plan-node-size').innerText()).toBe('m6i.xlarge (4 vCPU · 16 GiB)');
    const tuned = panel(page).getByTestId('tuned-settings');
    expect(await tuned.locator('[data-setting="shared_buffers"] td').innerText()).toContain('4GB');
    expect(await tuned.locator('[data-setting="effective_cache_size"] td').innerText()).toContain('12GB');
    expect(await tuned.locator('[data-setting="log_min_duration_statement"]').getAttribute('data-source')).toBe(
      'override',
    );
    expect(await dropped.getAttribute('data-errors')).toBe('0');
    await screenshot(page, 'plans-editor');

    // The keyboard way: the palette tile is a button; Enter adds a node and focuses its name.
    await page.getByRole('button', { name: 'Add PostgreSQL' }).focus();
    await page.keyboard.press('Enter');
    const second = node(page, 'pg-2');
    await second.waitFor();
    expect(await panel(page).getAttribute('data-component-id')).toBe('pg-2');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-field="name"]') !== null))
      .toBe(true);
    // Drag the new node by its title bar to the top of the canvas (off the first one).
    const before = await second.boundingBox();
    const pane = await page.getByTestId('plan-canvas').boundingBox();
    if (!before || !pane) throw new Error('second node not rendered');
    const grab = { x: before.x + before.width / 2, y: before.y + 20 };
    const dy = pane.y + 10 - before.y;
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x, grab.y + dy, { steps: 10 });
    await page.mouse.up();
    // (Near the edge React Flow pans the view as well, so only "clear of the first node" is exact.)
    const after = await second.boundingBox();
    const first = await dropped.boundingBox();
    if (!after || !first) throw new Error('nodes not rendered');
    expect(after.y).toBeLessThan(before.y - 100);
    expect(after.y + after.height).toBeLessThan(first.y);
    // Selecting nodes switches the panel; removing one leaves the other.
    await dropped.click();
    await expect.poll(() => panel(page).getAttribute('data-component-id')).toBe('pg-1');
    await second.click();
    await expect.poll(() => panel(page).getAttribute('data-component-id')).toBe('pg-2');
    await panel(page).getByRole('button', { name: 'Remove from plan' }).click();
    await expect.poll(() => page.getByTestId('plan-node').count()).toBe(1);
    await dropped.click();
    await expect.poll(() => panel(page).getAttribute('data-component-id')).toBe('pg-1');

    // Ctrl+S from inside a field saves (a new plan: POST), and the address becomes the plan's.
    await field(page, 'name').locator('input').focus();
    await page.keyboard.press('Control+s');
    await expect.poll(() => saveStatus(page)).toBe('Saved · revision 1');
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    const planId = page.url().split('/').at(-1) ?? '';
    expect(await deployDisabled(page)).toBe(false);

    const stored = await getPlan(owner, tenantId, planId);
    expect(stored.name).toBe('Orders platform');
    expect(stored.valid).toBe(true);
    const component = stored.document.components[0];
    expect(component?.compute).toEqual({
      vcpu: 4,
      memoryGiB: 16,
      architecture: 'x86_64',
      providerHint: { aws: { instanceType: 'm6i.xlarge' } },
    });
    expect(component?.storage.sizeGiB).toBe(200);
    expect(component?.database).toMatchObject({
      majorVersion: 16,
      maxConnections: 200,
      initialDatabase: 'orders',
      parameters: { log_min_duration_statement: '500ms' },
    });
    expect(component?.os).toEqual({ family: 'debian', version: '12' });
    expect(component?.backups).toMatchObject({
      enabled: true,
      retentionDays: 14,
      target: { bucket: 'acme-orders-backups', prefix: 'pg-1/' },
    });

    // Reload: the same plan, the same node, the same values.
    await page.reload();
    await node(page, 'pg-1').waitFor();
    expect(await page.getByLabel('Plan name').inputValue()).toBe('Orders platform');
    expect(await saveStatus(page)).toBe('Saved · revision 1');
    expect(await node(page, 'pg-1').getByTestId('plan-node-size').innerText()).toBe('m6i.xlarge (4 vCPU · 16 GiB)');
    await node(page, 'pg-1').click();
    expect(await field(page, 'storage.sizeGiB').locator('input').inputValue()).toBe('200');
    expect(await field(page, 'database.maxConnections').locator('input').inputValue()).toBe('200');
    expect(await panel(page).getByLabel('Value of log_min_duration_statement').inputValue()).toBe('500ms');

    // Deploy is enabled for a saved, valid plan: it opens the confirmation (cancelled here).
    await page.getByTestId('deploy-button').click();
    const deployDialog = page.getByTestId('deploy-dialog');
    await deployDialog.waitFor();
    expect(await deployDialog.getByTestId('deploy-target-aws').isDisabled()).toBe(true);
    await deployDialog.getByRole('button', { name: 'Cancel' }).click();
    await deployDialog.waitFor({ state: 'detached' });

    // Export downloads the document as <name>.cs.json.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('orders-platform.cs.json');

    // The list: name, revision, grey "not deployed" dot, valid.
    await page.getByRole('link', { name: 'Back to plans' }).click();
    const row = page.locator(`[data-testid="plan-row"][data-plan-id="${planId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Orders platform');
    expect(await row.getByTestId('plan-status').getAttribute('data-status')).toBe('not_deployed');
    expect(await row.innerText()).toContain('Valid');
    await screenshot(page, 'plans-list');

    expect(owner.pageErrors).toEqual([]);
    await owner.close();
  });

  it('shows an invalid value on the field and the node, disables Deploy, and guards unsaved changes', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'validator');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Invalid Co');
    const plan = await createPlanWithApi(owner, tenantId, exampleDocument('Tiny'));
    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/plans/${plan.id}`);
    await node(page, 'pg-1').click();
    await panel(page).waitFor();
    expect(await deployDisabled(page)).toBe(false);

    // 5 GiB of disk: below the 10 GiB minimum.
    await setNumber(page, 'storage.sizeGiB', '5');
    const disk = field(page, 'storage.sizeGiB');
    await disk.getByTestId('field-error').waitFor();
    expect(await disk.getByTestId('field-error').innerText()).toContain('at least 10 GiB');
    expect(await disk.locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await node(page, 'pg-1').getAttribute('data-errors')).toBe('1');
    expect(await node(page, 'pg-1').getByTestId('plan-node-validity').innerText()).toContain('1 error');
    expect(await deployDisabled(page)).toBe(true);
    const tooltip = await page.getByTestId('deploy-button').getAttribute('aria-describedby');
    expect(await page.locator(`[id="${tooltip}"]`).textContent()).toBe(
      'To deploy, fix 1 error and save your changes first.',
    );

    // 100000 connections on 1 GiB (vCPU + memory sizing): too many for the memory.
    await panel(page).getByText('vCPU and memory', { exact: true }).click();
    await setNumber(page, 'compute.memoryGiB', '1');
    await setNumber(page, 'database.maxConnections', '100000');
    const connections = field(page, 'database.maxConnections');
    await connections.getByTestId('field-error').waitFor();
    expect(await connections.getByTestId('field-error').innerText()).toContain('too many for 1 GiB');
    expect(await node(page, 'pg-1').getAttribute('data-errors')).toBe('2');
    await page.getByTestId('deploy-button').hover();
    await screenshot(page, 'plans-invalid');

    // An invalid plan can be saved (to be finished later) but not deployed.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => saveStatus(page)).toBe('Saved · revision 2');
    expect(await deployDisabled(page)).toBe(true);
    expect((await getPlan(owner, tenantId, plan.id)).valid).toBe(false);

    // Fixing it: valid again, but unsaved, so still no deploy; then the in-app link guard.
    await setNumber(page, 'database.maxConnections', '50');
    await setNumber(page, 'storage.sizeGiB', '20');
    expect(await node(page, 'pg-1').getAttribute('data-errors')).toBe('0');
    expect(await deployDisabled(page)).toBe(true);
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    const guard = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await guard.waitFor();
    await guard.getByRole('button', { name: 'Cancel' }).click();
    expect(page.url()).toContain(`/plans/${plan.id}`);
    await page.keyboard.press('Control+s');
    await expect.poll(() => saveStatus(page)).toBe('Saved · revision 3');
    expect(await deployDisabled(page)).toBe(false);
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`**/app/${tenantId}/members`);

    expect(owner.pageErrors).toEqual([]);
    await owner.close();
  });

  it('two people save the same plan: the second gets the conflict dialog, and both ways out work', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'first');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Conflict Co');
    const colleague = await newContext(browser, webUrl);
    const colleagueUser = await signUpWithApi(colleague, webUrl, 'second');
    await addMemberWithApi(owner, colleague, webUrl, tenantId, colleagueUser, 'editor');
    const plan = await createPlanWithApi(owner, tenantId, exampleDocument('Shared'));

    const mine = await owner.newPage();
    const theirs = await colleague.newPage();
    for (const page of [mine, theirs]) {
      await page.goto(`/app/${tenantId}/plans/${plan.id}`);
      await node(page, 'pg-1').click();
      await panel(page).waitFor();
    }

    // They save first (revision 2: 150 GiB disk).
    await setNumber(theirs, 'storage.sizeGiB', '150');
    await theirs.keyboard.press('Control+s');
    await expect.poll(() => saveStatus(theirs)).toBe('Saved · revision 2');

    // I save on top of revision 1 (max connections 150): 409 → the conflict dialog, with the diff.
    await setNumber(mine, 'database.maxConnections', '150');
    await mine.keyboard.press('Control+s');
    const dialog = mine.getByRole('alertdialog', { name: 'Someone else saved this plan' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`${colleagueUser.email} saved revision 2`);
    const diff = dialog.getByTestId('conflict-diff');
    expect(await diff.locator('[data-path="components.0.storage.sizeGiB"]').innerText()).toContain('150');
    expect(await diff.locator('[data-path="components.0.database.maxConnections"]').innerText()).toContain('150');
    await screenshot(mine, 'plans-conflict');

    // Overwrite with mine: revision 3 = my document (their disk change is undone, still in history).
    await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
    await expect.poll(() => saveStatus(mine)).toBe('Saved · revision 3');
    expect(await dialog.count()).toBe(0);
    const third = await getPlan(owner, tenantId, plan.id);
    expect(third.revision).toBe(3);
    expect(third.document.components[0]?.database.maxConnections).toBe(150);
    expect(third.document.components[0]?.storage.sizeGiB).toBe(100);

    // Their next save conflicts too; they load mine instead (discarding theirs).
    await setNumber(theirs, 'storage.sizeGiB', '300');
    await theirs.keyboard.press('Control+s');
    const theirDialog = theirs.getByRole('alertdialog', { name: 'Someone else saved this plan' });
    await theirDialog.waitFor();
    await theirDialog.getByRole('button', { name: 'Load theirs (discard mine)' }).click();
    await expect.poll(() => saveStatus(theirs)).toBe('Saved · revision 3');
    expect(await field(theirs, 'storage.sizeGiB').locator('input').inputValue()).toBe('100');
    expect(await field(theirs, 'database.maxConnections').locator('input').inputValue()).toBe('150');
    expect((await getPlan(owner, tenantId, plan.id)).revision).toBe(3);

    // History: compare 2 → 3, then restore revision 2 as revision 4.
    await mine.getByRole('button', { name: 'History' }).click();
    const drawer = mine.getByTestId('revision-drawer');
    await drawer.getByTestId('revision-list').waitFor();
    expect(await drawer.locator('[data-revision]').count()).toBe(3);
    await drawer.getByText('Changes from revision 2 to 3').waitFor();
    const changes = drawer.getByTestId('revision-diff');
    await changes.locator('[data-path="components.0.storage.sizeGiB"]').waitFor();
    await screenshot(mine, 'plans-history');
    await drawer.getByRole('button', { name: 'Restore revision 2' }).click();
    await mine
      .getByRole('alertdialog', { name: 'Restore revision 2?' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await expect.poll(() => saveStatus(mine)).toBe('Saved · revision 4');
    const fourth = await getPlan(owner, tenantId, plan.id);
    expect(fourth.document.components[0]?.storage.sizeGiB).toBe(150);
    expect(fourth.document.components[0]?.database.maxConnections).toBe(100);

    expect(owner.pageErrors).toEqual([]);
    expect(colleague.pageErrors).toEqual([]);
    await owner.close();
    await colleague.close();
  });

  it('viewers get a read-only canvas and panel; import reports problems by path; a phone gets a sheet', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'importer');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Import Co');
    const viewer = await newContext(browser, webUrl);
    const viewerUser = await signUpWithApi(viewer, webUrl, 'watcher');
    await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');

    // Import: a broken file lists its problems with their paths; a good one opens in the editor.
    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/plans`);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a plan' });
    const broken = exampleDocument('Broken');
    const bad = { ...broken, components: [{ ...broken.components[0], storage: { type: 'tape', sizeGiB: 50 } }] };
    await dialog.getByLabel('Plan file').setInputFiles({
      name: 'broken.cs.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    await dialog.getByRole('button', { name: 'Import plan' }).click();
    const issues = dialog.getByTestId('import-issues');
    await issues.waitFor();
    expect(await issues.innerText()).toContain('components.0.storage.type');
    await screenshot(page, 'plans-import-errors');
    await dialog.getByLabel('Plan file').setInputFiles({
      name: 'warehouse.cs.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exampleDocument('Warehouse'))),
    });
    await dialog.getByRole('button', { name: 'Import plan' }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await node(page, 'pg-1').waitFor();
    const planId = page.url().split('/').at(-1) ?? '';

    // A viewer: no palette, no save; the panel shows values but cannot change them.
    const viewerPage = await viewer.newPage();
    await viewerPage.goto(`/app/${tenantId}/plans`);
    await viewerPage.locator(`[data-testid="plan-row"][data-plan-id="${planId}"]`).waitFor();
    expect(await viewerPage.getByRole('link', { name: 'New plan' }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
    await viewerPage.goto(`/app/${tenantId}/plans/${planId}`);
    await node(viewerPage, 'pg-1').click();
    await panel(viewerPage).waitFor();
    expect(await viewerPage.getByTestId('palette-postgresql').count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await field(viewerPage, 'storage.sizeGiB').locator('input').isDisabled()).toBe(true);
    expect(await deployDisabled(viewerPage)).toBe(true);
    await screenshot(viewerPage, 'plans-viewer');

    // 375 px: the canvas fits, and the properties open as a sheet over it.
    const phone = await newContext(browser, webUrl, { viewport: { width: 375, height: 812 }, isMobile: true });
    await phone.addCookies(await owner.cookies());
    const small = await phone.newPage();
    await small.goto(`/app/${tenantId}/plans/${planId}`);
    await node(small, 'pg-1').waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await node(small, 'pg-1').click();
    await panel(small).waitFor();
    const sheet = await small.getByRole('complementary', { name: 'Properties' }).boundingBox();
    expect(sheet?.width).toBe(375);
    await screenshot(small, 'plans-mobile');
    await small.getByRole('button', { name: 'Close properties' }).click();
    expect(await panel(small).count()).toBe(0);

    expect(owner.pageErrors).toEqual([]);
    expect(viewer.pageErrors).toEqual([]);
    expect(phone.pageErrors).toEqual([]);
    await owner.close();
    await viewer.close();
    await phone.close();
  });
});

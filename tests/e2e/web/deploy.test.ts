import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { smallPostgresPlan } from '../../support/plan-fixtures.js';
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
import {
  closePanel,
  editorStatus,
  panel,
  recordTones,
  revealConnectionString,
  tone,
  waitOrangeThenGreen,
  withDatabase,
} from './deploy-ui.js';

/**
 * The deployer through the real UI, on the local target (a real PostgreSQL on this machine):
 * deploy a small plan and watch the status go orange → green live (SSE, no reload), reveal the
 * connection string and write a row with node-postgres, change max connections in the editor,
 * re-deploy in place (the list turns orange → green live too), check `SHOW max_connections` and
 * that the row survived, then destroy with the typed plan name and see grey again.
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

/** For what follows a click or a page load (queries, SSE): more than expect.poll's 1 s default. */
const SOON = { timeout: 15_000, interval: 100 };
const PLAN_NAME = 'Local orders';

async function createPlanWithApi(context: Ctx, tenantId: string, document: TCsJsonDocument): Promise<TPlan> {
  const created = await apiCall<{ plan: TPlan }>(context, webUrl, 'POST', '/v1/plans', { document }, tenantId);
  if (created.status !== 201) throw new Error(`create plan failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.plan;
}

describe('web: deploy a plan to the local target', () => {
  it('deploys, goes green live, connects, re-deploys a change in place keeping data, and destroys', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'deployer');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Deploy Co');
    const plan = await createPlanWithApi(owner, tenantId, smallPostgresPlan(PLAN_NAME));
    expect(plan.valid).toBe(true);

    // The list: grey, from the deployer (the plan has never been deployed).
    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/plans`);
    const row = page.locator(`[data-testid="plan-row"][data-plan-id="${plan.id}"]`);
    await expect.poll(() => tone(row.getByTestId('plan-status')), SOON).toBe('not_deployed');
    expect(await row.getByTestId('plan-status').getAttribute('data-state')).toBe('none');
    expect(await row.getByTestId('plan-status').innerText()).toContain('Not deployed');

    // The editor: grey, Deploy enabled (saved, valid, nothing running).
    await row.getByRole('link', { name: PLAN_NAME }).click();
    await page.waitForURL(`**/plans/${plan.id}`);
    await expect.poll(() => tone(editorStatus(page)), SOON).toBe('not_deployed');
    const deployButton = page.getByTestId('deploy-button');
    expect(await deployButton.getAttribute('aria-disabled')).toBeNull();
    expect((await deployButton.innerText()).trim()).toBe('Deploy');

    // Deploy: a small confirmation with the target (Local; AWS shown, not configured yet).
    await recordTones(page, '[data-testid="deployment-status"]');
    await deployButton.click();
    const dialog = page.getByTestId('deploy-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { name: `Deploy “${PLAN_NAME}”?` }).count()).toBe(1);
    expect(await dialog.getByTestId('deploy-target-local').isChecked()).toBe(true);
    expect(await dialog.getByTestId('deploy-target-aws').isDisabled()).toBe(true);
    expect(await dialog.innerText()).toContain('Not configured for this workspace');
    await screenshot(page, 'deploy-dialog');
    await dialog.getByTestId('deploy-confirm').click();

    // The panel opens on its own; the dot goes orange, then green, with no reload.
    await panel(page).waitFor();
    await waitOrangeThenGreen(page);
    expect(await tone(panel(page).getByTestId('deployment-panel-status'))).toBe('running');
    // While it ran, Deploy said why it was disabled; now it offers a re-deploy.
    await expect.poll(async () => (await deployButton.innerText()).trim(), SOON).toBe('Re-deploy');
    expect(await page.getByTestId('deployment-announcement').textContent()).toBe('Status: Running');

    // The live step log: steps with their status and duration, none failed.
    const log = panel(page).getByTestId('deployment-log');
    await expect.poll(() => log.locator('[data-kind="step"][data-status="done"]').count(), SOON).toBeGreaterThan(0);
    expect(await log.locator('[data-kind="step"][data-status="failed"]').count()).toBe(0);
    await expect
      .poll(() => log.locator('[data-kind="transition"][data-state="running"]').count(), SOON)
      .toBeGreaterThan(0);
    // The endpoint on this machine.
    const host = await panel(page).getByTestId('deployment-host').innerText();
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await panel(page).getByTestId('deployment-endpoint').innerText()).toContain('app_admin');
    await screenshot(page, 'deploy-panel-running');

    // The connection string (revealed on request) works: write a row.
    const first = await revealConnectionString(page);
    expect(first).toContain(`@${host}/app`);
    await withDatabase(first, async (client) => {
      await client.query('create table notes (id serial primary key, body text not null)');
      await client.query(`insert into notes (body) values ('written before the re-deploy')`);
      const settings = await client.query<{ max_connections: string }>('show max_connections');
      expect(settings.rows[0]?.max_connections).toBe('40');
    });
    // Closing the panel forgets the revealed string.
    await closePanel(page);
    await page.getByTestId('deployment-panel-button').click();
    await panel(page).getByTestId('deployment-reveal').waitFor();
    expect(await panel(page).getByTestId('deployment-connection-string').count()).toBe(0);
    await closePanel(page);

    // Change max connections in the editor and save: unsaved changes disable Deploy until saved.
    await page.locator('[data-testid="plan-node"][data-node-id="pg-1"]').click();
    const connections = page.getByTestId('properties-panel').locator('[data-field="database.maxConnections"] input');
    await connections.fill('60');
    await expect.poll(() => deployButton.getAttribute('aria-disabled'), SOON).toBe('true');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('plan-save-status').innerText(), SOON).toBe('Saved · revision 2');
    await expect.poll(() => deployButton.getAttribute('aria-disabled'), SOON).toBeNull();

    // A second tab on the list follows the re-deploy live too.
    const listPage = await owner.newPage();
    await listPage.goto(`/app/${tenantId}/plans`);
    const listRow = listPage.locator(`[data-testid="plan-row"][data-plan-id="${plan.id}"]`);
    await expect.poll(() => tone(listRow.getByTestId('plan-status')), SOON).toBe('running');
    await recordTones(listPage, `[data-plan-id="${plan.id}"] [data-testid="plan-status"]`);

    // Re-deploy: the dialog shows what changes since the deployed revision.
    await recordTones(page, '[data-testid="deployment-status"]');
    await deployButton.click();
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { name: `Re-deploy “${PLAN_NAME}”?` }).count()).toBe(1);
    const changes = dialog.getByTestId('redeploy-changes');
    await changes.locator('[data-path="components.0.database.maxConnections"]').waitFor();
    expect(await changes.locator('[data-path="components.0.database.maxConnections"]').innerText()).toContain('60');
    await screenshot(page, 'deploy-redeploy-dialog');
    await dialog.getByTestId('deploy-confirm').click();
    await panel(page).waitFor();
    await waitOrangeThenGreen(page);
    await waitOrangeThenGreen(listPage);
    await listPage.close();

    // The same server, the new setting, the old row.
    const second = await revealConnectionString(page);
    await withDatabase(second, async (client) => {
      const settings = await client.query<{ max_connections: string }>('show max_connections');
      expect(settings.rows[0]?.max_connections).toBe('60');
      const notes = await client.query<{ body: string }>('select body from notes');
      expect(notes.rows.map((note) => note.body)).toEqual(['written before the re-deploy']);
    });
    expect(await panel(page).getByTestId('deployment-host').innerText()).toBe(host);
    await expect
      .poll(() =>
        panel(page).locator('[data-testid="deployment-health"] [data-setting="max_connections"] dd').innerText(),
      )
      .toBe('60');

    // "Open in Data": the deployed database becomes a connection of the Data product (once), and
    // its tables are there — including the one written through the connection string.
    const dataPage = await owner.newPage();
    await dataPage.goto(`/app/${tenantId}/plans/${plan.id}`);
    await dataPage.getByTestId('deployment-panel-button').click();
    await panel(dataPage).getByTestId('deployment-open-in-data').click();
    await dataPage.waitForURL(/\/data\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const connectionUrl = dataPage.url();
    await dataPage.getByRole('heading', { name: PLAN_NAME, level: 1 }).waitFor();
    await dataPage.locator('[data-table="public.notes"]').waitFor();
    // A second press opens the same connection instead of registering another one.
    await dataPage.goto(`/app/${tenantId}/plans/${plan.id}`);
    await dataPage.getByTestId('deployment-panel-button').click();
    await panel(dataPage).getByTestId('deployment-open-in-data').click();
    await dataPage.waitForURL(/\/data\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    expect(dataPage.url()).toBe(connectionUrl);
    await dataPage.close();

    // A viewer sees the state but cannot reveal, re-deploy or destroy.
    const viewer = await newContext(browser, webUrl);
    const viewerUser = await signUpWithApi(viewer, webUrl, 'onlooker');
    await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');
    const viewerPage = await viewer.newPage();
    await viewerPage.goto(`/app/${tenantId}/plans/${plan.id}`);
    await expect.poll(() => tone(editorStatus(viewerPage)), SOON).toBe('running');
    expect(await viewerPage.getByTestId('deploy-button').getAttribute('aria-disabled')).toBe('true');
    await viewerPage.getByTestId('deployment-panel-button').click();
    await panel(viewerPage).getByTestId('deployment-endpoint').waitFor();
    expect(await panel(viewerPage).getByTestId('deployment-reveal').count()).toBe(0);
    expect(await panel(viewerPage).getByTestId('deployment-destroy').count()).toBe(0);
    expect(viewer.pageErrors).toEqual([]);
    await viewer.close();

    // A major version change would replace the server: the deployer refuses (409) and the dialog
    // lists the change; "Deploy anyway" needs the explicit "I understand". Cancelled here.
    await closePanel(page);
    await page.locator('[data-testid="plan-node"][data-node-id="pg-1"]').click();
    const properties = page.getByTestId('properties-panel');
    await properties.getByLabel('Version', { exact: true }).click();
    await page.getByRole('option', { name: 'PostgreSQL 16' }).click();
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('plan-save-status').innerText(), SOON).toBe('Saved · revision 3');
    await deployButton.click();
    await dialog.waitFor();
    await dialog.getByTestId('deploy-confirm').click();
    const warning = dialog.getByTestId('destructive-warning');
    await warning.waitFor();
    expect(await warning.locator('[data-path*="majorVersion"]').count()).toBe(1);
    const anyway = dialog.getByTestId('deploy-anyway');
    expect(await anyway.isDisabled()).toBe(true);
    await dialog.getByTestId('destructive-understood').check();
    expect(await anyway.isDisabled()).toBe(false);
    await screenshot(page, 'deploy-destructive');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Nothing was started: still green.
    expect(await tone(editorStatus(page))).toBe('running');

    // Destroy: only with the plan's name typed exactly.
    await page.getByTestId('deployment-panel-button').click();
    await panel(page).getByTestId('deployment-destroy').click();
    const destroy = page.getByTestId('destroy-dialog');
    await destroy.waitFor();
    const confirm = destroy.getByTestId('destroy-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await destroy.getByTestId('destroy-confirm-name').fill('local orders');
    expect(await confirm.isDisabled()).toBe(true);
    await destroy.getByTestId('destroy-confirm-name').fill(PLAN_NAME);
    expect(await confirm.isDisabled()).toBe(false);
    await screenshot(page, 'deploy-destroy-dialog');
    await confirm.click();
    await destroy.waitFor({ state: 'detached' });
    await expect.poll(() => tone(editorStatus(page)), { timeout: 60_000, interval: 250 }).toBe('not_deployed');
    expect(await editorStatus(page).getAttribute('data-state')).toBe('destroyed');
    expect(await panel(page).getByTestId('deployment-endpoint').count()).toBe(0);
    await expect(withDatabase(second, (client) => client.query('select 1'))).rejects.toThrow();
    expect((await deployButton.innerText()).trim()).toBe('Deploy');

    // Focus moved to the status (the Destroy button went away with the server).
    expect(
      await page.evaluate(() => document.activeElement?.querySelector('[data-testid="deployment-summary"]') !== null),
    ).toBe(true);

    // And grey in the list.
    await closePanel(page);
    await page.getByRole('link', { name: 'Back to plans' }).click();
    await expect.poll(() => tone(row.getByTestId('plan-status')), SOON).toBe('not_deployed');
    // (The list refetches on arrival: the deployment is there, destroyed.)
    await expect.poll(() => row.getByTestId('plan-status').getAttribute('data-state'), SOON).toBe('destroyed');
    await screenshot(page, 'deploy-plans-list');

    expect(owner.pageErrors).toEqual([]);
    await owner.close();
  }, 300_000);
});

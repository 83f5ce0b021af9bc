import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { panel } from './deploy-ui.js';
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

/**
 * Backups through the real UI on the local target: a plan with backups enabled is deployed, the
 * admin presses "Back up now" in the deployment panel, and the backup appears live with
 * "validation passed" and its per-table counts (the worker dumped it to S3, restored the stored
 * object into a scratch database and compared the row counts). A viewer sees it without the button.
 */
const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PLAN_NAME = 'Backed up orders';
const GREEN_TIMEOUT = 60_000;
const SOON = { timeout: 15_000, interval: 100 };

describe('web: backups of a deployment', () => {
  it('"Back up now" shows the backup live with validation passed and its row counts', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'backups');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Backup Co');
    const created = await apiCall<{ plan: TPlan }>(
      owner,
      webUrl,
      'POST',
      '/v1/plans',
      {
        document: smallPostgresPlan(PLAN_NAME, {
          maxConnections: 30,
          backups: {
            enabled: true,
            schedule: '0 3 * * *',
            retentionDays: 7,
            target: { bucket: 'orders-backups', prefix: 'orders/' },
            validateByRestore: true,
          },
        }),
      },
      tenantId,
    );
    expect(created.status).toBe(201);
    const plan = created.body.plan;
    expect(plan.valid).toBe(true);
    const deployed = await apiCall(owner, webUrl, 'POST', `/v1/plans/${plan.id}/deploy`, { target: 'local' }, tenantId);
    expect(deployed.status).toBe(202);

    const page = await owner.newPage();
    await page.goto(`/app/${tenantId}/plans/${plan.id}`);
    await expect
      .poll(() => page.getByTestId('deployment-status').getAttribute('data-status'), {
        timeout: GREEN_TIMEOUT,
        interval: 250,
      })
      .toBe('running');
    // Some rows to back up, through the admin connection string.
    const credentials = await apiCall<{ connectionString: string }>(
      owner,
      webUrl,
      'POST',
      `/v1/plans/${plan.id}/deployment/credentials`,
      undefined,
      tenantId,
    );
    expect(credentials.status).toBe(200);
    const client = new pg.Client({
      connectionString: credentials.body.connectionString,
      connectionTimeoutMillis: 10_000,
    });
    await client.connect();
    try {
      await client.query('create table notes (id serial primary key, body text not null)');
      await client.query(`insert into notes (body) values ('one'), ('two'), ('three')`);
    } finally {
      await client.end();
    }
    await page.getByTestId('deployment-panel-button').click();
    const backups = panel(page).getByTestId('deployment-backups');
    await backups.waitFor();
    await expect.poll(() => backups.innerText(), SOON).toContain('Scheduled: "0 3 * * *" (UTC), kept 7 days');
    expect(await backups.innerText()).toContain('No backups yet.');

    await backups.getByTestId('backup-now').click();
    const row = backups.getByTestId('backup-row').first();
    // Live: running, then stored and validated by a restore (no reload).
    await expect
      .poll(() => row.getAttribute('data-validation'), { timeout: GREEN_TIMEOUT, interval: 250 })
      .toBe('passed');
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(await row.innerText()).toContain('validation passed');
    expect(await row.innerText()).toContain('manual');
    await row.getByText('Row counts: at backup vs restored').click();
    const counts = row.getByTestId('backup-counts');
    await expect.poll(() => counts.count(), SOON).toBe(1);
    // public.notes: 3 rows at backup time, 3 after restoring the stored object.
    expect(await counts.locator('[data-table="public.notes"] td').allInnerTexts()).toEqual(['public.notes', '3', '3']);
    await screenshot(page, 'backups-validation-passed');

    // A viewer sees the backup and its verdict, not the buttons.
    const viewer = await newContext(browser, webUrl);
    const viewerUser = await signUpWithApi(viewer, webUrl, 'backup-viewer');
    await addMemberWithApi(owner, viewer, webUrl, tenantId, viewerUser, 'viewer');
    const viewerPage = await viewer.newPage();
    await viewerPage.goto(`/app/${tenantId}/plans/${plan.id}`);
    await viewerPage.getByTestId('deployment-panel-button').click();
    const viewerRow = panel(viewerPage).getByTestId('backup-row').first();
    await expect.poll(() => viewerRow.getAttribute('data-validation'), SOON).toBe('passed');
    expect(await panel(viewerPage).getByTestId('backup-now').count()).toBe(0);
    expect(await panel(viewerPage).getByTestId('backup-validate').count()).toBe(0);
    expect(viewer.pageErrors).toEqual([]);
    await viewer.close();

    const destroyed = await apiCall(
      owner,
      webUrl,
      'POST',
      `/v1/plans/${plan.id}/deployment/destroy`,
      { confirmPlanName: PLAN_NAME },
      tenantId,
    );
    expect(destroyed.status).toBe(202);
    expect(owner.pageErrors).toEqual([]);
    await owner.close();
  }, 240_000);
});

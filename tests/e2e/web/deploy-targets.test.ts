import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  addMemberWithApi,
  createWorkspaceWithApi,
  launchBrowser,
  newContext,
  screenshot,
  signUpWithApi,
} from './browser.js';

const webUrl = inject('webUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzYxWvU7890';

describe('web: Settings → Deploy targets', () => {
  it('an admin sees field errors, saves an access key shown masked, checks it (AWS unreachable: a reason), and removes it', async () => {
    const context = await newContext(browser, webUrl);
    await signUpWithApi(context, webUrl, 'targets');
    const tenantId = await createWorkspaceWithApi(context, webUrl, 'Targets Co');
    const page = await context.newPage();
    await page.goto(`/app/${tenantId}/settings`);
    const card = page.getByTestId('deploy-targets');
    await card.getByRole('heading', { name: 'AWS' }).waitFor();

    // Role mode: a bad ARN and a missing external id are refused on their fields.
    await card.getByLabel('Role ARN').fill('arn:aws:iam::1234:user/bob');
    await card.getByTestId('aws-save').click();
    await card.getByText('must be a role ARN: arn:aws:iam::<12-digit account id>:role/<name>').waitFor();
    expect(await card.getByText('must be at least 2 characters').count()).toBe(1);

    // Access key mode: saved, then only the masked id is on the page.
    await card.getByTestId('aws-kind-access-key').check();
    await card.getByTestId('aws-region').selectOption('us-east-1');
    await card.getByLabel('Access key id').fill('AKIAIOSFODNN7QWXYZ12');
    await card.getByLabel('Secret access key').fill(SECRET);
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/deploy-targets/aws') && r.request().method() === 'PUT',
    );
    await card.getByTestId('aws-save').click();
    expect((await saved).status()).toBe(200);
    await card.getByTestId('aws-target-summary').waitFor();
    expect(await card.getByTestId('aws-credentials').innerText()).toBe('access key AKIA…YZ12');
    expect(await card.getByTestId('aws-last-check').innerText()).toContain('Not checked yet');
    expect(await page.content()).not.toContain(SECRET);

    // No AWS from here: the check answers with a stored, human reason.
    const checked = page.waitForResponse((r) => r.url().endsWith('/api/v1/deploy-targets/aws/check'));
    await card.getByTestId('aws-check').click();
    expect((await checked).status()).toBe(200);
    await card.getByTestId('aws-last-check').getByText('Failed').waitFor();
    await screenshot(page, 'deploy-targets');

    await card.getByTestId('aws-remove').click();
    const removed = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/deploy-targets/aws') && r.request().method() === 'DELETE',
    );
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    expect((await removed).status()).toBe(204);
    await card.getByTestId('aws-target-form').waitFor();
    expect(await card.getByTestId('aws-target-summary').count()).toBe(0);
    await context.close();
  });

  it('members below admin do not see the section', async () => {
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'targets-owner');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'Targets Editors');
    const editor = await newContext(browser, webUrl);
    const user = await signUpWithApi(editor, webUrl, 'targets-editor');
    await addMemberWithApi(owner, editor, webUrl, tenantId, user, 'editor');
    const page = await editor.newPage();
    await page.goto(`/app/${tenantId}/settings`);
    await page.getByRole('heading', { name: 'Appearance' }).waitFor();
    expect(await page.getByTestId('deploy-targets').count()).toBe(0);
    await owner.close();
    await editor.close();
  });
});

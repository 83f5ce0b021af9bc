/*
 * The browser flow "deploy → orange → green" against a server provisioned exactly like an EC2
 * instance (issue 8, docs/cloud-fidelity.md): the whole platform runs with the deployer's aws
 * target in test-host mode (DEPLOY_AWS_EMULATOR_URL), so the unchanged AWS driver talks to the
 * local EC2 emulator (infra/testhost/ec2-emulator.mjs), whose RunInstances boots a real Debian 12
 * test host from the very user data, under real cloud-init. The workspace's AWS target is set up in
 * Settings, the plan is deployed, re-deployed with a changed setting that the on-instance agent
 * applies, and destroyed, all through the UI.
 *
 * When the kit cannot run (not root, no debootstrap, no mirror) beforeAll throws with the reason:
 * the file fails, it never passes silently.
 */
import { spawnSync } from 'node:child_process';
import type { TPlan } from '@elasticdash/contracts/plans/plan';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEc2Emulator, type Ec2Emulator } from '../../infra/testhost/ec2-emulator.mjs';
import {
  apiCall,
  createWorkspaceWithApi,
  launchBrowser,
  newContext,
  screenshot,
  signUpWithApi,
} from '../e2e/web/browser.js';
import {
  closePanel,
  editorStatus,
  panel,
  recordTones,
  revealConnectionString,
  tone,
  waitOrangeThenGreen,
  withDatabase,
} from '../e2e/web/deploy-ui.js';
import { e2ePorts, startE2eStack, type TE2eStack } from '../support/e2e-stack.js';
import { smallPostgresPlan } from '../support/plan-fixtures.js';
import { buildTestHostRoot, testHostProblem } from '../support/testhost.js';

/** Away from the e2e project's instances (0-9): both may run on one machine. */
const INSTANCE = Number(process.env.E2E_INSTANCE ?? 0) + 10;
const REGION = 'eu-west-1';
const PLAN_NAME = 'EC2-like orders';
/** cloud-init installs PostgreSQL before the port opens; the first boot may also build the root. */
const GREEN_TIMEOUT = 10 * 60_000;
const SOON = { timeout: 20_000, interval: 200 };

let stack: TE2eStack;
let emulator: Ec2Emulator;
let browser: Browser;
const started = Date.now();
const timings: string[] = [];
const mark = (what: string) => timings.push(`${what}: ${Math.round((Date.now() - started) / 1000)} s`);

beforeAll(async () => {
  const problem = await testHostProblem();
  if (problem) throw new Error(`the test host cannot run here: ${problem}`);
  await buildTestHostRoot();
  emulator = await startEc2Emulator({
    s3Target: `127.0.0.1:${e2ePorts(INSTANCE).S3_PORT}`,
    indexes: [160, 169],
  });
  stack = await startE2eStack(INSTANCE, {
    DEPLOY_TARGETS: 'local,aws',
    DEPLOY_AWS_EMULATOR_URL: emulator.url,
    MONITOR_INTERVAL_MS: '3000',
  });
  browser = await launchBrowser();
  mark('platform, emulator and browser up');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await emulator?.close();
  console.log(`test-host deploy timings (from the start of the file)\n  ${timings.join('\n  ')}`);
});

describe('web: deploy to a test host provisioned like EC2', () => {
  it('sets up the AWS target, deploys (orange → green), re-deploys a change the agent applies, and destroys', async () => {
    const webUrl = stack.webUrl;
    const owner = await newContext(browser, webUrl);
    await signUpWithApi(owner, webUrl, 'ec2like');
    const tenantId = await createWorkspaceWithApi(owner, webUrl, 'EC2-like Co');
    const page = await owner.newPage();

    // Settings → Deploy targets: an access key; "Check" reaches the emulator's STS and EC2.
    await page.goto(`/app/${tenantId}/settings`);
    const card = page.getByTestId('deploy-targets');
    await card.getByTestId('aws-kind-access-key').check();
    await card.getByTestId('aws-region').selectOption(REGION);
    await card.getByLabel('Access key id').fill('AKIAIOSFODNN7TESTHST');
    await card.getByLabel('Secret access key').fill('TestHostSecretAccessKey0123456789abcdEFGH');
    await card.getByTestId('aws-save').click();
    await card.getByTestId('aws-target-summary').waitFor();
    await card.getByTestId('aws-check').click();
    await card.getByTestId('aws-last-check').getByText('OK').waitFor();
    expect(await card.getByTestId('aws-last-check').innerText()).toContain(`1 zone in ${REGION}`);

    const created = await apiCall<{ plan: TPlan }>(
      owner,
      webUrl,
      'POST',
      '/v1/plans',
      {
        document: smallPostgresPlan(PLAN_NAME, {
          maxConnections: 50,
          // The platform reaches a test host from the host side of its veth (10.213.N.1).
          network: { port: 5432, allowedCidrs: ['10.213.0.0/16'], public: false },
        }),
      },
      tenantId,
    );
    expect(created.status).toBe(201);
    const plan = created.body.plan;

    // Deploy on AWS (the emulator): orange while EC2 launches and cloud-init installs PostgreSQL, then green.
    await page.goto(`/app/${tenantId}/plans/${plan.id}`);
    await expect.poll(() => tone(editorStatus(page)), SOON).toBe('not_deployed');
    await recordTones(page, '[data-testid="deployment-status"]');
    const deployButton = page.getByTestId('deploy-button');
    await deployButton.click();
    const dialog = page.getByTestId('deploy-dialog');
    await dialog.getByTestId('deploy-target-aws').check();
    expect(await dialog.innerText()).toContain(`EC2 in ${REGION}`);
    await dialog.getByTestId('deploy-confirm').click();
    await panel(page).waitFor();
    await waitOrangeThenGreen(page, GREEN_TIMEOUT);
    mark('deployed: green');

    // The steps of the AWS driver, none failed, and the endpoint is the test host's address.
    const log = panel(page).getByTestId('deployment-log');
    for (const step of [
      'security-group',
      'agent-profile',
      'configure',
      'launch',
      'wait-running',
      'verify',
      'agent-applied',
    ]) {
      await log.locator(`[data-kind="step"][data-step="${step}"][data-status="done"]`).first().waitFor();
    }
    expect(await log.locator('[data-kind="step"][data-status="failed"]').count()).toBe(0);
    const host = await panel(page).getByTestId('deployment-host').innerText();
    expect(host).toMatch(/^10\.213\.16\d\.2:5432$/);
    const [instance] = emulator.instances().filter((i) => i.state === 'running');
    expect(instance?.address).toBe(host.split(':')[0]);
    // The agent got its own role and instance profile, whose one policy names only this deployment.
    const [role] = emulator.iam().roles.filter((r) => r.roleName.startsWith('elasticdash-agent-'));
    expect(role?.instanceProfiles).toEqual([role?.roleName]);
    expect(JSON.stringify(role?.policies)).toContain('/desired.json');
    expect(instance?.iamInstanceProfileArn).toBe(emulator.iam().instanceProfiles[0]?.arn);
    await screenshot(page, 'deploy-testhost-running');

    // The generated admin password works across the network boundary; the tuned value is live.
    const first = await revealConnectionString(page);
    await withDatabase(first, async (client) => {
      expect((await client.query<{ max_connections: string }>('show max_connections')).rows[0]?.max_connections).toBe(
        '50',
      );
      await client.query('create table notes (id serial primary key, body text not null)');
      await client.query(`insert into notes (body) values ('written before the re-deploy')`);
    });
    await closePanel(page);

    // Change max connections, save, re-deploy: a new desired config; the agent on the host restarts
    // PostgreSQL for this static setting. Same instance, same data.
    await page.locator('[data-testid="plan-node"][data-node-id="pg-1"]').click();
    await page.getByTestId('properties-panel').locator('[data-field="database.maxConnections"] input').fill('70');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('plan-save-status').innerText(), SOON).toBe('Saved · revision 2');
    await recordTones(page, '[data-testid="deployment-status"]');
    await deployButton.click();
    await dialog.getByTestId('deploy-confirm').click();
    await panel(page).waitFor();
    await waitOrangeThenGreen(page, GREEN_TIMEOUT);
    mark('re-deployed and applied by the agent: green');
    expect(await panel(page).getByTestId('deployment-host').innerText()).toBe(host);
    // Green means applied: the operation waited for the agent's report, so the new value is live now.
    expect(
      await withDatabase(
        first,
        async (client) => (await client.query('show max_connections')).rows[0]?.max_connections,
      ),
    ).toBe('70');
    await log.locator('[data-kind="step"][data-step="agent-applied"][data-status="done"]').first().waitFor();
    await withDatabase(first, async (client) => {
      const notes = await client.query<{ body: string }>('select body from notes');
      expect(notes.rows.map((note) => note.body)).toEqual(['written before the re-deploy']);
    });
    expect(emulator.instances().filter((i) => i.state !== 'terminated')).toHaveLength(1);

    // Destroy (the panel is still open from the re-deploy): the instance is terminated, its host
    // and network namespace go away.
    await panel(page).getByTestId('deployment-destroy').click();
    const destroy = page.getByTestId('destroy-dialog');
    await destroy.getByTestId('destroy-confirm-name').fill(PLAN_NAME);
    await destroy.getByTestId('destroy-confirm').click();
    await expect.poll(() => tone(editorStatus(page)), { timeout: 120_000, interval: 500 }).toBe('not_deployed');
    mark('destroyed');
    await expect
      .poll(() => emulator.instances().find((i) => i.instanceId === instance?.instanceId)?.state, SOON)
      .toBe('terminated');
    await expect
      .poll(() => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.includes(instance!.instanceId), SOON)
      .toBe(false);
    // …and so do the agent's role and instance profile.
    expect(emulator.iam()).toEqual({ roles: [], instanceProfiles: [] });
    expect(owner.pageErrors).toEqual([]);
  });
});

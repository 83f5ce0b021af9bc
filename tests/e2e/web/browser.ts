import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { repoRoot } from '../../support/env-file.js';

/** Debian's Chromium with the flags that work on these machines (see docs/ENVIRONMENT traps). */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PASSWORD = 'correct-horse-battery-9';
export const SCREENSHOT_DIR = path.join(repoRoot, 'artifacts', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    // No system D-Bus: run as root, Chromium's calls make systemd-logind chown /dev/null to
    // root:tty 0620, after which every non-root process (initdb of the local deploy target)
    // fails with "cannot open /dev/null: Permission denied".
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent' },
  });
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A fresh context (own cookies and localStorage) that records page errors for assertions. */
export async function newContext(
  browser: Browser,
  webUrl: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext & { pageErrors: string[] }> {
  const context = Object.assign(
    await browser.newContext({ baseURL: webUrl, viewport: { width: 1280, height: 800 }, ...options }),
    { pageErrors: [] as string[] },
  );
  context.on('page', (page) => page.on('pageerror', (error) => context.pageErrors.push(error.message)));
  return context;
}

/** Saves artifacts/screenshots/<name>.png (CI output), with no hover state or running animation. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const viewport = page.viewportSize();
  await page.mouse.move(1, (viewport?.height ?? 800) - 1);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function csrfOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((candidate) => candidate.name === 'ed_csrf');
  return cookie?.value ?? '';
}

/**
 * Calls the API through the web origin with the context's cookies, exactly like the app:
 * Origin + x-csrf-token on writes, x-tenant-id when given. Used for test set-up only.
 */
export async function apiCall<T>(
  context: BrowserContext,
  webUrl: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  urlPath: string,
  body?: unknown,
  tenantId?: string,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { origin: webUrl };
  if (method !== 'GET') headers['x-csrf-token'] = await csrfOf(context);
  if (tenantId) headers['x-tenant-id'] = tenantId;
  const response = await context.request.fetch(`${webUrl}/api${urlPath}`, { method, headers, data: body });
  const text = await response.text();
  return { status: response.status(), body: (text ? JSON.parse(text) : undefined) as T };
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
}

/** Signs up through the API; the context then carries the session cookies. */
export async function signUpWithApi(context: BrowserContext, webUrl: string, label: string): Promise<TestUser> {
  const email = uniqueEmail(label);
  const name = `${label[0]?.toUpperCase() ?? ''}${label.slice(1)} Tester`;
  const response = await apiCall<{ user: TestUser }>(context, webUrl, 'POST', '/auth/signup', {
    email,
    name,
    password: PASSWORD,
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.user;
}

export async function createWorkspaceWithApi(context: BrowserContext, webUrl: string, name: string): Promise<string> {
  const response = await apiCall<{ tenant: { id: string } }>(context, webUrl, 'POST', '/tenants', { name });
  if (response.status !== 201) throw new Error(`create workspace failed: ${response.status}`);
  return response.body.tenant.id;
}

/** Owner (in ownerContext) invites `member` with `role`; the member accepts through the API. */
export async function addMemberWithApi(
  ownerContext: BrowserContext,
  memberContext: BrowserContext,
  webUrl: string,
  tenantId: string,
  member: TestUser,
  role: 'viewer' | 'editor' | 'admin',
): Promise<void> {
  const invited = await apiCall<{ token: string }>(
    ownerContext,
    webUrl,
    'POST',
    '/invitations',
    { email: member.email, role },
    tenantId,
  );
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await apiCall(memberContext, webUrl, 'POST', '/invitations/accept', { token: invited.body.token });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** The workspace id in an /app/<id>/… URL. */
export function workspaceIdOf(url: string): string {
  const match = /\/app\/([0-9a-f-]{36})/.exec(url);
  if (!match?.[1]) throw new Error(`not a workspace URL: ${url}`);
  return match[1];
}

export const WORKSPACE_URL = /\/app\/[0-9a-f-]{36}(\/.*)?$/;

/** The workspace navigation (desktop sidebar). */
export function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'Workspace' });
}

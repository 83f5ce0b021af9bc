// Seeds the demo user and workspace through the public API, so the seed exercises the same
// path as a real signup. Idempotent: a second run logs in and reuses the workspace.
export const DEMO_USER = { email: 'demo@elasticdash.local', name: 'Demo User', password: 'demo-password-1' };
export const DEMO_WORKSPACE = 'Demo workspace';

function cookiesOf(response) {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
}

export async function seedDemo(gatewayUrl, origin) {
  const json = { 'content-type': 'application/json', origin };
  let response = await fetch(`${gatewayUrl}/api/auth/signup`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(DEMO_USER),
  });
  if (response.status === 409) {
    response = await fetch(`${gatewayUrl}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password }),
    });
  }
  if (!response.ok) throw new Error(`demo sign-in failed: ${response.status} ${await response.text()}`);
  const cookies = cookiesOf(response);
  const csrf = cookies.find((cookie) => cookie.startsWith('ed_csrf='))?.slice('ed_csrf='.length) ?? '';
  const headers = { cookie: cookies.join('; '), 'x-csrf-token': csrf, origin };
  const mine = await (await fetch(`${gatewayUrl}/api/tenants`, { headers })).json();
  let tenant = mine.tenants?.find((candidate) => candidate.name === DEMO_WORKSPACE);
  if (!tenant) {
    const created = await fetch(`${gatewayUrl}/api/tenants`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: DEMO_WORKSPACE }),
    });
    if (!created.ok) throw new Error(`demo workspace failed: ${created.status} ${await created.text()}`);
    tenant = (await created.json()).tenant;
  }
  return { user: DEMO_USER, tenant, headers };
}

export const DEMO_SHOP_CONNECTION = 'Demo shop';

/**
 * Registers the demo shop database as a connection of the demo workspace (once). The
 * connection is tested by svc-connections like any other; on a server with trust auth any
 * password is accepted, so a placeholder stands in when the admin URL has none.
 */
export async function registerDemoShop(gatewayUrl, { headers, tenant }, settings) {
  const tenantHeaders = { ...headers, 'x-tenant-id': tenant.id };
  const list = await fetch(`${gatewayUrl}/api/connections`, { headers: tenantHeaders });
  if (!list.ok) throw new Error(`listing connections failed: ${list.status} ${await list.text()}`);
  const existing = (await list.json()).connections.find((connection) => connection.name === DEMO_SHOP_CONNECTION);
  if (existing) return existing;
  const created = await fetch(`${gatewayUrl}/api/connections`, {
    method: 'POST',
    headers: { ...tenantHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: DEMO_SHOP_CONNECTION,
      settings: {
        host: settings.host,
        port: settings.port,
        database: settings.database,
        user: settings.user,
        sslMode: 'disable',
        caCert: null,
      },
      password: settings.password || 'trust-auth-needs-no-password',
      readOnly: false,
    }),
  });
  if (!created.ok) throw new Error(`registering the demo shop failed: ${created.status} ${await created.text()}`);
  return (await created.json()).connection;
}

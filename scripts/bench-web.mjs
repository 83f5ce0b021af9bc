// `pnpm bench:web`: Lighthouse 12 on the web app's login page and signed-in home page.
//
// Needs a running platform (e.g. `npm start`); this script does not start one.
//   WEB_URL        default http://127.0.0.1:3000
//   DEMO_EMAIL     default demo@elasticdash.local     (the user `npm start` seeds)
//   DEMO_PASSWORD  default demo-password-1
//   CHROME_PATH    default /usr/bin/chromium
//   BENCH_PAGES    comma list of landing,login,home (default login,home)
//   LH_PRESET      mobile (default, Lighthouse's own default: emulated phone + throttling) or desktop
//   BENCH_RUNS     runs per page, default 3; the median score counts (Lighthouse's advice, as a
//                  single run varies by several points on a busy machine)
// Prints performance / accessibility / best-practices per page against the targets, writes the
// HTML reports to artifacts/lighthouse/, and exits 1 when a score is below its target.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB_URL = (process.env.WEB_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const DEMO_EMAIL = process.env.DEMO_EMAIL ?? 'demo@elasticdash.local';
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'demo-password-1';
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const PAGES = (process.env.BENCH_PAGES ?? 'login,home').split(',').map((name) => name.trim());
const PRESET = process.env.LH_PRESET === 'desktop' ? 'desktop' : 'mobile';
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3) || 3);
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TARGETS = { performance: 90, accessibility: 95, 'best-practices': 95 };
const REPORT_DIR = path.join(repoRoot, 'artifacts', 'lighthouse');

function fail(message) {
  console.error(`[bench:web] ${message}`);
  process.exit(1);
}

/** Logs the demo user in through the web origin; returns the Cookie header and the home URL. */
async function signIn() {
  let response;
  try {
    response = await fetch(`${WEB_URL}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB_URL },
      body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
    });
  } catch (error) {
    fail(`cannot reach ${WEB_URL} (${error.cause?.code ?? error.message}). Start the platform first (npm start).`);
  }
  if (!response.ok) {
    fail(`login as ${DEMO_EMAIL} failed: ${response.status} ${await response.text()} (set DEMO_EMAIL / DEMO_PASSWORD)`);
  }
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const tenants = await fetch(`${WEB_URL}/api/tenants`, { headers: { cookie } });
  const body = tenants.ok ? await tenants.json() : { tenants: [] };
  const first = body.tenants?.[0];
  // The workspace overview; with no workspace, /app shows "create your first workspace".
  return { cookie, homePath: first ? `/app/${first.id}` : '/app' };
}

/** Starts Chromium with a DevTools port (0 = any free one) and resolves with that port. */
function startChrome() {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'ed-bench-web-'));
  const child = spawn(
    CHROME_PATH,
    [...CHROME_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGKILL');
    await exited;
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Chromium did not start within 20 s:\n${stderr}`));
    }, 20_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${CHROME_PATH}: ${error.message} (apt-get install -y chromium)`));
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stop });
      }
    });
  });
}

/** One Lighthouse run: scores (0-100), the audits that cost points, the HTML report. */
async function audit(port, name, url, headers) {
  const result = await lighthouse(
    url,
    {
      port,
      output: 'html',
      logLevel: 'error',
      onlyCategories: Object.keys(TARGETS),
      // Cookies are cleared with the rest of the storage before each run (a cold load);
      // the session travels as a header instead.
      extraHeaders: headers,
    },
    PRESET === 'desktop' ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const finalUrl = lhr.finalDisplayedUrl ?? lhr.finalUrl;
  if (name === 'home' && new URL(finalUrl).pathname.startsWith('/login')) {
    throw new Error(`home ended on ${finalUrl}: the session was not accepted`);
  }
  const scores = Object.fromEntries(
    Object.keys(TARGETS).map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
  );
  // The audits that cost points, to act on a failing score without opening the report.
  const lost = Object.keys(TARGETS).flatMap((id) =>
    (lhr.categories[id]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 0.9)
      .map(
        (ref) => `${id}: ${lhr.audits[ref.id].title} (${lhr.audits[ref.id].displayValue ?? lhr.audits[ref.id].score})`,
      ),
  );
  return { scores, lost, url: finalUrl, report: result.report };
}

function pad(value, width) {
  return String(value).padEnd(width);
}

async function main() {
  const { cookie, homePath } = await signIn();
  const pages = {
    landing: { url: `${WEB_URL}/`, headers: {} },
    login: { url: `${WEB_URL}/login`, headers: {} },
    home: { url: `${WEB_URL}${homePath}`, headers: { Cookie: cookie } },
  };
  for (const name of PAGES) if (!pages[name]) fail(`unknown page "${name}" in BENCH_PAGES (landing, login, home)`);

  mkdirSync(REPORT_DIR, { recursive: true });
  const chrome = await startChrome();
  const rows = [];
  try {
    for (const name of PAGES) {
      const { url, headers } = pages[name];
      const started = Date.now();
      const runs = [];
      for (let run = 0; run < RUNS; run += 1) runs.push(await audit(chrome.port, name, url, headers));
      // The run with the median performance score stands for the page (its report is kept).
      runs.sort((a, b) => a.scores.performance - b.scores.performance);
      const median = runs[Math.floor(runs.length / 2)];
      const scores = Object.fromEntries(
        Object.keys(TARGETS).map((id) => {
          const sorted = runs.map((r) => r.scores[id]).sort((a, b) => a - b);
          return [id, sorted[Math.floor(sorted.length / 2)]];
        }),
      );
      writeFileSync(path.join(REPORT_DIR, `${name}.html`), median.report);
      rows.push({
        name,
        url: median.url,
        scores,
        spread: runs.map((r) => r.scores.performance).join('/'),
        lost: median.lost,
        seconds: (Date.now() - started) / 1000,
      });
    }
  } finally {
    await chrome.stop();
  }

  const ids = Object.keys(TARGETS);
  console.log(`\nLighthouse 12 (${PRESET}, median of ${RUNS} run${RUNS === 1 ? '' : 's'}) on ${WEB_URL}\n`);
  console.log(`${pad('page', 10)}${ids.map((id) => pad(id, 17)).join('')}${pad('perf runs', 14)}time`);
  console.log(`${pad('target', 10)}${ids.map((id) => pad(`≥ ${TARGETS[id]}`, 17)).join('')}`);
  let failed = false;
  for (const row of rows) {
    const cells = ids.map((id) => {
      const ok = row.scores[id] >= TARGETS[id];
      if (!ok) failed = true;
      return pad(`${row.scores[id]}${ok ? '' : '  ✗'}`, 17);
    });
    console.log(`${pad(row.name, 10)}${cells.join('')}${pad(row.spread, 14)}${row.seconds.toFixed(1)} s`);
  }
  for (const row of rows) {
    if (row.lost.length === 0) continue;
    console.log(`\n${row.name} (${row.url}), median run, lost points on:`);
    for (const line of row.lost) console.log(`  - ${line}`);
  }
  console.log(`\nReports: ${path.relative(process.cwd(), REPORT_DIR)}/<page>.html`);
  if (failed) {
    console.error('\n[bench:web] below target');
    process.exit(1);
  }
}

main().catch((error) => fail(error.stack ?? String(error)));

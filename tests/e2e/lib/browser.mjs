// Browser fixtures for the web UI tests: Debian's Chromium driven by playwright-core (never a
// downloaded browser), the console watched for errors, a screenshot and an accessibility check
// (axe-core) of every page visited, and small bounded waits (playwright-core has no `expect`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkAccessibility } from './accessibility.mjs';

// CTest names the copy of playwright-core its build installed; by hand, `npm ci` in tests/e2e.
const PLAYWRIGHT = process.env.HOOKLINE_PLAYWRIGHT_CORE;
const { chromium } = await import(PLAYWRIGHT ? pathToFileURL(PLAYWRIGHT).href : 'playwright-core');

export const CHROMIUM = process.env.HOOKLINE_CHROMIUM ?? '/usr/bin/chromium';
export const WEB_ROOT = process.env.HOOKLINE_WEB_ROOT;
if (!WEB_ROOT) throw new Error('HOOKLINE_WEB_ROOT must name the built web UI (ctest sets it)');
const SHOTS = process.env.HOOKLINE_SCREENSHOTS ?? join(process.cwd(), 'e2e-screenshots');

export const WAIT_MS = 10000;

// Starts Chromium headless with the flags this machine needs (no network beyond loopback, no GPU),
// in a new empty profile that Playwright makes for each launch.
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

// A page of a fresh context whose console errors and uncaught exceptions are collected, and
// which takes numbered screenshots into <screenshots>/<suite>/. Each screenshot also checks the
// page with axe-core and throws on a serious or critical violation, so every page a test shows is
// checked without the test asking.
export async function openPage(browser, baseURL, suite) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(20000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  const dir = join(SHOTS, suite);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    page,
    context,
    problems,
    async shot(name) {
      n += 1;
      const file = join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file, fullPage: true });
      await checkAccessibility(page, `${suite}/${name}`);
      return file;
    },
    async close() {
      await context.close();
    },
  };
}

// Waits until the locator's text matches, or fails saying what it saw.
export async function expectText(locator, pattern, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = (await locator.first().innerText({ timeout: 500 })) ?? '';
      if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
    } catch {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `expected text ${pattern} within ${timeout} ms; last seen: ${JSON.stringify(last.slice(0, 500))}`,
  );
}

export async function expectVisible(locator, timeout = WAIT_MS) {
  await locator.first().waitFor({ state: 'visible', timeout });
}

export async function expectHidden(locator, timeout = WAIT_MS) {
  await locator.first().waitFor({ state: 'hidden', timeout });
}

export async function expectCount(locator, count, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last = -1;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last === count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${count} elements within ${timeout} ms, saw ${last}`);
}

// Signs in through the form with the given key.
export async function signIn(ui, key) {
  const { page } = ui;
  await page.goto('/');
  await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('navigation', { name: 'Main' }));
}

// Goes to a section through the left navigation, as a user would; the section's page is checked
// for accessibility like a screenshot's.
export async function nav(ui, label) {
  await ui.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await expectVisible(ui.page.getByRole('heading', { level: 1, name: label }));
  await checkAccessibility(ui.page, `nav to ${label}`);
}

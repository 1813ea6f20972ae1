// What every browser test file sets up: one server (serving the built UI) and one Chromium for all
// its tests, the loopback receivers it names, and a page per test that is signed in, checked for
// errors at the end and closed whatever happens.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, API_KEY } from '../../integration/lib/harness.mjs';
import { launch, openPage, signIn, WEB_ROOT } from './browser.mjs';

// Registers the file's before and after hooks. `args`: extra `hookline serve` flags; `receivers`:
// {name: respond} for startReceiver; `setup(suite)`: what the file makes through the API before
// its tests (in this hook: node 20 runs a file's top-level before hooks at the same time).
// Returns {server, browser, receivers}, filled in before the first test runs.
export function browserSuite({ args = [], receivers = {}, setup } = {}) {
  const suite = { server: null, browser: null, receivers: {} };
  before(async () => {
    suite.server = await startServer({ args: ['--web-root', WEB_ROOT, ...args] });
    for (const [name, respond] of Object.entries(receivers)) {
      suite.receivers[name] = await startReceiver(respond);
    }
    suite.browser = await launch();
    await setup?.(suite);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
    for (const receiver of Object.values(suite.receivers)) await receiver.close();
  });
  return suite;
}

// Runs `body(ui)` on a new page whose screenshots go to <screenshots>/<name>/, signed in with `key`
// first (null: not signed in). Then the page must have logged no error, except the browser's note
// of a refused request with one of the `allow` statuses: the API answering as designed.
// withPage(suite, name, body) or withPage(suite, name, {key, allow}, body).
export async function withPage(suite, name, ...args) {
  const body = args.pop();
  const { key = API_KEY, allow = [] } = args[0] ?? {};
  const ui = await openPage(suite.browser, suite.server.baseUrl, name);
  try {
    if (key) await signIn(ui, key);
    await body(ui);
    assertNoProblems(ui, allow);
  } finally {
    await ui.close();
  }
}

export function assertNoProblems(ui, allow = []) {
  const refused = new RegExp(
    `Failed to load resource: the server responded with a status of (${allow.join('|')})\\b`,
  );
  assert.deepEqual(
    ui.problems.filter((p) => !(allow.length && refused.test(p))),
    [],
  );
}

// POST through the API, asserting the 201; returns what was created.
export async function apiCreate(server, path, body) {
  const res = await server.api('POST', path, body);
  assert.equal(res.status, 201, `POST ${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

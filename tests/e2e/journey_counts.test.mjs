// A journey's counts in the console: made through the API (trigger -> condition on the order's
// total -> yes: webhook / no: exit), activated and run by events that take both branches. The
// journeys list shows its totals as the API gives them (at a narrow width too); the builder shows
// them in a strip, labels the condition's yes and no wires with how many took each, keeps them
// moving while the journey runs without undoing unsaved edits, and says so when a refresh fails
// (the server down, the journey deleted) while keeping the counts it had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectHidden, expectText, expectVisible, nav } from './lib/browser.mjs';
import { blockOfType } from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const REFRESH_WAIT = 15000; // the builder reads the counts every 4 s

const made = {};
const suite = browserSuite({
  receivers: { crm: () => ({ status: 200, body: 'ok' }) },
  setup: async ({ server, receivers }) => {
    made.webhook = await apiCreate(server, '/v1/webhooks', {
      name: 'Big orders',
      url: `${receivers.crm.url}/big`, // no events of its own: only the journeys call it
    });
  },
});

// trigger -> condition (total > 100) -> yes: webhook / no: exit, without positions (laid out by
// the builder), activated.
async function makeJourney(name, event) {
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name,
    blocks: [
      { id: 't', type: 'trigger', config: { event, filters: [] } },
      { id: 'c', type: 'condition', config: { field: 'event_details.total', op: 'gt', value: 100 } },
      { id: 'w', type: 'webhook', config: { webhook_id: made.webhook.id } },
      { id: 'x', type: 'exit' },
    ],
    edges: [
      { source: 't', target: 'c' },
      { source: 'c', target: 'w', branch: 'yes' },
      { source: 'c', target: 'x', branch: 'no' },
    ],
  });
  const res = await suite.server.api('POST', `/v1/journeys/${journey.id}/activate`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return journey;
}

async function order(event, email, total) {
  const res = await suite.server.api('POST', '/v1/events', {
    event,
    contact: { email },
    event_details: { total },
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

async function journeyOf(id) {
  return (await suite.server.api('GET', `/v1/journeys/${id}`)).body;
}

// Waits until the API counts `expected` runs through the journey's condition.
async function settled(id, { yes, no }) {
  await waitFor(
    async () => {
      const j = await journeyOf(id);
      return j.stats.c.yes === yes && j.stats.c.no === no;
    },
    { timeoutMs: 20000 },
  );
  return journeyOf(id);
}

function edge(page, branch) {
  return page.locator(`.react-flow__edge.edge-${branch}`);
}

// Waits until the label of the condition's yes or no wire reads `text` (SVG text: no innerText).
async function expectLabel(page, branch, text, timeout = 10000) {
  const label = edge(page, branch).locator('.react-flow__edge-text');
  let last = null;
  await waitFor(
    async () => {
      last = (await label.count()) ? await label.first().textContent() : null;
      return last === text;
    },
    { timeoutMs: timeout, intervalMs: 100 },
  ).catch(async () => {
    // What the canvas has, to tell a wire not drawn from one drawn without its label.
    const wires = await page
      .locator('.react-flow__edge')
      .evaluateAll((es) => es.map((e) => `${e.getAttribute('class')}: ${e.textContent}`));
    const canvas = await canvasState(page);
    if (process.env.HOOKLINE_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.HOOKLINE_SCREENSHOTS}/journey-counts-missing-label.png` });
    }
    const saw = JSON.stringify(last);
    throw new Error(
      `expected the ${branch} wire labelled ${JSON.stringify(text)}; saw ${saw}; wires ${JSON.stringify(wires)}; canvas ${JSON.stringify(canvas)}`,
    );
  });
}

// What the canvas shows, for a failure's message.
async function canvasState(page) {
  return page.evaluate(() => ({
    url: location.pathname,
    nodes: [...document.querySelectorAll('.react-flow__node')].map((n) => {
      const box = n.getBoundingClientRect();
      return `${n.getAttribute('data-id')} ${box.width}x${box.height} ${getComputedStyle(n).visibility}`;
    }),
    edges: document.querySelector('.react-flow__edges')?.outerHTML.slice(0, 400) ?? 'no edges layer',
    handles: document.querySelectorAll('.react-flow__handle').length,
  }));
}

// Opens the journey's builder from the list, and waits for its three wires. In two full CI runs
// (never alone) the canvas once showed its blocks without any wire for over 10 s; reloading drew
// them. Until that is understood, a missing wire after 5 s is logged with the canvas's state and
// the page reloaded once; a second miss fails.
async function openBuilder(ui, name) {
  const { page } = ui;
  await nav(ui, 'Journeys');
  await page.getByRole('table', { name: 'Journeys' }).getByRole('link', { name }).click();
  await expectVisible(page.locator('.react-flow__node'));
  await expectText(page.locator('.builder-name .badge'), 'Active');
  const wired = () =>
    waitFor(async () => (await page.locator('.react-flow__edge').count()) === 3, {
      timeoutMs: 5000,
      intervalMs: 100,
    });
  try {
    await wired();
  } catch {
    console.error(`journey_counts: no wires drawn for ${name}: ${JSON.stringify(await canvasState(page))}`);
    await page.reload();
    await expectVisible(page.locator('.react-flow__node'));
    await wired();
  }
}

test('the list and the builder show the totals and the yes/no counts the API gives', async () => {
  const journey = await makeJourney('Big orders to the CRM', 'order.paid');
  const before = suite.receivers.crm.requests.length;
  await order('order.paid', 'maria@example.com', 150); // yes: the webhook
  await order('order.paid', 'joao@example.com', 50); // no: the exit
  await order('order.paid', 'ana@example.com', 320); // yes
  const shown = await settled(journey.id, { yes: 2, no: 1 });
  await waitFor(() => suite.receivers.crm.requests.length === before + 2, { timeoutMs: 20000 });
  assert.deepEqual(shown.totals, { entered: 3, waiting: 0, completed: 2, exited: 1, converted: 0 });

  await withPage(suite, 'journey-counts', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Journeys');
    const row = page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('row')
      .filter({ hasText: 'Big orders to the CRM' });
    for (const [key, value] of Object.entries(shown.totals)) {
      await expectText(row.locator(`td[data-total="${key}"]`), new RegExp(`^${value}$`));
    }
    for (const heading of ['Entered', 'Waiting now', 'Completed', 'Exited']) {
      await expectVisible(page.getByRole('columnheader', { name: heading, exact: true }));
    }
    await ui.shot('journeys-list-totals');

    // Narrow: the counts stay, in the card; Blocks and Last changed give way.
    await page.setViewportSize({ width: 820, height: 900 });
    await expectHidden(page.getByRole('columnheader', { name: 'Last changed' }));
    const fits = await page
      .getByRole('table', { name: 'Journeys' })
      .evaluate((t) => t.scrollWidth <= t.parentElement.clientWidth + 1);
    assert.ok(fits, 'the table fits its card at 820 px');
    await expectVisible(row.locator('td[data-total="exited"]'));
    await ui.shot('journeys-list-narrow');
    await page.setViewportSize({ width: 1440, height: 900 });

    // The builder: the totals strip, and each wire out of the condition with its count.
    await row.getByRole('link', { name: 'Big orders to the CRM' }).click();
    await expectVisible(page.locator('.react-flow__node'));
    const totals = page.getByRole('region', { name: 'Journey totals' });
    for (const [key, value] of Object.entries(shown.totals)) {
      await expectText(totals.locator(`[data-total="${key}"] dd`), new RegExp(`^${value}$`));
    }
    await expectLabel(page, 'yes', 'Yes · 2');
    await expectLabel(page, 'no', 'No · 1');
    assert.equal(await edge(page, 'yes').getAttribute('aria-label'), 'c yes to w: 2 contacts');
    assert.equal(await edge(page, 'no').getAttribute('aria-label'), 'c no to x: 1 contact');
    await expectText(blockOfType(page, 'exit').locator('[data-stat="entered"]'), '1');
    await ui.shot('builder-counts');
  });
});

test('counts keep moving while the journey runs, without undoing unsaved edits', async () => {
  const journey = await makeJourney('Live orders', 'order.shipped');
  await order('order.shipped', 'maria@example.com', 500);
  await settled(journey.id, { yes: 1, no: 0 });

  await withPage(suite, 'journey-counts-live', async (ui) => {
    const { page } = ui;
    await openBuilder(ui, 'Live orders');
    await expectLabel(page, 'yes', 'Yes · 1');
    await expectLabel(page, 'no', 'No · 0');

    // An unsaved rename: the next counts arrive, the name and the unsaved state stay.
    await page.getByLabel('Journey name').fill('Live orders (renamed)');
    await expectText(page.locator('.builder-name'), 'Unsaved changes');
    await order('order.shipped', 'joao@example.com', 20);
    await settled(journey.id, { yes: 1, no: 1 });
    await expectLabel(page, 'no', 'No · 1', REFRESH_WAIT);
    await expectText(
      page.getByRole('region', { name: 'Journey totals' }).locator('[data-total="exited"] dd'),
      '1',
    );
    assert.equal(await page.getByLabel('Journey name').inputValue(), 'Live orders (renamed)');
    await expectText(page.locator('.builder-name'), 'Unsaved changes');
    await ui.shot('counts-moved-edits-kept');

    // Saved, the name is the server's and the counts go on.
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    assert.equal((await journeyOf(journey.id)).name, 'Live orders (renamed)');
    await order('order.shipped', 'ana@example.com', 101);
    await settled(journey.id, { yes: 2, no: 1 });
    await expectLabel(page, 'yes', 'Yes · 2', REFRESH_WAIT);
    assert.equal(await page.getByLabel('Journey name').inputValue(), 'Live orders (renamed)');
  });
});

test('a failed refresh says so, keeps the last counts, and clears when one succeeds', async () => {
  const journey = await makeJourney('Flaky orders', 'order.refunded');
  await order('order.refunded', 'maria@example.com', 150);
  await order('order.refunded', 'joao@example.com', 10);
  await settled(journey.id, { yes: 1, no: 1 });

  // Refused requests are the point here: the browser notes each 503 and 404 in the console.
  await withPage(suite, 'journey-counts-refresh-error', { allow: [404, 503] }, async (ui) => {
    const { page } = ui;
    await openBuilder(ui, 'Flaky orders');
    await expectLabel(page, 'yes', 'Yes · 1');
    const notice = page.getByRole('status').filter({ hasText: 'Could not refresh the counts' });

    // The server answers 503 for a while: the notice, with its words; the counts stay.
    let refused = 0;
    await page.route(`**/v1/journeys/${journey.id}`, (route) => {
      refused += 1;
      return route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'the database is busy' } }),
      });
    });
    await expectText(notice, 'The database is busy.', REFRESH_WAIT);
    assert.ok(refused >= 1);
    await expectLabel(page, 'yes', 'Yes · 1');
    await expectLabel(page, 'no', 'No · 1');
    await expectText(
      page.getByRole('region', { name: 'Journey totals' }).locator('[data-total="entered"] dd'),
      '2',
    );
    await ui.shot('refresh-failed');

    // It answers again: the notice goes, the counts move.
    await page.unroute(`**/v1/journeys/${journey.id}`);
    await order('order.refunded', 'ana@example.com', 999);
    await settled(journey.id, { yes: 2, no: 1 });
    await expectHidden(notice, REFRESH_WAIT);
    await expectLabel(page, 'yes', 'Yes · 2', REFRESH_WAIT);

    // Deleted elsewhere: the next refresh gets 404, said as a notice, not an error on the page.
    const res = await suite.server.api('DELETE', `/v1/journeys/${journey.id}`);
    assert.equal(res.status, 204);
    await expectText(notice, /no longer has this journey/, REFRESH_WAIT);
    await expectVisible(blockOfType(page, 'webhook'));
    await expectLabel(page, 'yes', 'Yes · 2');
    await ui.shot('refresh-journey-deleted');
  });
});

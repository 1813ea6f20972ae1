// The dashboard and the statistics pages show the server's numbers (GET /v1/stats), not numbers
// computed in the browser: the empty state before any delivery; then, with one webhook whose
// receiver answers 200 and one whose receiver answers 500 (two tries each, then dead), the totals,
// the charts, the webhooks worst first, the window switch, the webhooks list's "Success (24h)" and
// a webhook's own panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

// Two tries per delivery, 100 ms apart: a failing delivery is dead within a moment.
const suite = browserSuite({
  args: ['--retry-schedule', '0s,100ms'],
  receivers: {
    ok: () => ({ status: 200, body: 'ok' }),
    failing: () => ({ status: 500, body: 'boom' }),
  },
});

const hooks = {};

async function stats(query = '') {
  const res = await suite.server.api('GET', `/v1/stats${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

// The tile of the dashboard's (or a panel's) description list named `label`.
function tile(page, label, scope = page.locator('main')) {
  return scope.locator('.stat-tile').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
}

// How many pixels of the canvas are close to one of `colors` ([r, g, b]): bars or lines drawn.
function paintedPixels(canvas, colors) {
  return canvas.evaluate((el, wanted) => {
    const { data } = el.getContext('2d').getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 200) continue;
      if (wanted.some(([r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30)) n++;
    }
    return n;
  }, colors);
}

const GREEN = [0x15, 0x80, 0x3d]; // --success
const RED = [0xc6, 0x28, 0x28]; // --danger

test('before any delivery the dashboard is the first page and says there is nothing yet', async () => {
  await withPage(suite, 'dashboard-empty', async (ui) => {
    const { page } = ui;
    // Signing in lands on the dashboard, first in the navigation.
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Dashboard' }));
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    assert.equal((await links.first().innerText()).trim(), 'Dashboard');
    assert.equal(await links.first().getAttribute('aria-current'), 'page');
    await expectVisible(page.getByRole('heading', { name: 'No deliveries in the last 24 hours' }));
    const create = page.getByRole('link', { name: 'Create a webhook' });
    await expectVisible(create);
    await ui.shot('empty');
    await create.click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
  });
});

test('the dashboard, the webhooks list and a webhook page show the server numbers', async () => {
  const { server, receivers } = suite;
  hooks.good = await apiCreate(server, '/v1/webhooks', {
    name: 'Good CRM',
    url: `${receivers.ok.url}/good`,
    events: ['email.click'],
  });
  hooks.broken = await apiCreate(server, '/v1/webhooks', {
    name: 'Broken CRM',
    url: `${receivers.failing.url}/broken`,
    events: ['email.click'],
  });
  // Subscribed to nothing that happens: no tries, so no rate.
  hooks.quiet = await apiCreate(server, '/v1/webhooks', {
    name: 'Quiet CRM',
    url: `${receivers.ok.url}/quiet`,
    events: ['form.submit'],
  });
  for (const n of [1, 2]) {
    const res = await server.api('POST', '/v1/events', {
      event: 'email.click',
      contact: { email: `reader${n}@example.com` },
      event_details: { link: 'https://example.com/sale' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }
  // 2 deliveries succeed at the first try; 2 fail twice and die: 6 tries, 2 succeeded, 2 dead.
  await waitFor(async () => {
    const t = (await stats()).totals;
    return t.attempts === 6 && t.dead === 2;
  }, { timeoutMs: 20000 });
  const day = await stats();
  assert.deepEqual(
    { ...day.totals, latency_p50_ms: 0, latency_p95_ms: 0 },
    { attempts: 6, succeeded: 2, failed: 4, dead: 2, success_rate: 0.3333, latency_p50_ms: 0, latency_p95_ms: 0 },
  );
  // The failing webhook's breaker, as the dashboard should name it (it may move on while the test
  // reads: open, then half open once its back-off ends).
  const breakerLabel = ({ state, consecutive_failures: n }) =>
    state === 'open'
      ? 'Backing off'
      : state === 'half_open'
        ? 'Trying again'
        : n > 0
          ? `${n} failed tr${n === 1 ? 'y' : 'ies'} in a row`
          : 'Normal';
  const breakerLabels = async () => {
    const res = await server.api('GET', `/v1/webhooks/${hooks.broken.id}`);
    assert.ok(res.body.breaker, 'a webhook has its breaker');
    return breakerLabel(res.body.breaker);
  };

  await withPage(suite, 'dashboard', async (ui) => {
    const { page } = ui;
    const statsRequests = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/stats') statsRequests.push(new URL(r.url()).searchParams);
    });
    await page.goto('/');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Dashboard' }));
    const totals = page.locator('main dl.stat-tiles').first();
    await expectText(tile(page, 'Tries'), '6');
    assert.equal(await tile(page, 'Tries').locator('.stat-value').innerText(), '6');
    assert.equal(await tile(page, 'Tries').locator('.stat-detail').innerText(), '2 succeeded · 4 failed');
    await expectText(tile(page, 'Success rate'), '33.3%');
    await expectText(tile(page, 'Dead deliveries'), '2');
    assert.match(await tile(page, 'Latency p50').locator('.stat-value').innerText(), /^\d+ ms$/);
    assert.match(await tile(page, 'Latency p95').locator('.stat-value').innerText(), /^\d+ ms$/);
    assert.equal(await totals.getAttribute('aria-label'), 'Totals, last 24 hours');
    assert.doesNotMatch(await page.locator('main').innerText(), /NaN|undefined|Infinity/);

    // Both charts are drawn: named figures, a canvas each, with bars (green and red) and lines.
    const tries = page.getByRole('figure', { name: 'Tries per 15 minutes' });
    const latency = page.getByRole('figure', { name: 'Latency per 15 minutes' });
    await expectVisible(tries.locator('canvas'));
    await expectVisible(latency.locator('canvas'));
    await waitFor(async () => (await paintedPixels(tries.locator('canvas'), [GREEN])) > 20);
    assert.ok((await paintedPixels(tries.locator('canvas'), [RED])) > 20, 'failed tries are drawn in red');
    assert.ok(
      (await paintedPixels(latency.locator('canvas'), [[0x4f, 0x46, 0xe5], [0xb4, 0x53, 0x09]])) > 10,
      'the latency points are drawn',
    );
    // Pointing at the bar reads its step's numbers (the tries are in the window's last step, or
    // the one before when they straddled a step).
    const over = await tries.locator('.u-over').boundingBox();
    await page.mouse.move(over.x + over.width - 2, over.y + over.height - 4);
    await expectText(tries.locator('.chart-readout'), / · \d+ tries · \d+ succeeded · \d+ failed$/);
    await ui.shot('day-pointer');
    await page.mouse.move(0, 0);
    // What the chart shows can be read as text too.
    const chart = tries.getByRole('img', { name: 'Tries per 15 minutes' });
    const described = await chart.getAttribute('aria-describedby');
    assert.match(await page.locator(`[id="${described}"]`).innerText(), /^6 tries in the last 24 hours: 2 succeeded, 4 failed\./);
    // Its numbers as a table: the steps with tries (one, or two when the tries straddled a step).
    await tries.getByText('Show as table').click();
    const rows = (await tries.getByRole('table').locator('tbody tr').allInnerTexts()).map((r) => r.split('\t'));
    assert.ok(rows.length >= 1 && rows.length <= 2, JSON.stringify(rows));
    const sum = (col) => rows.reduce((n, r) => n + Number(r[col]), 0);
    assert.deepEqual([sum(1), sum(2), sum(3)], [6, 2, 4]);
    if (rows.length === 1) assert.equal(rows[0][4], '33.3%');

    // The webhooks, worst first: the failing one at 0.0% (its only delivery failed every try),
    // then the good one, then the one without tries, whose rate says why there is none.
    const table = page.getByRole('table', { name: 'Webhooks, worst first, in the last 24 hours' });
    const webhookRows = table.locator('tbody tr');
    await expectCount(webhookRows, 3);
    const cells = async (i) => (await webhookRows.nth(i).locator('td').allInnerTexts()).map((t) => t.trim());
    const before = await breakerLabels();
    const [first, second, third] = [await cells(0), await cells(1), await cells(2)];
    const after = await breakerLabels();
    assert.deepEqual(first.slice(0, 5), ['Broken CRM', '4', '0.0%', first[3], '2']);
    assert.match(first[3], /^\d+ ms$/);
    assert.ok([before, after].includes(first[5]), `breaker ${first[5]}, API said ${before} then ${after}`);
    assert.deepEqual(second.slice(0, 5), ['Good CRM', '2', '100.0%', second[3], '0']);
    assert.equal(second[5], 'Normal');
    assert.equal(third[0], 'Quiet CRM');
    assert.equal(third[1], '0');
    // A dash, with a label that says why (read by screen readers, shown on hover).
    assert.match(third[2], /^—\s+No tries in the last 24 hours$/);
    await expectVisible(webhookRows.nth(2).locator('[title="No tries in the last 24 hours"]').first());
    await ui.shot('day');

    // The window switch asks the server for another window, and keeps it in the address.
    const windows = page.getByRole('radiogroup', { name: 'Time window' });
    assert.equal(await windows.getByRole('radio', { name: '24 hours' }).isChecked(), true);
    assert.equal(statsRequests.at(-1).get('window'), '24h');
    const hourRequest = page.waitForRequest((r) => r.url().includes('/v1/stats') && r.url().includes('window=1h'));
    await windows.getByText('1 hour').click();
    await hourRequest;
    await expectVisible(page.getByRole('figure', { name: 'Tries per minute' }));
    await expectText(tile(page, 'Tries'), '6');
    assert.match(page.url(), /\?window=1h$/);
    assert.equal(await totals.getAttribute('aria-label'), 'Totals, last hour');
    await ui.shot('hour');
    const weekRequest = page.waitForRequest((r) => r.url().includes('/v1/stats') && r.url().includes('window=7d'));
    await windows.getByText('7 days').click();
    await weekRequest;
    await expectVisible(page.getByRole('figure', { name: 'Tries per hour' }));
    await expectText(tile(page, 'Success rate'), '33.3%');
    await ui.shot('week');
    // A reload keeps the window.
    await page.reload();
    await expectVisible(page.getByRole('figure', { name: 'Tries per hour' }));
    assert.equal(await page.getByRole('radio', { name: '7 days' }).isChecked(), true);

    // The webhooks list: "Success (24h)" from one GET /v1/stats, not from the deliveries.
    statsRequests.length = 0;
    await nav(ui, 'Webhooks');
    const list = page.getByRole('table', { name: 'Webhooks' });
    await expectVisible(list.getByRole('columnheader', { name: 'Success (24h)' }));
    const rowOf = (name) => list.locator('tbody tr').filter({ has: page.getByRole('link', { name }) });
    await expectText(rowOf('Broken CRM').locator('td').last(), /0\.0%\s+4 tries · 2 dead/);
    await expectText(rowOf('Good CRM').locator('td').last(), /100\.0%\s+2 tries/);
    await expectText(rowOf('Quiet CRM').locator('td').last(), 'No tries in the last 24 hours');
    assert.equal(statsRequests.length, 1, 'one stats request for the whole list');
    assert.equal(statsRequests[0].get('window'), '24h');
    assert.equal(statsRequests[0].get('webhook_id'), null);
    await ui.shot('webhooks-list');

    // A webhook's page: its own last 24 hours.
    await rowOf('Broken CRM').getByRole('link', { name: 'Broken CRM' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Broken CRM' }));
    const panel = page.getByRole('region', { name: 'Last 24 hours' });
    await expectText(tile(page, 'Tries', panel), '4');
    await expectText(tile(page, 'Success rate', panel), '0.0%');
    await expectText(tile(page, 'Dead deliveries', panel), '2');
    assert.match(await tile(page, 'Latency p95', panel).locator('.stat-value').innerText(), /^\d+ ms$/);
    await expectVisible(panel.locator('canvas'));
    await waitFor(async () => (await paintedPixels(panel.locator('canvas'), [RED])) > 10);
    assert.equal((await paintedPixels(panel.locator('canvas'), [GREEN])), 0, 'no try succeeded');
    assert.equal(statsRequests.at(-1).get('webhook_id'), hooks.broken.id);
    const shown = await panel.locator('.badge').innerText();
    assert.ok([await breakerLabels(), 'Backing off', 'Trying again'].includes(shown), shown);
    await ui.shot('webhook-panel');

    // The quiet webhook's panel: zeros, and dashes that say why.
    await page.goto(`/webhooks/${hooks.quiet.id}`);
    const quiet = page.getByRole('region', { name: 'Last 24 hours' });
    await expectText(tile(page, 'Tries', quiet), '0');
    await expectText(tile(page, 'Success rate', quiet), 'No tries in the last 24 hours');
    await expectText(quiet, 'No deliveries in the last 24 hours');
    assert.doesNotMatch(await quiet.innerText(), /NaN|undefined/);
    await ui.shot('webhook-panel-quiet');
  });
});

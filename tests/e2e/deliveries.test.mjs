// The delivery log in the browser: how long it is kept (the server's retention), filters (webhook,
// status, event, time), the detail of each attempt's request and response, Retry of a failed
// delivery, and "recover failed since".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

let flakyAnswer = 500;
const hooks = {};

// One try per round: a failing call is dead at once, and only a person brings it back. A
// retention other than the default, for the page to show.
const suite = browserSuite({
  args: ['--retry-schedule', '0s', '--retention', '7d'],
  receivers: {
    flaky: () => ({ status: flakyAnswer, body: flakyAnswer === 200 ? 'fine now' : 'boom' }),
    steady: () => ({ status: 200, body: 'ok' }),
  },
  setup: async ({ server, receivers }) => {
    hooks.orders = await apiCreate(server, '/v1/webhooks', {
      name: 'Orders',
      url: `${receivers.flaky.url}/orders`,
      events: ['order.paid'],
    });
    hooks.news = await apiCreate(server, '/v1/webhooks', {
      name: 'Newsletter',
      url: `${receivers.steady.url}/news`,
      events: ['email.open'],
    });
  },
});

async function post(event, details = {}) {
  const res = await suite.server.api('POST', '/v1/events', {
    event,
    contact: { email: 'maria@example.com' },
    event_details: details,
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

async function settled(webhookId, status, count) {
  await waitFor(
    async () => {
      const page = (await suite.server.api('GET', `/v1/deliveries?webhook_id=${webhookId}&status=${status}`))
        .body;
      return page.data.length >= count;
    },
    { timeoutMs: 20000 },
  );
}

test('filter the log, read an attempt, and retry a failed delivery', async () => {
  const { flaky } = suite.receivers;
  flakyAnswer = 500;
  await post('order.paid', { order_id: 'A-1' });
  await post('email.open', { campaign_name: 'Sample' });
  await settled(hooks.orders.id, 'dead', 1);
  await settled(hooks.news.id, 'succeeded', 1);

  await withPage(suite, 'deliveries', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Deliveries');
    const table = page.getByRole('table', { name: 'Deliveries' });
    const rows = table.locator('tbody tr');
    await expectCount(rows, 2);
    await expectText(table, 'Orders');
    await expectText(table, 'Newsletter');
    // How long the log is kept, from GET /v1/info (the server's --retention 7d).
    await expectText(
      page.locator('.page-header'),
      'Deliveries are kept for 7 days after they end; unfinished ones (pending, retrying, queued) are kept until they end.',
    );
    await ui.shot('log-all');

    // Status filter.
    await page.getByLabel('Status').selectOption({ label: 'Failed' });
    await expectCount(rows, 1);
    await expectText(rows.first(), 'Orders');
    await expectText(rows.first(), 'Failed');
    await expectText(rows.first(), '500');
    await ui.shot('log-failed');
    assert.match(page.url(), /status=dead/);

    // Event filter.
    await page.getByLabel('Status').selectOption({ label: 'Any status' });
    await page.getByLabel('Event').fill('email.open');
    await expectCount(rows, 1);
    await expectText(rows.first(), 'Newsletter');
    await expectText(rows.first(), 'Succeeded');

    // Webhook filter.
    await page.getByLabel('Event').fill('');
    await page.getByLabel('Webhook').selectOption({ label: 'Orders' });
    await expectCount(rows, 1);
    await expectText(rows.first(), 'order.paid');

    // Time filter: nothing is newer than tomorrow.
    const tomorrow = new Date(Date.now() + 86400000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60000)
      .toISOString()
      .slice(0, 16);
    await page.getByLabel('From').fill(local);
    await expectVisible(page.getByText('No delivery matches these filters'));
    await ui.shot('log-time-filter-empty');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount(rows, 2);

    // The failed delivery: its attempt shows the request sent and the 500 answer.
    await rows.filter({ hasText: 'Orders' }).getByRole('link').click();
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Attempts' }));
    const first = page.locator('details.attempt[data-attempt="1"]');
    await expectText(first.locator('summary'), 'HTTP 500');
    await expectText(first.getByRole('region', { name: 'Attempt 1 request' }), `${flaky.url}/orders`);
    await expectText(first.getByRole('region', { name: 'Attempt 1 request' }), 'webhook-id');
    await expectText(first.getByRole('region', { name: 'Attempt 1 response' }), 'boom');
    await expectText(page.locator('.summary-grid'), 'Failed');
    await ui.shot('detail-failed');

    // The receiver is fixed; Retry, once confirmed, sends it again and it succeeds.
    flakyAnswer = 200;
    await page.getByRole('button', { name: 'Retry' }).click();
    await page
      .getByRole('dialog', { name: 'Send this delivery again?' })
      .getByRole('button', { name: 'Send again' })
      .click();
    const second = page.locator('details.attempt[data-attempt="2"]');
    await expectText(second.locator('summary'), 'HTTP 200', 20000);
    await expectText(second.getByRole('region', { name: 'Attempt 2 response' }), 'fine now');
    await expectText(page.locator('.summary-grid'), 'Succeeded', 20000);
    await ui.shot('detail-retried');

    // The webhooks list sums it up.
    await nav(ui, 'Webhooks');
    const orders = page.getByRole('table', { name: 'Webhooks' }).getByRole('row', { name: /Orders/ });
    await expectText(orders, 'HTTP 200');
    // Success (24h) is the server's share of tries (GET /v1/stats): the failed one and the retry.
    await expectText(orders, /50\.0%\s+2 tries · 1 dead/);
    await ui.shot('webhooks-health');
  });
});

test('recover failed deliveries since a time', async () => {
  const { flaky } = suite.receivers;
  flakyAnswer = 503;
  await post('order.paid', { order_id: 'B-1' });
  await post('order.paid', { order_id: 'B-2' });
  await settled(hooks.orders.id, 'dead', 2);
  flakyAnswer = 200;
  const before = flaky.requests.length;

  await withPage(suite, 'deliveries-recover', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Deliveries');
    await page.getByLabel('Webhook').selectOption({ label: 'Orders' });
    await page.getByLabel('Status').selectOption({ label: 'Failed' });
    await expectCount(page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr'), 2);
    await page.getByRole('button', { name: 'Recover failed since…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Recover failed deliveries' });
    await expectVisible(dialog);
    assert.equal(await dialog.getByLabel('Webhook').inputValue(), hooks.orders.id);
    await ui.shot('recover-dialog');
    await dialog.getByRole('button', { name: 'Recover' }).click();
    await expectText(page.locator('.toasts'), 're-queued');
    await waitFor(() => flaky.requests.length >= before + 2, { timeoutMs: 20000 });
    await expectVisible(page.getByText('No delivery matches these filters'), 20000);
    await page.getByLabel('Status').selectOption({ label: 'Succeeded' });
    await expectCount(page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr'), 3);
    await ui.shot('recovered');
  });
});

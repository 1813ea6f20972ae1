// A webhook's delivery order in the form's Advanced settings ("Any order" or "One at a time per
// contact"), saved and shown again; and a delivery held back behind an earlier call to the same
// contact, shown as Queued in the log and on its page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const QUEUED_HELP =
  'Waits for an earlier call to the same contact to end (this webhook delivers one at a time per contact).';

// The "first" event of a contact fails until the test lets it through; everything else succeeds.
let failFirst = true;

// Two tries: at once, then 30 s (±20%) later, longer than the test waits; so a failed first call
// stays retrying, holding back the contact's later calls, until the test retries it by hand.
const suite = browserSuite({
  args: ['--retry-schedule', '0s,30s'],
  receivers: {
    receiver: (req) => {
      const step = JSON.parse(req.body || '{}').data?.event_details?.step;
      return failFirst && step === 'first' ? { status: 500, body: 'not yet' } : { status: 200, body: 'ok' };
    },
  },
});

async function post(email, details) {
  const res = await suite.server.api('POST', '/v1/events', {
    event: 'order.paid',
    contact: { email },
    event_details: details,
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

// The webhook's deliveries with `status`, once there are `count` of them (at most 20 s).
async function deliveries(webhookId, status, count = 1) {
  let found = [];
  await waitFor(
    async () => {
      const res = await suite.server.api('GET', `/v1/deliveries?webhook_id=${webhookId}&status=${status}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      found = res.body.data;
      return found.length >= count;
    },
    { timeoutMs: 20000 },
  );
  return found;
}

test('Delivery order is saved, shown again, and set back to any order', async () => {
  const { server } = suite;
  const { receiver } = suite.receivers;
  await withPage(suite, 'webhook-ordering', async (ui) => {
    const { page } = ui;
    await page.goto('/webhooks/new');
    await page.getByLabel('Webhook name').fill('Ledger');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/ledger`);
    await page.getByText('Advanced settings').click();
    const order = page.getByLabel('Delivery order', { exact: true });
    // A new webhook sends in any order, the fastest.
    assert.equal(await order.inputValue(), 'none');
    await expectText(
      page.locator('.field').filter({ has: order }).locator('.field-help'),
      "A call being retried holds back that contact's later calls",
    );
    await order.selectOption({ label: 'One at a time per contact' });
    await ui.shot('ordering-per-contact');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Ledger' }));
    const id = new URL(page.url()).pathname.split('/').pop();
    assert.equal((await server.api('GET', `/v1/webhooks/${id}`)).body.ordering, 'per_contact');

    // A reload shows what was saved.
    await page.reload();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Ledger' }));
    await page.getByText('Advanced settings').click();
    assert.equal(await order.inputValue(), 'per_contact');
    await ui.shot('ordering-saved');

    // Back to any order.
    await order.selectOption({ label: 'Any order (fastest)' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('.toasts'), 'Changes saved');
    assert.equal((await server.api('GET', `/v1/webhooks/${id}`)).body.ordering, 'none');
    await page.reload();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Ledger' }));
    await page.getByText('Advanced settings').click();
    assert.equal(await order.inputValue(), 'none');
  });
});

test("a contact's later call waits, Queued, while its first is retried; other contacts go on", async () => {
  const { server } = suite;
  const { receiver } = suite.receivers;
  failFirst = true;
  const hook = await apiCreate(server, '/v1/webhooks', {
    name: 'Orders in order',
    url: `${receiver.url}/in-order`,
    events: ['order.paid'],
    ordering: 'per_contact',
  });
  await post('maria@example.com', { step: 'first' });
  const [first] = await deliveries(hook.id, 'retrying');
  await post('maria@example.com', { step: 'second' });
  await post('joao@example.com', { step: 'other' });
  const [second] = await deliveries(hook.id, 'queued');
  // Another contact is not held back.
  await deliveries(hook.id, 'succeeded');
  assert.equal((await server.api('GET', `/v1/deliveries/${second.id}`)).body.attempts.length, 0);

  await withPage(suite, 'webhook-ordering-queued', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Deliveries');
    const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr');
    await expectCount(rows, 3);
    await page.getByLabel('Status').selectOption({ label: 'Queued' });
    assert.match(page.url(), /status=queued/);
    await expectCount(rows, 1);
    const row = page.locator(`tr[data-delivery-id="${second.id}"]`);
    const badge = row.locator('.badge');
    await expectText(badge, 'Queued');
    assert.equal(await badge.getAttribute('title'), QUEUED_HELP);
    await ui.shot('log-queued');

    // Its page says what it waits for; it cannot be sent out of turn.
    await row.getByRole('link').click();
    await expectText(page.locator('.summary-grid'), 'Queued');
    await expectText(page.locator('main'), QUEUED_HELP);
    assert.equal(await page.getByRole('button', { name: 'Retry' }).isDisabled(), true);
    await ui.shot('detail-queued');

    // The receiver takes the first call now: retried by hand, it succeeds, and the queued one
    // goes out after it (the page follows on its own).
    failFirst = false;
    assert.equal((await server.api('POST', `/v1/deliveries/${first.id}/retry`)).status, 202);
    await expectText(page.locator('.summary-grid'), 'Succeeded', 20000);
    await expectVisible(page.locator('details.attempt[data-attempt="1"]'));
  });
  const steps = receiver.requests
    .filter((r) => r.url === '/in-order')
    .map((r) => JSON.parse(r.body).data.event_details.step)
    .filter((step) => step !== 'other');
  // Maria's calls: the first (failed, then retried) before the second.
  assert.deepEqual(steps, ['first', 'first', 'second']);
});

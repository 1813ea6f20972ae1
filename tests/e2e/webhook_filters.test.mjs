// A webhook's subscription filters in the console: a filter made in the form (its field offered
// from the event catalog), refused beside its row when it has no field (before sending) or one
// the server does not take; saved and shown again; Test saying whether its sample would be
// delivered; the list counting the filters; and only the events that match reaching the receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectHidden, expectText, expectVisible, nav } from './lib/browser.mjs';
import { browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite({
  receivers: { receiver: () => ({ status: 200, body: 'ok' }) },
  // An order paid in dollars: the catalog learns order.paid's keys, and Test samples it.
  setup: async ({ server }) => {
    const res = await server.api('POST', '/v1/events', {
      event: 'order.paid',
      contact: { email: 'ana@example.com' },
      event_details: { currency: 'USD', total: 40 },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitFor(async () =>
      (await server.api('GET', '/v1/event-types')).body.data.some((t) => t.keys.includes('currency')),
    );
  },
});

const FILTER = { field: 'event_details.currency', op: 'eq', value: 'BRL' };

async function postOrder(server, email, currency) {
  const res = await server.api('POST', '/v1/events', {
    event: 'order.paid',
    contact: { email },
    event_details: { currency, total: 99 },
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

test('a filter is made in the form, refused beside its row, saved, tested and applied', async () => {
  const { server } = suite;
  const { receiver } = suite.receivers;
  await withPage(suite, 'webhook-filters', { allow: [400, 422] }, async (ui) => {
    const { page } = ui;
    await page.goto('/webhooks/new');
    await page.getByLabel('Webhook name').fill('Brazil orders');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/orders`);
    await page.getByLabel('Custom event name').fill('order.paid');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expectVisible(page.getByRole('checkbox', { name: 'order.paid' }));

    // The Filters section follows the events; the catalog's keys of order.paid are offered.
    const section = page.getByRole('group', { name: 'Filters', exact: true });
    await expectText(section, 'Only events that match every filter are sent');
    await page.getByRole('button', { name: 'Add filter' }).click();
    const field = page.getByLabel('Filter 1 field');
    const listId = await field.getAttribute('list');
    const offered = await page
      .locator(`datalist[id="${listId}"] option`)
      .evaluateAll((options) => options.map((o) => o.value));
    assert.ok(offered.includes('event_details.currency'), `offered: ${JSON.stringify(offered)}`);
    assert.ok(offered.includes('contact.email'), `offered: ${JSON.stringify(offered)}`);

    // A row without a field is not sent, nor dropped: it is refused beside the row.
    const row = section.locator('.filter-row').first();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectText(row.locator('.field-error'), 'Choose the field to test');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await expectVisible(page.locator('[data-error-key^="filter."]:focus'));
    assert.equal((await server.api('GET', '/v1/webhooks')).body.data.length, 0);
    await ui.shot('filter-without-field');

    // A field the server does not take: its refusal shows beside the row, in the form's words.
    await field.fill('order.currency');
    await expectHidden(row.locator('.field-error'));
    await page.getByLabel('Filter 1 value').fill('BRL');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectText(row.locator('.field-error'), 'Start the field with event_details., event. or contact.');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.doesNotMatch(await page.locator('main').innerText(), /filters\[0\]/);
    await ui.shot('filter-refused-by-server');

    await field.fill(FILTER.field);
    assert.equal(await page.getByLabel('Filter 1 operator').inputValue(), 'eq');
    await ui.shot('filter-filled');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Brazil orders' }));
    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = (await server.api('GET', `/v1/webhooks/${id}`)).body;
    assert.deepEqual(stored.events, ['order.paid']);
    assert.deepEqual(stored.filters, [FILTER]);

    // Shown again as saved.
    await page.reload();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Brazil orders' }));
    assert.equal(await field.inputValue(), FILTER.field);
    assert.equal(await page.getByLabel('Filter 1 operator').inputValue(), 'eq');
    assert.equal(await page.getByLabel('Filter 1 value').inputValue(), 'BRL');

    // Test samples the order paid in dollars: the call goes, and the result says a real one
    // would be filtered out, naming the filter it does not match.
    const calls = receiver.requests.length;
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expectText(result, 'Success');
    const verdict = result.getByRole('status').filter({ hasText: 'Filtered out' });
    await expectText(verdict, 'a real event like this one would not be delivered');
    await expectText(
      verdict.getByRole('list', { name: 'Filters it does not match' }),
      'event_details.currency is BRL',
    );
    assert.equal(receiver.requests.length, calls + 1, 'the test call is sent anyway');
    await ui.shot('test-filtered-out');

    // On a narrow screen the notice wraps inside the result.
    await page.setViewportSize({ width: 820, height: 900 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `no sideways scrolling: ${overflow}px`);
    await ui.shot('test-filtered-out-narrow');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Edits not saved yet are tested as the form shows them: in dollars, the sample matches.
    await page.getByLabel('Filter 1 value').fill('USD');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(result.getByRole('status').filter({ hasText: 'matches' }), 'it would be delivered');
    await expectText(page.getByRole('status').filter({ hasText: 'not saved yet' }), 'your changes');
    await expectCount(result.getByText('Filtered out'), 0);
    await ui.shot('test-matches-unsaved');
    await page.getByLabel('Filter 1 value').fill('BRL'); // as saved again: nothing to leave behind

    // The list says the webhook filters its events.
    await nav(ui, 'Webhooks');
    const listed = page.getByRole('table', { name: 'Webhooks' }).getByRole('row', { name: /Brazil orders/ });
    await expectText(listed, '1 event · 1 filter');
    await ui.shot('list-with-filters');

    // Real events: the order in dollars makes no delivery, the one in reais does.
    const before = receiver.requests.length;
    await postOrder(server, 'carl@example.com', 'USD');
    await postOrder(server, 'bruno@example.com', 'BRL');
    const deliveries = async () =>
      (await server.api('GET', `/v1/deliveries?webhook_id=${id}`)).body.data;
    await waitFor(async () => (await deliveries()).some((d) => d.status === 'succeeded'), {
      timeoutMs: 20000,
    });
    await new Promise((r) => setTimeout(r, 500)); // time for a wrong delivery to show up
    assert.equal((await deliveries()).length, 1);
    const got = receiver.requests.slice(before);
    assert.equal(got.length, 1, `one call: ${got.map((r) => r.body).join('\n')}`);
    assert.match(got[0].body, /bruno@example\.com/);
    assert.match(got[0].body, /"BRL"/);
    assert.doesNotMatch(got[0].body, /carl@example\.com/);

    await nav(ui, 'Deliveries');
    const log = page.getByRole('table', { name: 'Deliveries' });
    await expectText(log, 'Brazil orders');
    await expectCount(log.locator('tbody tr'), 1);
    await ui.shot('deliveries');
  });
});

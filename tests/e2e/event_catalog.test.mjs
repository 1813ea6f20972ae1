// The event catalog in the console: the events the workspace received (a custom order.paid with
// nested details, email.click) listed with their keys and an example; the webhook form's
// placeholder picker offering the keys of the events it subscribes to and contacts' custom
// properties; and Test sending the event the user picks, with the catalog's example, for a real
// contact the user searched for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectHidden, expectText, expectVisible, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const ORDER = { total: 150, currency: 'EUR', address: { city: 'Lisboa', zip: '1100-001' } };
const CLICK = { campaign_name: 'Spring sale', url: 'https://example.com/spring' };

const made = {};
const suite = browserSuite({
  receivers: { ok: () => ({ status: 200, body: 'ok' }) },
  setup: async ({ server, receivers }) => {
    made.maria = await apiCreate(server, '/v1/contacts', {
      email: 'maria@example.com',
      first_name: 'Maria',
      last_name: 'Silva',
      properties: { plan: 'gold' },
    });
    for (const event of [
      { event: 'order.paid', contact: { email: 'ana@example.com' }, event_details: ORDER },
      { event: 'email.click', contact: { email: 'maria@example.com' }, event_details: CLICK },
    ]) {
      const res = await server.api('POST', '/v1/events', event);
      assert.equal(res.status, 202, JSON.stringify(res.body));
    }
    await waitFor(async () => (await server.api('GET', '/v1/event-types')).body.data.length === 2);
    made.webhook = await apiCreate(server, '/v1/webhooks', {
      name: 'Orders',
      url: `${receivers.ok.url}/orders?total={{event.total}}`,
      events: ['order.paid'],
    });
  },
});

test('the catalog lists the events received, with their keys and an example', async () => {
  await withPage(suite, 'event-catalog', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Event catalog');
    const table = page.getByRole('table', { name: 'Event types' });
    const paid = table.locator('tr[data-event-type="order.paid"]');
    const click = table.locator('tr[data-event-type="email.click"]');
    await expectText(paid, 'Custom');
    await expectText(paid, '5 keys'); // address, address.city, address.zip, currency, total
    await expectText(click, 'Email link clicked'); // a system event's name for people
    await expectText(click, 'System');
    await expectText(click, 'Email');
    await expectText(click, 'In the last hour');
    assert.deepEqual(
      await table.locator('tr[data-event-type]').evaluateAll((rows) => rows.map((r) => r.dataset.eventType)),
      ['email.click', 'order.paid'],
    );
    await ui.shot('catalog');

    // Opened: its keys as placeholders, and the example.
    const toggle = paid.getByRole('button', { name: /keys/ });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const keys = page.getByRole('region', { name: 'Keys of order.paid' });
    const listed = await keys.locator('li').allInnerTexts();
    assert.deepEqual(listed, [
      '{{event.address}}',
      '{{event.address.city}}',
      '{{event.address.zip}}',
      '{{event.currency}}',
      '{{event.total}}',
    ]);
    const example = page.getByRole('region', { name: 'Example of order.paid' });
    const shown = await example.getByLabel('Example details of order.paid').innerText();
    assert.deepEqual(JSON.parse(shown), ORDER);
    await ui.shot('catalog-order-paid');

    // The filters stay in the address.
    await page.getByLabel('Event name').fill('email');
    await expectCount(table.locator('tr[data-event-type]'), 1);
    await expectText(table, 'email.click');
    assert.equal(new URL(page.url()).search, '?q=email');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount(table.locator('tr[data-event-type]'), 2);
    await page.getByLabel('Category').selectOption('system');
    await expectCount(table.locator('tr[data-event-type]'), 1);
    await expectText(table, 'email.click');
  });
});

test('a workspace that has received no event is told how to send one', async () => {
  const { server } = suite;
  const shop = await apiCreate(server, '/v1/workspaces', { name: 'Empty shop' });
  const { key } = await apiCreate(server, `/v1/workspaces/${shop.id}/api-keys`, { name: 'Reader', scope: 'read' });
  await withPage(suite, 'event-catalog-empty', { key }, async (ui) => {
    const { page } = ui;
    await nav(ui, 'Event catalog');
    await expectText(page.locator('.empty'), 'No events yet');
    await expectText(page.locator('.empty'), '/v1/events');
    await ui.shot('catalog-empty');
  });
});

test('the placeholder picker offers the keys of the events subscribed to and contact properties', async () => {
  await withPage(suite, 'event-catalog-picker', async (ui) => {
    const { page } = ui;
    await page.goto(`/webhooks/${made.webhook.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Orders' }));
    const url = page.getByLabel('URL', { exact: true });
    await url.fill(`${suite.receivers.ok.url}/orders?t=`);
    await page.getByRole('button', { name: 'Insert placeholder' }).first().click();
    const menu = page.getByRole('group', { name: 'Placeholders' });
    await expectVisible(menu);
    const offered = await menu.locator('.picker-item code').allInnerTexts();
    for (const path of ['{{event.total}}', '{{event.address.city}}', '{{contact.plan}}']) {
      assert.ok(offered.includes(path), `${path} is offered: ${offered.join(' ')}`);
    }
    // Only order.paid's: email.click is not subscribed to.
    assert.ok(!offered.includes('{{event.url}}'), offered.join(' '));
    await expectText(menu, 'order.paid');
    await ui.shot('picker-order-paid');

    // The arrows and Enter in the search box still pick, and the form is not submitted.
    await menu.getByLabel('Search properties').fill('total');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await expectText(menu.locator('.picker-item[aria-current="true"]'), '{{event.total}}');
    await page.keyboard.press('Enter');
    await expectHidden(menu);
    assert.equal(await url.inputValue(), `${suite.receivers.ok.url}/orders?t={{event.total}}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Orders' }));

    // A new webhook subscribed to nothing gets every event's keys, grouped by event name.
    await page.goto('/webhooks/new');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    await page.getByRole('button', { name: 'Insert placeholder' }).first().click();
    assert.deepEqual(await menu.locator('.picker-group-note').allInnerTexts(), ['email.click', 'order.paid']);
    const items = await menu.locator('.picker-item code').allInnerTexts();
    assert.ok(items.includes('{{event.url}}') && items.includes('{{event.total}}'), items.join(' '));
    // Searching an event name shows its keys.
    await menu.getByLabel('Search properties').fill('email.click');
    await expectCount(menu.locator('.picker-item'), 1);
    await expectText(menu.locator('.picker-item'), '{{event.url}}');
    await ui.shot('picker-all-events');
  });
});

test('Test sends the chosen event with its example, for a contact found by search', async () => {
  const { ok } = suite.receivers;
  const gone = await apiCreate(suite.server, '/v1/contacts', { email: 'gone@example.com' });
  await withPage(suite, 'event-catalog-test', { allow: [422] }, async (ui) => {
    const { page } = ui;
    await page.goto(`/webhooks/${made.webhook.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Orders' }));

    // The event defaults to the webhook's first; the subscribed ones come first, then the others.
    const event = page.getByLabel('Sample event');
    assert.equal(await event.inputValue(), 'order.paid');
    // Once the catalog has loaded (the help says where the details come from)...
    await expectText(page.locator('.test-sample'), 'Sent with the details of a recent order.paid event.');
    const values = await event.locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(values.slice(0, 2), ['order.paid', 'email.click']);
    assert.ok(values.includes('form.submit'), 'system events not received yet are offered too');

    // A stored contact, found by part of its name; Enter picks it and does not save the form.
    const contact = page.getByRole('combobox', { name: 'Sample contact' });
    await contact.fill('mari');
    const matches = page.getByRole('listbox', { name: 'Matching contacts' });
    await expectText(matches, 'maria@example.com');
    await expectText(matches, 'Maria Silva');
    assert.equal(await contact.getAttribute('aria-expanded'), 'true');
    await ui.shot('test-contact-search');
    await contact.press('Enter');
    await expectHidden(matches);
    assert.equal(await contact.inputValue(), 'maria@example.com');
    await expectText(page.locator('.test-sample'), 'Maria Silva, as stored.');

    const calls = ok.requests.length;
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expectText(result, 'Success');
    const sentBody = result.getByLabel('Request body');
    await expectText(sentBody, 'maria@example.com');
    await expectText(sentBody, '"city": "Lisboa"');
    await ui.shot('test-real-contact');
    assert.equal(ok.requests.length, calls + 1);
    let got = ok.requests.at(-1);
    assert.equal(got.url, '/orders?total=150');
    let body = JSON.parse(got.body);
    assert.equal(body.event, 'order.paid');
    assert.deepEqual(body.data.event_details, ORDER);
    assert.equal(body.data.contact.email, 'maria@example.com');
    assert.equal(body.data.contact.id, made.maria.id);

    // Another event, for the test contact again; the unsaved URL is what is called.
    await event.selectOption('email.click');
    await page.getByRole('button', { name: 'Use the test contact' }).click();
    assert.equal(await contact.inputValue(), '');
    await page.getByLabel('URL', { exact: true }).fill(`${ok.url}/clicks?c={{event.campaign_name}}`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'not saved yet' }), 'your changes');
    await expectText(sentBody, 'testuser@example.com');
    got = ok.requests.at(-1);
    assert.equal(new URL(got.url, ok.url).searchParams.get('c'), 'Spring sale');
    body = JSON.parse(got.body);
    assert.equal(body.event, 'email.click');
    assert.deepEqual(body.data.event_details, CLICK);
    assert.equal(body.data.contact.email, 'testuser@example.com');
    const stored = (await suite.server.api('GET', `/v1/webhooks/${made.webhook.id}`)).body;
    assert.equal(stored.url, `${ok.url}/orders?total={{event.total}}`);

    // A contact deleted after it was picked: the test says so, the form shows no error of its own.
    await contact.fill('gone@');
    await matches.getByRole('option', { name: /gone@example\.com/ }).click();
    assert.equal(await contact.inputValue(), 'gone@example.com');
    assert.equal((await suite.server.api('DELETE', `/v1/contacts/${gone.id}`)).status, 204);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(page.getByRole('alert').filter({ hasText: 'could not run' }), 'no longer stored');
    await expectCount(page.locator('.field-error'), 0);
    await expectCount(page.getByText('The webhook was not saved'), 0);
  });
});

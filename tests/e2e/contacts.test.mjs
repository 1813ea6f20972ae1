// A contact's page, reached from the contacts list: its email, names and custom properties, edited
// in place (a number stays a number; a removed property is gone), the server's refusals beside
// their fields, the journeys it is in, its activity (events and the deliveries they caused), and
// Delete after a confirmation that says it is permanent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectHidden, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

let maria;
const journeys = {};
const suite = browserSuite({
  receivers: { shop: () => ({ status: 200 }) },
  setup: async ({ server }) => {
    maria = await apiCreate(server, '/v1/contacts', {
      email: 'maria@example.com',
      first_name: 'Maria',
      last_name: 'Silva',
      mobile: '+351 910 000 000',
      properties: { plan: 'gold', salário: 123, vip: true },
    });
    await apiCreate(server, '/v1/contacts', { email: 'joao@example.com', first_name: 'João' });
    // Maria clicks: she waits two days in one journey and goes straight through the other (a
    // journey taken once, which the server records; one taken every time leaves no record when
    // it ends at once).
    journeys.waiting = await activeJourney(
      'Follow-up in two days',
      [{ id: 'd', type: 'delay', position: { x: 0, y: 190 }, config: { duration: '2d' } }],
      [{ source: 't', target: 'd' }],
    );
    journeys.done = await activeJourney(
      'Instant thanks',
      [{ id: 'x', type: 'exit', position: { x: 0, y: 190 }, config: {} }],
      [{ source: 't', target: 'x' }],
      'once',
    );
    const event = await server.api('POST', '/v1/events', {
      event: 'email.click',
      contact: { email: maria.email },
    });
    assert.equal(event.status, 202, JSON.stringify(event.body));
    await waitFor(
      async () => (await server.api('GET', `/v1/contacts/${maria.id}/journeys`)).body.data.length === 2,
    );
  },
});

// A journey started by email.click, made and activated through the API.
async function activeJourney(name, blocks, edges, reentry = 'every_time') {
  const trigger = {
    id: 't',
    type: 'trigger',
    position: { x: 0, y: 0 },
    config: { event: 'email.click', filters: [] },
  };
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name,
    reentry,
    blocks: [trigger, ...blocks],
    edges,
  });
  const res = await suite.server.api('POST', `/v1/journeys/${journey.id}/activate`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return journey;
}

test('open a contact from the list, edit its details and properties, and see its journeys', async () => {
  const { server } = suite;
  await withPage(suite, 'contact-page', { allow: [400, 409] }, async (ui) => {
    const { page } = ui;
    await nav(ui, 'Contacts & lists');
    await page
      .getByRole('table', { name: 'Contacts' })
      .getByRole('link', { name: 'maria@example.com' })
      .click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'maria@example.com' }));
    assert.equal(new URL(page.url()).pathname, `/contacts/${maria.id}`);
    await expectText(page.locator('.page-header'), 'Maria Silva');

    // Details and properties as stored, each value in the type it has.
    const form = page.getByRole('form', { name: 'Contact details' });
    assert.equal(await form.getByLabel('Email').inputValue(), 'maria@example.com');
    assert.equal(await form.getByLabel('First name').inputValue(), 'Maria');
    assert.equal(await form.getByLabel('Last name').inputValue(), 'Silva');
    assert.equal(await form.getByLabel('Mobile').inputValue(), '+351 910 000 000');
    const properties = form.getByRole('group', { name: 'Custom properties' });
    const names = await properties
      .getByRole('textbox', { name: /^Property \d+ name$/ })
      .evaluateAll((inputs) => inputs.map((i) => i.value));
    assert.deepEqual(names, ['plan', 'salário', 'vip']);
    assert.equal(await form.getByLabel('Property 1 value').inputValue(), 'gold');
    assert.equal(await form.getByLabel('Property 2 value').getAttribute('type'), 'number');
    assert.equal(await form.getByLabel('Property 2 value').inputValue(), '123');
    assert.equal(await form.getByLabel('Property 3 value').inputValue(), 'true');

    // The journeys it is in: waiting at the Wait block of one, through the other.
    const inJourneys = page.getByRole('table', { name: 'Journeys of this contact' });
    const waiting = inJourneys.getByRole('row').filter({ hasText: 'Follow-up in two days' });
    await expectText(waiting, 'Waiting');
    await expectText(waiting, 'At “Wait”, goes on in 2 days');
    await expectText(inJourneys.getByRole('row').filter({ hasText: 'Instant thanks' }), 'Finished');
    await ui.shot('contact');

    // Edit: a name, a property changed, one removed, one added, the number changed.
    await form.getByLabel('First name').fill('Maria Clara');
    await form.getByLabel('Property 1 value').fill('platinum');
    await form.getByLabel('Property 2 value').fill('456');
    await form.getByRole('button', { name: 'Remove property 3' }).click();
    await form.getByRole('button', { name: 'Add property' }).click();
    await form.getByLabel('Property 3 name').fill('city');
    await form.getByLabel('Property 3 value').fill('Lisboa');
    await ui.shot('contact-edited');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('.toasts'), 'Contact saved');
    const saved = (await server.api('GET', `/v1/contacts/${maria.id}`)).body;
    assert.equal(saved.first_name, 'Maria Clara');
    assert.deepEqual(saved.properties, { plan: 'platinum', salário: 456, city: 'Lisboa' });

    await page.reload();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'maria@example.com' }));
    assert.equal(await form.getByLabel('First name').inputValue(), 'Maria Clara');
    assert.equal(await form.getByLabel('Property 2 value').inputValue(), '456');
    assert.equal(await form.getByLabel('Property 3 value').inputValue(), 'Lisboa');

    // Refusals, beside the field they are about; nothing is saved.
    const emailField = form.locator('.field').filter({ has: page.getByLabel('Email', { exact: true }) });
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expectText(
      emailField.locator('.field-error'),
      'Email must be an email address like name@example.com.',
    );
    assert.equal(await form.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Email').fill('joao@example.com');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expectText(emailField.locator('.field-error'), 'Another contact has the email joao@example.com.');
    await ui.shot('contact-email-taken');
    await form.getByLabel('Email').fill('maria@example.com');
    await expectHidden(emailField.locator('.field-error'));
    await form.getByLabel('Property 3 name').fill('');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expectText(properties.locator('.field-error'), 'Name this property, or remove the row.');
    assert.equal((await server.api('GET', `/v1/contacts/${maria.id}`)).body.email, 'maria@example.com');
    await form.getByLabel('Property 3 name').fill('city');

    // A journey's name leads to it.
    await waiting.getByRole('link', { name: 'Follow-up in two days' }).click();
    assert.equal(new URL(page.url()).pathname, `/journeys/${journeys.waiting.id}`);
  });
});

test("a contact's activity: its events, newest first, and the deliveries they caused", async () => {
  const { server, receivers } = suite;
  const shop = await apiCreate(server, '/v1/webhooks', {
    name: 'Shop CRM',
    url: `${receivers.shop.url}/orders`,
    events: ['order.paid'],
  });
  const bia = await apiCreate(server, '/v1/contacts', { email: 'bia@example.com' });
  for (const [email, total] of [
    [bia.email, 10],
    ['someone@example.com', 99],
    [bia.email, 25],
  ]) {
    const sent = await server.api('POST', '/v1/events', {
      event: 'order.paid',
      contact: { email },
      event_details: { total, currency: 'EUR' },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
  }
  await waitFor(async () => {
    const { data } = (await server.api('GET', `/v1/deliveries?webhook_id=${shop.id}`)).body;
    return data.length === 3 && data.every((d) => d.status === 'succeeded');
  });
  await withPage(suite, 'contact-activity', async (ui) => {
    const { page } = ui;
    await page.goto(`/contacts/${bia.id}`);
    const timeline = page.getByRole('list', { name: 'Activity of this contact' });
    await expectCount(timeline.getByRole('listitem'), 4);
    const entries = await timeline.getByRole('listitem').allInnerTexts();
    assert.match(entries[0], /Sent to Shop CRM\s+Succeeded/);
    assert.match(entries[1], /Event\s+order\.paid/);
    assert.match(entries[2], /Sent to Shop CRM/);
    assert.match(entries[3], /Event\s+order\.paid/);
    assert.ok(!entries.join('\n').includes('99'), 'nothing of another contact');
    // An event's details open in place; a delivery leads to its attempts.
    await timeline.getByRole('listitem').nth(1).getByText('Details').click();
    await expectText(timeline.getByRole('listitem').nth(1), '"total": 25');
    await ui.shot('contact-activity');
    await timeline.getByRole('link', { name: 'Sent to Shop CRM' }).first().click();
    await expectVisible(page.getByRole('heading', { name: 'Attempts' }));
  });
});

test('delete a contact, after a confirmation that says it is permanent', async () => {
  const { server } = suite;
  const ana = await apiCreate(server, '/v1/contacts', {
    email: 'ana@example.com',
    properties: { plan: 'free' },
  });
  await withPage(suite, 'contact-delete', async (ui) => {
    const { page } = ui;
    await page.goto(`/contacts/${ana.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'ana@example.com' }));
    await expectVisible(page.getByText('Not in any journey'));
    await page.getByRole('button', { name: 'Delete contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete ana@example.com?' });
    await expectText(dialog, 'Deletion is permanent');
    await expectText(dialog, 'cannot be brought back');
    await expectText(dialog, 'Its events and the deliveries they caused are erased');
    await ui.shot('delete-confirm');

    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectHidden(dialog);
    assert.equal((await server.api('GET', `/v1/contacts/${ana.id}`)).status, 200);

    await page.getByRole('button', { name: 'Delete contact' }).click();
    await dialog.getByRole('button', { name: 'Delete contact' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Contacts & lists' }));
    await expectText(page.locator('.toasts'), 'Contact ana@example.com deleted');
    const table = page.getByRole('table', { name: 'Contacts' });
    await expectText(table, 'maria@example.com');
    await expectCount(table.getByRole('link', { name: 'ana@example.com' }), 0);
    assert.equal((await server.api('GET', `/v1/contacts/${ana.id}`)).status, 404);
    await ui.shot('deleted');
  });
});

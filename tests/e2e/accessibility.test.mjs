// Accessibility: the axe-core check that every screenshot runs fails on serious and critical
// violations, naming the rule, the elements and the page; and every page of the console, with
// data in it, and its dialogs, passes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, API_KEY } from '../integration/lib/harness.mjs';
import { expectVisible, expectText, nav, openPage, signIn } from './lib/browser.mjs';
import { checkAccessibility } from './lib/accessibility.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const made = {};
const suite = browserSuite({
  receivers: { receiver: () => ({ status: 200, body: 'ok' }) },
  setup: async ({ server, receivers }) => {
    const { receiver } = receivers;
    made.webhook = await apiCreate(server, '/v1/webhooks', {
      name: 'Orders',
      url: `${receiver.url}/orders`,
      events: ['order.paid'],
    });
    made.list = await apiCreate(server, '/v1/lists', { name: 'Customers' });
    made.contact = await apiCreate(server, '/v1/contacts', {
      email: 'maria@example.com',
      first_name: 'Maria',
      properties: { plan: 'gold' },
    });
    await server.api('POST', `/v1/lists/${made.list.id}/contacts`, { contact_ids: [made.contact.id] });
    made.journey = await apiCreate(server, '/v1/journeys', {
      name: 'Orders to the CRM',
      reentry: 'once', // recorded on the contact's page even though it ends at once
      blocks: [
        { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { event: 'order.paid', filters: [] } },
        { id: 'c', type: 'condition', position: { x: 0, y: 190 }, config: { in_list: made.list.id } },
        { id: 'w', type: 'webhook', position: { x: 0, y: 380 }, config: { webhook_id: made.webhook.id } },
      ],
      edges: [
        { source: 't', target: 'c' },
        { source: 'c', target: 'w', branch: 'yes' },
      ],
    });
    await server.api('POST', `/v1/journeys/${made.journey.id}/activate`);
    await server.api('POST', '/v1/events', {
      event: 'order.paid',
      contact: { email: 'maria@example.com' },
      event_details: { total: 150, address: { city: 'Lisboa' } },
    });
    await waitFor(async () => {
      made.delivery = (await server.api('GET', '/v1/deliveries?status=succeeded')).body.data[0];
      return !!made.delivery;
    });
  },
});

test('the check fails on serious and critical violations, naming the rule, the elements and the page', async () => {
  const ui = await openPage(suite.browser, suite.server.baseUrl, 'accessibility-check');
  try {
    await ui.page.setContent(
      '<html lang="en"><title>Sample</title><main><h1>Sample</h1>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="nameless-image">' +
        '<button id="empty-button"></button></main></html>',
    );
    await assert.rejects(checkAccessibility(ui.page, 'the sample page'), (err) => {
      assert.match(err.message, /the sample page/);
      assert.match(err.message, /image-alt \(critical\)/);
      assert.match(err.message, /#nameless-image/);
      assert.match(err.message, /button-name \(critical\)/);
      assert.match(err.message, /#empty-button/);
      return true;
    });
    // The same page mended passes.
    await ui.page.setContent(
      '<html lang="en"><title>Sample</title><main><h1>Sample</h1>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot">' +
        '<button>Send</button></main></html>',
    );
    await checkAccessibility(ui.page, 'the mended page');
  } finally {
    await ui.close();
  }
});

test('every page of the console and its dialogs pass the check', async () => {
  await withPage(suite, 'accessibility-pages', { key: null }, async (ui) => {
    const { page } = ui;
    await page.goto('/');
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await ui.shot('sign-in');
    await signIn(ui, API_KEY);
    await nav(ui, 'Webhooks');
    await expectText(page.getByRole('table', { name: 'Webhooks' }), 'Orders');
    await ui.shot('webhooks');

    // Each page, and the dialogs it opens (each screenshot checks what is shown).
    const dialog = async (button, name, shot, close = 'Cancel') => {
      await page.getByRole('button', { name: button, exact: true }).first().click();
      const d = page.getByRole('dialog', { name });
      await expectVisible(d);
      await ui.shot(shot);
      await d.getByRole('button', { name: close }).click();
    };
    await page.goto(`/webhooks/${made.webhook.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Orders' }));
    await page.getByText('Advanced settings').click();
    await page.getByRole('switch', { name: /Authentication required/ }).click();
    await ui.shot('webhook');
    await page.getByRole('switch', { name: /Authentication required/ }).click();
    // The Test's contact search, its matches open.
    const sampleContact = page.getByRole('combobox', { name: 'Sample contact' });
    await sampleContact.fill('maria');
    await expectVisible(page.getByRole('listbox', { name: 'Matching contacts' }));
    await ui.shot('webhook-sample-contact');
    await sampleContact.press('Escape');
    await dialog('Rotate secret', 'Rotate the signing secret?', 'rotate-dialog');
    await dialog('Delete', 'Delete webhook?', 'delete-dialog');

    await nav(ui, 'Journeys');
    await ui.shot('journeys');
    await page.getByRole('link', { name: 'Orders to the CRM' }).click();
    await expectVisible(page.locator('.react-flow__node[data-id="w"]'));
    await page.locator('.react-flow__node[data-id="w"] .block-head').click();
    await ui.shot('journey');

    await nav(ui, 'Deliveries');
    await ui.shot('deliveries');
    await dialog('Recover failed since…', 'Recover failed deliveries', 'recover-dialog');
    await page.goto(`/deliveries/${made.delivery.id}`);
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Attempts' }));
    await ui.shot('delivery');

    await nav(ui, 'Event catalog');
    await page.locator('tr[data-event-type="order.paid"]').getByRole('button', { name: /keys/ }).click();
    await expectVisible(page.getByRole('region', { name: 'Example of order.paid' }));
    await ui.shot('event-catalog');

    await nav(ui, 'Contacts & lists');
    await ui.shot('contacts');
    await dialog('Add contact', 'Add contact', 'add-contact-dialog');
    await page.getByRole('link', { name: 'maria@example.com' }).click();
    await expectVisible(page.getByRole('table', { name: 'Journeys of this contact' }));
    await ui.shot('contact');
    await dialog('Delete contact', 'Delete maria@example.com?', 'delete-contact-dialog');
    await page.goto('/lists');
    await page.getByRole('link', { name: 'Customers' }).click();
    await expectVisible(page.getByRole('table', { name: 'Members' }));
    await ui.shot('list');

    await nav(ui, 'Audit log');
    await page
      .getByRole('button', { name: /Show changes/ })
      .first()
      .click();
    await ui.shot('audit-log');

    await nav(ui, 'Settings');
    await ui.shot('settings');
    await page.goto('/no-such-page');
    await expectVisible(page.getByRole('heading', { name: 'Page not found' }));
    await ui.shot('not-found');
  });
});

// A narrow screen (820 px, a tablet): the sidebar shows only icons, yet every link and Sign out
// keep their names for screen readers and show them beside the icon on hover and keyboard focus;
// every main page passes the accessibility check at that width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectVisible, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const made = {};
const suite = browserSuite({
  receivers: { receiver: () => ({ status: 200, body: 'ok' }) },
  setup: async ({ server, receivers }) => {
    made.webhook = await apiCreate(server, '/v1/webhooks', {
      name: 'Orders',
      url: `${receivers.receiver.url}/orders`,
      events: ['order.paid'],
    });
    made.list = await apiCreate(server, '/v1/lists', { name: 'Customers' });
    made.contact = await apiCreate(server, '/v1/contacts', {
      email: 'maria@example.com',
      first_name: 'Maria',
      last_name: 'Silva',
    });
    // A journey that has run: the list shows its counts, the builder its totals.
    made.journey = await apiCreate(server, '/v1/journeys', {
      name: 'Paid orders to the CRM',
      blocks: [
        { id: 't', type: 'trigger', config: { event: 'order.paid', filters: [] } },
        { id: 'w', type: 'webhook', config: { webhook_id: made.webhook.id } },
      ],
      edges: [{ source: 't', target: 'w' }],
    });
    await server.api('POST', `/v1/journeys/${made.journey.id}/activate`);
    await server.api('POST', '/v1/events', { event: 'order.paid', contact: { email: 'maria@example.com' } });
    await waitFor(async () => (await server.api('GET', '/v1/deliveries')).body.data.length > 0);
  },
});

const SECTIONS = [
  'Dashboard',
  'Webhooks',
  'Journeys',
  'Deliveries',
  'Event catalog',
  'Contacts & lists',
  'Audit log',
  'Settings',
];

// The label's box as drawn: clipped away (0 wide) unless shown as a tooltip.
function labelWidth(control) {
  return control.locator('span').evaluate((span) => {
    const clip = getComputedStyle(span).clipPath;
    return clip === 'none' ? span.getBoundingClientRect().width : 0;
  });
}

test('on a narrow screen the icons keep their names, and every main page passes the check', async () => {
  await withPage(suite, 'narrow', async (ui) => {
    const { page } = ui;
    await page.setViewportSize({ width: 820, height: 900 });
    const sidebar = page.getByRole('navigation', { name: 'Main' });
    await expectVisible(sidebar);
    const box = await sidebar.boundingBox();
    assert.ok(box.width <= 64, `the sidebar is narrow: ${box.width}`);

    // Names stay for screen readers while the labels are out of sight.
    for (const label of SECTIONS) {
      const link = sidebar.getByRole('link', { name: label, exact: true });
      await expectVisible(link);
      assert.equal(await labelWidth(link), 0, `${label} is out of sight`);
    }
    const signOut = sidebar.getByRole('button', { name: 'Sign out' });
    await expectVisible(signOut);
    assert.equal(await labelWidth(signOut), 0);

    // Pointing at an icon shows its name beside it; so does moving to it with the keyboard.
    const webhooks = sidebar.getByRole('link', { name: 'Webhooks', exact: true });
    await webhooks.hover();
    assert.ok((await labelWidth(webhooks)) > 40, 'the tooltip shows');
    await ui.shot('tooltip-hover');
    await page.mouse.move(600, 600);
    assert.equal(await labelWidth(webhooks), 0);
    await webhooks.focus();
    await page.keyboard.press('Tab');
    const journeys = sidebar.getByRole('link', { name: 'Journeys', exact: true });
    assert.ok(await journeys.evaluate((el) => el === document.activeElement));
    assert.ok((await labelWidth(journeys)) > 40, 'the tooltip shows on keyboard focus');
    await signOut.hover();
    assert.ok((await labelWidth(signOut)) > 40);
    await ui.shot('tooltip-sign-out');
    await page.mouse.move(600, 600);

    // Every section through the navigation (each checked), with a screenshot of the page alone.
    for (const label of SECTIONS) {
      await nav(ui, label);
      await page.mouse.move(600, 10);
      await ui.shot(label.toLowerCase().replace(/[^a-z]+/g, '-'));
    }
    // And the pages one level down.
    await page.goto(`/webhooks/${made.webhook.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Orders' }));
    await ui.shot('webhook');
    await page.goto(`/contacts/${made.contact.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'maria@example.com' }));
    await ui.shot('contact');
    await page.goto(`/lists/${made.list.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Customers' }));
    await ui.shot('list');
    const delivery = (await suite.server.api('GET', '/v1/deliveries')).body.data[0];
    await page.goto(`/deliveries/${delivery.id}`);
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Attempts' }));
    await ui.shot('delivery');
    await page.goto('/events');
    await page.locator('tr[data-event-type="order.paid"]').getByRole('button', { name: /keys/ }).click();
    await expectVisible(page.getByRole('region', { name: 'Example of order.paid' }));
    await ui.shot('event-catalog-open');
    // The journeys list keeps its counts in the card; the builder shows the totals.
    await nav(ui, 'Journeys');
    const journeyTable = page.getByRole('table', { name: 'Journeys' });
    await expectVisible(journeyTable.locator('td[data-total="completed"]'));
    assert.ok(
      await journeyTable.evaluate((t) => t.scrollWidth <= t.parentElement.clientWidth + 1),
      'the journeys table fits its card',
    );
    await page.goto(`/journeys/${made.journey.id}`);
    await expectVisible(page.getByRole('region', { name: 'Journey totals' }));
    await ui.shot('journey-totals');
    await page.goto('/journeys/new');
    await expectVisible(page.getByLabel('Journey name'));
    await ui.shot('journey-builder');
  });
});

test('the sign-in page passes the check on a narrow screen', async () => {
  await withPage(suite, 'narrow-sign-in', { key: null }, async (ui) => {
    const { page } = ui;
    await page.setViewportSize({ width: 820, height: 900 });
    await page.goto('/');
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await ui.shot('sign-in');
  });
});

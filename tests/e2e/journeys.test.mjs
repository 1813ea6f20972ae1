// The source's sample journey, built in the browser: "the webhook is called whenever contacts of
// list 'Test' click the email campaign 'Sample'". Blocks are dragged from the palette onto the
// canvas and connected by their handles; the Webhook block's popup chooses a webhook (first test)
// or creates one (second test); the journey is activated; an email.click event posted through the
// API reaches the receiver; the delivery shows in the log with its attempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectHidden, expectCount, nav } from './lib/browser.mjs';
import { addBlocks, blockOfType, dragBlock, wire } from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite({
  receivers: { chosen: () => ({ status: 200, body: 'ok' }), created: () => ({ status: 200, body: 'ok' }) },
  // Contacts the host application would have reported.
  setup: async ({ server }) => {
    for (const email of ['maria@example.com', 'joao@example.com']) {
      const res = await server.api('POST', '/v1/contacts', { email, first_name: email.split('@')[0] });
      assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
    }
  },
});

// The first test makes list Test with maria in it; the others make sure of it if that test did
// not get so far.
async function ensureListTest() {
  if (await listId('Test')) return;
  const list = await apiCreate(suite.server, '/v1/lists', { name: 'Test' });
  await suite.server.api('POST', `/v1/lists/${list.id}/contacts`, { emails: ['maria@example.com'] });
}

async function listId(name) {
  const lists = (await suite.server.api('GET', '/v1/lists')).body.data;
  return lists.find((l) => l.name === name)?.id;
}

// Builds trigger -> condition -> (yes) webhook on the canvas; leaves the webhook unchosen.
async function buildSampleJourney(ui, name) {
  const { page } = ui;
  await nav(ui, 'Journeys');
  await ui.shot('journeys-list');
  await page.getByRole('button', { name: 'Create journey' }).first().click();
  await expectVisible(page.locator('.react-flow'));
  await expectVisible(page.getByText('Start with a trigger'));
  await ui.shot('builder-empty');

  // The palette is grouped as the product names them.
  const palette = page.getByRole('complementary', { name: 'Blocks' });
  for (const group of ['Triggers', 'Conditions', 'Delays', 'Actions']) {
    await expectVisible(palette.getByRole('heading', { name: group }));
  }

  await page.getByLabel('Journey name').fill(name);

  // Trigger: email.click where campaign_name is "Sample".
  await dragBlock(page, 'Email link clicked', 420, 70);
  const panel = page.getByRole('complementary', { name: 'Block settings' });
  await expectVisible(panel.getByRole('heading', { name: 'Trigger' }));
  await panel.getByRole('button', { name: 'Add filter' }).click();
  await panel.getByLabel('Filter 1 field').fill('event_details.campaign_name');
  await panel.getByLabel('Filter 1 operator').selectOption('eq');
  await panel.getByLabel('Filter 1 value').fill('Sample');
  await expectText(blockOfType(page, 'trigger'), 'campaign_name is “Sample”');

  // Condition: member of list Test.
  await dragBlock(page, 'Is in list', 420, 300);
  await expectVisible(panel.getByRole('heading', { name: 'Condition' }));
  await panel.getByLabel('The contact is a member of').selectOption({ label: 'Test (1 contact)' });
  await expectText(blockOfType(page, 'condition'), 'Contact is in list “Test”');

  // Webhook, on the yes branch.
  await dragBlock(page, 'Webhook', 260, 540);
  await expectVisible(panel.getByRole('heading', { name: 'Webhook' }));
  await expectText(blockOfType(page, 'webhook'), 'Choose or create a webhook');

  // Connect: trigger -> condition, condition (yes) -> webhook.
  await wire(
    page,
    blockOfType(page, 'trigger').locator('.react-flow__handle.source'),
    blockOfType(page, 'condition').locator('.react-flow__handle.target'),
  );
  await expectCount(page.locator('.react-flow__edge'), 1);
  await wire(
    page,
    blockOfType(page, 'condition').locator('.react-flow__handle[data-handleid="yes"]'),
    blockOfType(page, 'webhook').locator('.react-flow__handle.target'),
  );
  await expectCount(page.locator('.react-flow__edge'), 2);
  await expectVisible(page.locator('.react-flow__edge.edge-yes'));
  await ui.shot('builder-connected');

  // Saving now names the block at fault, on the block.
  await page.getByRole('button', { name: 'Save' }).click();
  await expectText(blockOfType(page, 'webhook').locator('.block-error'), 'Choose or create a webhook');
  await expectText(page.getByRole('alert').filter({ hasText: 'not saved' }), 'marked in red');
  await ui.shot('builder-validation-error');
}

async function activateAndDeliver(ui, receiver, webhookName) {
  const { page } = ui;
  await page.getByRole('button', { name: 'Activate' }).click();
  await expectText(page.locator('.builder-name .badge'), 'Active');
  await expectVisible(page.getByRole('button', { name: 'Pause' }));
  assert.match(new URL(page.url()).pathname, /^\/journeys\/[^/]+$/);
  const journeyId = new URL(page.url()).pathname.split('/').pop();
  const saved = (await suite.server.api('GET', `/v1/journeys/${journeyId}`)).body;
  assert.equal(saved.status, 'active');
  assert.equal(saved.blocks.length, 3);
  const trigger = saved.blocks.find((b) => b.type === 'trigger');
  assert.deepEqual(trigger.config, {
    event: 'email.click',
    filters: [{ field: 'event_details.campaign_name', op: 'eq', value: 'Sample' }],
  });
  assert.equal(saved.blocks.find((b) => b.type === 'condition').config.in_list, await listId('Test'));
  assert.ok(saved.edges.some((e) => e.branch === 'yes'));
  await ui.shot('journey-active');

  // A contact of list Test clicks campaign Sample; one outside the list, and another campaign, do not count.
  const before = receiver.requests.length;
  for (const [email, campaign] of [
    ['joao@example.com', 'Sample'],
    ['maria@example.com', 'Other'],
    ['maria@example.com', 'Sample'],
  ]) {
    const res = await suite.server.api('POST', '/v1/events', {
      event: 'email.click',
      contact: { email },
      event_details: { campaign_name: campaign },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }
  await waitFor(() => receiver.requests.length > before, { timeoutMs: 20000 });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(receiver.requests.length, before + 1, 'only maria clicking Sample calls the webhook');
  const body = JSON.parse(receiver.requests.at(-1).body);
  assert.equal(body.event, 'email.click');
  assert.equal(body.data.contact.email, 'maria@example.com');

  // The canvas counts the contact through the webhook block.
  await expectText(blockOfType(page, 'webhook').locator('[data-stat="entered"]'), '1', 20000);
  await ui.shot('journey-counts');

  // The deliveries log shows the call succeeded; its attempt shows the request and the response.
  await nav(ui, 'Deliveries');
  await page.getByLabel('Webhook').selectOption({ label: webhookName });
  const row = page
    .getByRole('table', { name: 'Deliveries' })
    .getByRole('row')
    .filter({ hasText: 'email.click' });
  await expectText(row.first(), 'Succeeded', 20000);
  await expectText(row.first(), webhookName);
  await expectText(row.first(), '200');
  await ui.shot('deliveries-log');
  await row.first().getByRole('link').click();
  await expectVisible(page.getByRole('heading', { level: 2, name: 'Attempts' }));
  const attempt = page.locator('details.attempt[data-attempt="1"]');
  await expectText(attempt.locator('summary'), 'HTTP 200');
  await expectText(attempt.getByRole('region', { name: 'Attempt 1 request' }), receiver.url);
  await expectText(attempt.getByRole('region', { name: 'Attempt 1 request' }), 'webhook-signature');
  await expectText(attempt.getByRole('region', { name: 'Attempt 1 response' }), 'HTTP 200');
  await expectText(page.getByLabel('Payload'), 'maria@example.com');
  await ui.shot('delivery-detail');
}

test('build the sample journey, choose the webhook in the popup, activate, and see it delivered', async () => {
  await apiCreate(suite.server, '/v1/webhooks', {
    name: 'Billing',
    url: `${suite.receivers.chosen.url}/journey`,
  });
  await withPage(suite, 'journey-choose-webhook', { allow: [400, 401, 422] }, async (ui) => {
    const { page } = ui;

    // Contacts and lists: create list Test and add maria to it.
    await nav(ui, 'Contacts & lists');
    await expectText(page.getByRole('table', { name: 'Contacts' }), 'maria@example.com');
    await ui.shot('contacts');
    await page.getByRole('tab', { name: 'Lists' }).click();
    await page.getByLabel('New list').fill('Test');
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByRole('table', { name: 'Lists' }).getByRole('link', { name: 'Test' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Test' }));
    await page.getByLabel('Add contacts by email').fill('maria@example.com');
    await page.getByRole('button', { name: 'Add to list' }).click();
    await expectText(page.getByRole('table', { name: 'Members' }), 'maria@example.com');
    await expectText(page.locator('.page-description'), '1 contact');
    await ui.shot('list-test-members');

    await buildSampleJourney(ui, 'Sample clicks');

    // The Webhook block's popup lists the webhooks; choose Billing.
    await blockOfType(page, 'webhook').locator('.block-head').click();
    await page.getByRole('button', { name: 'Choose or create a webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose or create a webhook' });
    await expectVisible(dialog);
    await expectVisible(dialog.getByRole('button', { name: 'Create new webhook' }));
    await ui.shot('popup-choose');
    await dialog.getByRole('radio', { name: /Billing/ }).check();
    await dialog.getByRole('button', { name: 'Choose webhook' }).click();
    await expectHidden(dialog);
    await expectText(blockOfType(page, 'webhook'), 'Billing');
    await expectHidden(blockOfType(page, 'webhook').locator('.block-error'));

    await activateAndDeliver(ui, suite.receivers.chosen, 'Billing');
  });
});

test('create the webhook from the popup: the same form, tested, then chosen', async () => {
  await ensureListTest();
  await withPage(suite, 'journey-create-webhook', { allow: [400, 401, 422] }, async (ui) => {
    const { page } = ui;
    await buildSampleJourney(ui, 'Sample clicks to CRM');

    await blockOfType(page, 'webhook').locator('.block-head').click();
    await page.getByRole('button', { name: 'Choose or create a webhook' }).click();
    await page
      .getByRole('dialog', { name: 'Choose or create a webhook' })
      .getByRole('button', { name: 'Create new webhook' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Create new webhook' });
    await expectVisible(dialog);
    await dialog.getByLabel('Webhook name').fill('CRM');
    await dialog.getByLabel('URL', { exact: true }).fill(`${suite.receivers.created.url}/crm`);
    await dialog.getByRole('switch', { name: /Add custom payload/ }).click();
    await dialog.getByLabel('Payload 1 key').fill('email');
    await dialog.getByLabel('Payload 1 property').selectOption('contact.email');
    // The journey's calls carry its trigger's event: the Test samples that one.
    assert.equal(await dialog.getByLabel('Sample event').inputValue(), 'email.click');
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(dialog.getByRole('region', { name: 'Test result' }), 'Success');
    const tested = suite.receivers.created.requests.at(-1);
    assert.equal(JSON.parse(tested.body).event, 'email.click');
    await ui.shot('popup-create-tested');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await expectHidden(dialog);
    await expectText(blockOfType(page, 'webhook'), 'CRM');
    await ui.shot('popup-created-chosen');
    const hooks = (await suite.server.api('GET', '/v1/webhooks')).body.data;
    const crm = hooks.find((w) => w.name === 'CRM');
    assert.ok(crm, 'the webhook was created');
    assert.deepEqual(crm.custom_payload, { email: '{{contact.email}}' });

    const before = suite.receivers.created.requests.length;
    await activateAndDeliver(ui, suite.receivers.created, 'CRM');
    const call = JSON.parse(suite.receivers.created.requests.at(-1).body);
    assert.equal(suite.receivers.created.requests.length, before + 1);
    assert.deepEqual(call.data.custom_data, { email: 'maria@example.com' });

    // Pause stops enrolment.
    await nav(ui, 'Journeys');
    await page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('link', { name: 'Sample clicks to CRM' })
      .click();
    await expectVisible(page.locator('.react-flow'));
    await expectText(blockOfType(page, 'webhook').locator('[data-stat="entered"]'), '1');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectText(page.locator('.builder-name .badge'), 'Paused');
    await ui.shot('journey-paused');
  });
});

test("build with the keyboard, and see the server's validation error on its block", async () => {
  await ensureListTest();
  const hooks = (await suite.server.api('GET', '/v1/webhooks')).body.data;
  if (!hooks.some((w) => w.name === 'Billing')) {
    await suite.server.api('POST', '/v1/webhooks', {
      name: 'Billing',
      url: `${suite.receivers.chosen.url}/journey`,
    });
  }
  await withPage(suite, 'journey-keyboard', { allow: [400, 401, 422] }, async (ui) => {
    const { page } = ui;
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().focus();
    await page.keyboard.press('Enter');
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Keyboard journey');

    // Enter on a palette block adds it after the selected block, connected.
    await addBlocks(page, 'Email link clicked', 'Is in list');
    await expectCount(page.locator('.react-flow__edge'), 1);
    const panel = page.getByRole('complementary', { name: 'Block settings' });
    await panel.getByLabel('The contact is a member of').selectOption({ label: 'Test (1 contact)' });
    await addBlocks(page, 'Webhook');
    await expectCount(page.locator('.react-flow__edge'), 2);
    await expectVisible(page.locator('.react-flow__edge.edge-yes'));

    // The popup, by keyboard.
    await panel.getByRole('button', { name: 'Choose or create a webhook' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Choose or create a webhook' });
    await expectVisible(dialog);
    await dialog.getByRole('radio', { name: /Billing/ }).focus();
    await page.keyboard.press('Space');
    await dialog.getByRole('button', { name: 'Choose webhook' }).focus();
    await page.keyboard.press('Enter');
    await expectHidden(dialog);
    await expectText(blockOfType(page, 'webhook'), 'Billing');

    // Lead the webhook back to the condition: a cycle, which the server refuses naming the block.
    await panel.getByRole('combobox', { name: /Then go to/ }).selectOption('condition_1');
    await expectCount(page.locator('.react-flow__edge'), 3);
    await page.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await expectText(blockOfType(page, 'condition').locator('.block-error'), 'cycle');
    await expectText(page.getByRole('alert').filter({ hasText: 'not saved' }), 'cycle');
    await ui.shot('server-validation-on-block');

    // Fixed, it saves.
    await blockOfType(page, 'webhook').focus();
    await page.keyboard.press('Enter');
    await panel.getByRole('combobox', { name: /Then go to/ }).selectOption({ label: 'Nothing (end)' });
    await expectCount(page.locator('.react-flow__edge'), 2);
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    await expectHidden(blockOfType(page, 'condition').locator('.block-error'));
    assert.match(new URL(page.url()).pathname, /^\/journeys\/[^/]+$/);
    await ui.shot('keyboard-journey-saved');
  });
});

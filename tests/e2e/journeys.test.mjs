// The source's sample journey, built in the browser: "the webhook is called whenever contacts of
// list 'Test' click the email campaign 'Sample'". Blocks are dragged from the palette onto the
// canvas and connected by their handles; the Webhook block's popup chooses a webhook (first test)
// or creates one (second test); the journey is activated; an email.click event posted through the
// API reaches the receiver; the delivery shows in the log with its attempt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, waitFor, API_KEY } from '../integration/lib/harness.mjs';
import {
  launch,
  openPage,
  expectText,
  expectVisible,
  expectHidden,
  expectCount,
  signIn,
  nav,
  WEB_ROOT,
} from './lib/browser.mjs';

let server;
let browser;
const receivers = {};

before(async () => {
  server = await startServer({ args: ['--web-root', WEB_ROOT] });
  receivers.chosen = await startReceiver(() => ({ status: 200, body: 'ok' }));
  receivers.created = await startReceiver(() => ({ status: 200, body: 'ok' }));
  browser = await launch();
  // Contacts the host application would have reported.
  for (const email of ['maria@example.com', 'joao@example.com']) {
    const res = await server.api('POST', '/v1/contacts', { email, first_name: email.split('@')[0] });
    assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  for (const r of Object.values(receivers)) await r.close();
});

const blockNode = (page, type) =>
  page.locator('.react-flow__node', { has: page.locator(`[data-block-type="${type}"]`) });

// Drags a palette block onto the canvas at (x, y) of the canvas.
async function dragBlock(page, label, x, y) {
  const before = await page.locator('.react-flow__node').count();
  await page
    .getByRole('complementary', { name: 'Blocks' })
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .dragTo(page.locator('.canvas'), { targetPosition: { x, y } });
  await expectCount(page.locator('.react-flow__node'), before + 1);
}

// Connects two handles with the mouse, as a user drags a wire.
async function wire(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  assert.ok(a && b, 'both handles are on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function listId(name) {
  const lists = (await server.api('GET', '/v1/lists')).body.data;
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
  await expectText(blockNode(page, 'trigger'), 'campaign_name is “Sample”');

  // Condition: member of list Test.
  await dragBlock(page, 'Is in list', 420, 300);
  await expectVisible(panel.getByRole('heading', { name: 'Condition' }));
  await panel.getByLabel('The contact is a member of').selectOption({ label: 'Test (1 contact)' });
  await expectText(blockNode(page, 'condition'), 'Contact is in list “Test”');

  // Webhook, on the yes branch.
  await dragBlock(page, 'Webhook', 260, 540);
  await expectVisible(panel.getByRole('heading', { name: 'Webhook' }));
  await expectText(blockNode(page, 'webhook'), 'Choose or create a webhook');

  // Connect: trigger -> condition, condition (yes) -> webhook.
  await wire(
    page,
    blockNode(page, 'trigger').locator('.react-flow__handle.source'),
    blockNode(page, 'condition').locator('.react-flow__handle.target'),
  );
  await expectCount(page.locator('.react-flow__edge'), 1);
  await wire(
    page,
    blockNode(page, 'condition').locator('.react-flow__handle[data-handleid="yes"]'),
    blockNode(page, 'webhook').locator('.react-flow__handle.target'),
  );
  await expectCount(page.locator('.react-flow__edge'), 2);
  await expectVisible(page.locator('.react-flow__edge.edge-yes'));
  await ui.shot('builder-connected');

  // Saving now names the block at fault, on the block.
  await page.getByRole('button', { name: 'Save' }).click();
  await expectText(blockNode(page, 'webhook').locator('.block-error'), 'Choose or create a webhook');
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
  const saved = (await server.api('GET', `/v1/journeys/${journeyId}`)).body;
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
    const res = await server.api('POST', '/v1/events', {
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
  await expectText(blockNode(page, 'webhook').locator('[data-stat="entered"]'), '1', 20000);
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
  const webhook = await server.api('POST', '/v1/webhooks', {
    name: 'Billing',
    url: `${receivers.chosen.url}/journey`,
  });
  assert.equal(webhook.status, 201);
  const ui = await openPage(browser, server.baseUrl, 'journey-choose-webhook');
  const { page } = ui;
  try {
    await signIn(ui, API_KEY);

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
    await blockNode(page, 'webhook').locator('.block-head').click();
    await page.getByRole('button', { name: 'Choose or create a webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose or create a webhook' });
    await expectVisible(dialog);
    await expectVisible(dialog.getByRole('button', { name: 'Create new webhook' }));
    await ui.shot('popup-choose');
    await dialog.getByRole('radio', { name: /Billing/ }).check();
    await dialog.getByRole('button', { name: 'Choose webhook' }).click();
    await expectHidden(dialog);
    await expectText(blockNode(page, 'webhook'), 'Billing');
    await expectHidden(blockNode(page, 'webhook').locator('.block-error'));

    await activateAndDeliver(ui, receivers.chosen, 'Billing');
    assert.deepEqual(
      ui.problems.filter((p) => !isExpected(p)),
      [],
    );
  } finally {
    await ui.close();
  }
});

test('create the webhook from the popup: the same form, tested, then chosen', async () => {
  // The first test made list Test; make sure of it if that test did not get so far.
  if (!(await listId('Test'))) {
    const list = await server.api('POST', '/v1/lists', { name: 'Test' });
    await server.api('POST', `/v1/lists/${list.body.id}/contacts`, { emails: ['maria@example.com'] });
  }
  const ui = await openPage(browser, server.baseUrl, 'journey-create-webhook');
  const { page } = ui;
  try {
    await signIn(ui, API_KEY);
    await buildSampleJourney(ui, 'Sample clicks to CRM');

    await blockNode(page, 'webhook').locator('.block-head').click();
    await page.getByRole('button', { name: 'Choose or create a webhook' }).click();
    await page
      .getByRole('dialog', { name: 'Choose or create a webhook' })
      .getByRole('button', { name: 'Create new webhook' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Create new webhook' });
    await expectVisible(dialog);
    await dialog.getByLabel('Webhook name').fill('CRM');
    await dialog.getByLabel('URL', { exact: true }).fill(`${receivers.created.url}/crm`);
    await dialog.getByRole('switch', { name: /Add custom payload/ }).click();
    await dialog.getByLabel('Payload 1 key').fill('email');
    await dialog.getByLabel('Payload 1 property').selectOption('contact.email');
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(dialog.getByRole('region', { name: 'Test result' }), 'Success');
    await ui.shot('popup-create-tested');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await expectHidden(dialog);
    await expectText(blockNode(page, 'webhook'), 'CRM');
    await ui.shot('popup-created-chosen');
    const hooks = (await server.api('GET', '/v1/webhooks')).body.data;
    const crm = hooks.find((w) => w.name === 'CRM');
    assert.ok(crm, 'the webhook was created');
    assert.deepEqual(crm.custom_payload, { email: '{{contact.email}}' });

    const before = receivers.created.requests.length;
    await activateAndDeliver(ui, receivers.created, 'CRM');
    const call = JSON.parse(receivers.created.requests.at(-1).body);
    assert.equal(receivers.created.requests.length, before + 1);
    assert.deepEqual(call.data.custom_data, { email: 'maria@example.com' });

    // Pause stops enrolment.
    await nav(ui, 'Journeys');
    await page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('link', { name: 'Sample clicks to CRM' })
      .click();
    await expectVisible(page.locator('.react-flow'));
    await expectText(blockNode(page, 'webhook').locator('[data-stat="entered"]'), '1');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectText(page.locator('.builder-name .badge'), 'Paused');
    await ui.shot('journey-paused');
    assert.deepEqual(
      ui.problems.filter((p) => !isExpected(p)),
      [],
    );
  } finally {
    await ui.close();
  }
});

test("build with the keyboard, and see the server's validation error on its block", async () => {
  if (!(await listId('Test'))) {
    const list = await server.api('POST', '/v1/lists', { name: 'Test' });
    await server.api('POST', `/v1/lists/${list.body.id}/contacts`, { emails: ['maria@example.com'] });
  }
  const hooks = (await server.api('GET', '/v1/webhooks')).body.data;
  if (!hooks.some((w) => w.name === 'Billing')) {
    await server.api('POST', '/v1/webhooks', { name: 'Billing', url: `${receivers.chosen.url}/journey` });
  }
  const ui = await openPage(browser, server.baseUrl, 'journey-keyboard');
  const { page } = ui;
  try {
    await signIn(ui, API_KEY);
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().focus();
    await page.keyboard.press('Enter');
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Keyboard journey');

    // Enter on a palette block adds it after the selected block, connected.
    const palette = page.getByRole('complementary', { name: 'Blocks' });
    const press = async (label) => {
      await palette.getByRole('button', { name: new RegExp(`^${label}`) }).focus();
      await page.keyboard.press('Enter');
    };
    await press('Email link clicked');
    await expectCount(page.locator('.react-flow__node'), 1);
    await press('Is in list');
    await expectCount(page.locator('.react-flow__node'), 2);
    await expectCount(page.locator('.react-flow__edge'), 1);
    const panel = page.getByRole('complementary', { name: 'Block settings' });
    await panel.getByLabel('The contact is a member of').selectOption({ label: 'Test (1 contact)' });
    await press('Webhook');
    await expectCount(page.locator('.react-flow__node'), 3);
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
    await expectText(blockNode(page, 'webhook'), 'Billing');

    // Lead the webhook back to the condition: a cycle, which the server refuses naming the block.
    await panel.getByRole('combobox', { name: /Then go to/ }).selectOption('condition_1');
    await expectCount(page.locator('.react-flow__edge'), 3);
    await page.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await expectText(blockNode(page, 'condition').locator('.block-error'), 'cycle');
    await expectText(page.getByRole('alert').filter({ hasText: 'not saved' }), 'cycle');
    await ui.shot('server-validation-on-block');

    // Fixed, it saves.
    await blockNode(page, 'webhook').focus();
    await page.keyboard.press('Enter');
    await panel.getByRole('combobox', { name: /Then go to/ }).selectOption({ label: 'Nothing (end)' });
    await expectCount(page.locator('.react-flow__edge'), 2);
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    await expectHidden(blockNode(page, 'condition').locator('.block-error'));
    assert.match(new URL(page.url()).pathname, /^\/journeys\/[^/]+$/);
    await ui.shot('keyboard-journey-saved');
    assert.deepEqual(
      ui.problems.filter((p) => !isExpected(p)),
      [],
    );
  } finally {
    await ui.close();
  }
});

function isExpected(problem) {
  return /Failed to load resource: the server responded with a status of (400|401|422)/.test(problem);
}

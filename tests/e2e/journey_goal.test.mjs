// The Goal block in the builder: a cart-abandonment journey built by hand (cart.abandoned -> wait
// 1 hour -> webhook "Send reminder") gets a Goal on order.paid from the palette, configured in the
// panel with the trigger's event picker. The goal stands alone: it has no handles and a wire
// dragged onto it makes no connection; the palette offers no second one. Activated, two carts are
// abandoned and one of the two contacts pays while waiting: the goal counts 1 converted, the wait
// still holds the other contact, the totals say Converted 1 and the reminder is sent to nobody
// (the wait is an hour). Last, a journey with a goal made through the API without positions: the
// builder lays the goal out level with the trigger, beside the flow, over no other block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectText, expectVisible, nav } from './lib/browser.mjs';
import {
  addBlocks, blockById, chooseCustomEvent, chooseWebhook, overlap, panelOf, select, wire,
} from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const made = {};
const suite = browserSuite({
  receivers: { shop: () => ({ status: 200, body: 'ok' }) },
  setup: async ({ server, receivers }) => {
    made.webhook = await apiCreate(server, '/v1/webhooks', {
      name: 'Send reminder',
      url: `${receivers.shop.url}/reminder`, // no events of its own: only the journey calls it
    });
  },
});

async function journeyOf(id) {
  return (await suite.server.api('GET', `/v1/journeys/${id}`)).body;
}

async function send(event, email) {
  const res = await suite.server.api('POST', '/v1/events', { event, contact: { email } });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

function goalInPalette(page) {
  return page.getByRole('complementary', { name: 'Blocks' }).getByRole('button', { name: /^Goal/ });
}

test('a goal on order.paid takes the buyer out of the cart reminder, counted as converted', async () => {
  await withPage(suite, 'journey-goal', async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().click();
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Cart reminder');

    // cart.abandoned -> wait 1 hour -> webhook, each added after the one before (and wired).
    await addBlocks(page, 'Any event', 'Wait', 'Webhook');
    await expectCount(page.locator('.react-flow__edge'), 2);
    await select(page, 'trigger_1', 'Trigger');
    await chooseCustomEvent(panel, 'When this event happens', 'cart.abandoned');
    await expectText(blockById(page, 'trigger_1'), 'cart.abandoned');
    await select(page, 'wait_1', 'Wait');
    await panel.getByLabel('Wait for').fill('1');
    await panel.getByLabel('Unit').selectOption('h');
    await expectText(blockById(page, 'wait_1'), '1 hour');
    await select(page, 'webhook_1', 'Webhook');
    await chooseWebhook(page, 'Send reminder');
    await expectText(blockById(page, 'webhook_1'), 'Send reminder');

    // The goal, from the palette: beside the trigger, wired to nothing, its event still to choose.
    await expectText(goalInPalette(page), 'counted as converted');
    await addBlocks(page, 'Goal');
    const goal = blockById(page, 'goal_1');
    await expectVisible(panel.getByRole('heading', { name: 'Goal' }));
    await expectText(panel, 'counts as converted');
    await expectText(goal, 'Choose an event');
    await expectCount(page.locator('.react-flow__edge'), 2);
    await expectCount(goal.locator('.react-flow__handle'), 0);
    const triggerBox = await blockById(page, 'trigger_1').boundingBox();
    const goalBox = await goal.boundingBox();
    assert.ok(goalBox.x >= triggerBox.x + triggerBox.width, 'right of the trigger');
    assert.ok(Math.abs(goalBox.y - triggerBox.y) < 2, 'level with the trigger');
    await chooseCustomEvent(panel, 'Converted when this event happens', 'order.paid');
    await expectText(goal, 'order.paid');
    assert.equal(await goal.locator('[data-block-type]').getAttribute('aria-label'), 'Goal: order.paid');
    await ui.shot('goal-configured');

    // No wire reaches it, and no other block offers it as a next step.
    await wire(page, blockById(page, 'webhook_1').locator('.react-flow__handle.source'), goal);
    await expectCount(page.locator('.react-flow__edge'), 2);
    await select(page, 'webhook_1', 'Webhook');
    const next = panel.getByRole('combobox', { name: /Then go to/ });
    assert.equal(await next.locator('option[value="goal_1"]').count(), 0);

    // One goal a journey: the palette says so and adds no second one.
    await expectText(goalInPalette(page), 'One per journey: this one has goal_1');
    assert.equal(await goalInPalette(page).getAttribute('aria-disabled'), 'true');
    await goalInPalette(page).focus();
    await page.keyboard.press('Enter');
    await expectCount(page.locator('.react-flow__node'), 4);
    await ui.shot('goal-built');

    await page.getByRole('button', { name: 'Activate' }).click();
    await expectText(page.locator('.builder-name .badge'), 'Active');
    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = await journeyOf(id);
    assert.equal(saved.status, 'active');
    const stored = saved.blocks.find((b) => b.id === 'goal_1');
    assert.equal(stored.type, 'goal');
    assert.deepEqual(stored.config, { event: 'order.paid', filters: [] });
    assert.ok(!saved.edges.some((e) => e.source === 'goal_1' || e.target === 'goal_1'));

    // Two carts abandoned, both contacts wait; then a@ pays.
    await send('cart.abandoned', 'a@example.com');
    await send('cart.abandoned', 'b@example.com');
    await waitFor(async () => (await journeyOf(id)).stats.wait_1?.waiting === 2, { timeoutMs: 20000 });
    await send('order.paid', 'a@example.com');
    await waitFor(async () => (await journeyOf(id)).totals.converted === 1, { timeoutMs: 20000 });
    const after = await journeyOf(id);
    assert.equal(after.totals.converted, 1);
    assert.equal(after.totals.waiting, 1);
    assert.equal(after.stats.goal_1.entered, 1);
    assert.equal(after.stats.wait_1.waiting, 1);

    // Reloaded: the goal counts one converted, the wait holds the other, the totals agree.
    await page.reload();
    await expectVisible(goal);
    await expectText(goal.locator('.block-stats'), '1 converted');
    await expectText(goal.locator('[data-stat="converted"]'), /^1$/);
    await expectText(blockById(page, 'wait_1').locator('[data-stat="waiting"]'), /^1$/);
    const totals = page.getByRole('region', { name: 'Journey totals' });
    await expectText(totals.locator('[data-total="converted"]'), /Converted\s*1/i);
    await expectText(totals.locator('[data-total="waiting"] dd'), /^1$/);
    await expectText(totals.locator('[data-total="entered"] dd'), /^2$/);
    await ui.shot('goal-converted');
    assert.equal(suite.receivers.shop.requests.length, 0, 'no reminder sent: the wait is an hour');

    // The journeys list shows the conversion with the other totals.
    await nav(ui, 'Journeys');
    const row = page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('row')
      .filter({ hasText: 'Cart reminder' });
    await expectText(row.locator('td[data-total="converted"]'), /^1$/);
    await ui.shot('goal-journeys-list');
  });
});

test('a journey with a goal made through the API without positions: the goal laid out apart', async () => {
  await apiCreate(suite.server, '/v1/journeys', {
    name: 'Laid out goal',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'cart.abandoned', filters: [] } },
      { id: 'd', type: 'delay', config: { duration: '1d' } },
      { id: 'c', type: 'condition', config: { field: 'contact.country', op: 'eq', value: 'PT' } },
      { id: 'w', type: 'webhook', config: { webhook_id: made.webhook.id } },
      { id: 'x', type: 'exit' },
      {
        id: 'g',
        type: 'goal',
        config: { event: 'order.paid', filters: [{ field: 'event_details.total', op: 'gt', value: 10 }] },
      },
    ],
    edges: [
      { source: 't', target: 'd' },
      { source: 'd', target: 'c' },
      { source: 'c', target: 'w', branch: 'yes' },
      { source: 'c', target: 'x', branch: 'no' },
    ],
  });
  await withPage(suite, 'journey-goal-layout', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Journeys');
    await page.getByRole('table', { name: 'Journeys' }).getByRole('link', { name: 'Laid out goal' }).click();
    const goal = blockById(page, 'g');
    await expectVisible(goal);
    await expectCount(page.locator('.react-flow__edge'), 4);
    await expectText(goal, 'order.paid · total greater than 10');
    const ids = ['t', 'd', 'c', 'w', 'x'];
    const boxes = Object.fromEntries(
      await Promise.all([...ids, 'g'].map(async (id) => [id, await blockById(page, id).boundingBox()])),
    );
    for (const b of Object.values(boxes)) assert.ok(Number.isFinite(b.x) && Number.isFinite(b.y));
    for (const id of ids) assert.ok(!overlap(boxes.g, boxes[id]), `the goal is clear of ${id}`);
    assert.ok(Math.abs(boxes.g.y - boxes.t.y) < 2, 'level with the trigger');
    for (const id of ids) assert.ok(boxes.g.x > boxes[id].x, `right of ${id}`);
    await ui.shot('goal-laid-out');
  });
});

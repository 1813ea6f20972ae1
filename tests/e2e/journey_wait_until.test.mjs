// The Wait until block in the builder. A trial journey built by hand (trial.started -> Wait until
// order.paid, giving up after an hour -> Happened: webhook "Thank buyer", Timed out: webhook
// "Nudge"): the new block waits for an event not chosen yet and is refused on Save until one is;
// its two outputs are wired by keyboard and by mouse. Activated, two trials start and one of the
// two contacts pays: "Thank buyer" is called once, "Nudge" never, and the canvas, refreshing,
// labels the Happened wire with 1 and the block with 1 waiting. Then a wait until a time of day:
// the server's refusal of a bad event name is shown on the block, the switch of mode drops the
// wire of the output that went, a missing time is refused, 09:00 in America/Sao_Paulo is saved
// and kept after a reload. Last, a journey made through the API without positions: the Happened
// and Timed out branches laid out side by side as a condition's yes and no.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectText, expectVisible, nav } from './lib/browser.mjs';
import {
  addBlocks, blockById, chooseCustomEvent, chooseWebhook, dragBlock, overlap, panelOf, select, wire,
} from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const made = {};
const suite = browserSuite({
  receivers: {
    thank: () => ({ status: 200, body: 'ok' }),
    nudge: () => ({ status: 200, body: 'ok' }),
  },
  setup: async ({ server, receivers }) => {
    // No events of their own: only the journeys call them.
    made.thank = await apiCreate(server, '/v1/webhooks', {
      name: 'Thank buyer',
      url: `${receivers.thank.url}/thanks`,
    });
    made.nudge = await apiCreate(server, '/v1/webhooks', {
      name: 'Nudge',
      url: `${receivers.nudge.url}/nudge`,
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

// The Wait until's mode, chosen by clicking its segment (the radio inside it takes no clicks).
async function chooseMode(panel, name) {
  const modes = panel.getByRole('radiogroup', { name: 'Wait until' });
  await modes.locator('label', { hasText: name }).click();
  assert.equal(await modes.getByRole('radio', { name }).isChecked(), true);
}

// The label on a wire, read from the SVG ("Happened · 1"; no innerText there); '' when none.
async function wireLabel(page, edgeClass) {
  const text = page.locator(`.react-flow__edge.${edgeClass} .react-flow__edge-text`);
  return (await text.count()) ? await text.first().textContent() : '';
}

function summaryOf(page, id) {
  return blockById(page, id).locator('.block-summary');
}

test('wait until order.paid: the buyer is thanked, the other still waits, the wires count each', async () => {
  await withPage(suite, 'journey-wait-until', async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().click();
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Trial to paid');

    // In the palette, among the Delays, after the Wait.
    const delays = page.getByRole('complementary', { name: 'Blocks' }).getByRole('group', { name: 'Delays' });
    assert.deepEqual(await delays.locator('.palette-label').allTextContents(), ['Wait', 'Wait until']);

    // New, it waits for an event still to choose, giving up after a day; two outputs.
    await addBlocks(page, 'Any event', 'Wait until');
    const wait = blockById(page, 'wait_until_1');
    await expectVisible(panel.getByRole('heading', { name: 'Wait until' }));
    const modes = panel.getByRole('radiogroup', { name: 'Wait until' });
    assert.equal(await modes.getByRole('radio', { name: 'An event happens' }).isChecked(), true);
    assert.equal(await modes.getByRole('radio', { name: 'A time of day' }).isChecked(), false);
    assert.equal(await panel.getByLabel('Give up after').inputValue(), '1');
    assert.equal(await panel.getByLabel('Unit').inputValue(), 'd');
    await expectText(summaryOf(page, 'wait_until_1'), 'Choose an event to wait for');
    assert.deepEqual(await wait.locator('.split-output').allTextContents(), ['Happened', 'Timed out']);
    await expectCount(wait.locator('.react-flow__handle.source'), 2);
    await expectCount(page.locator('.react-flow__edge'), 1);

    // Saved so, the builder says what is missing, on the block.
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(wait.locator('.block-error'), 'Choose the event to wait for.');
    await expectText(page.getByRole('alert').filter({ hasText: 'not saved' }), 'marked in red');
    await ui.shot('wait-until-no-event');

    await select(page, 'trigger_1', 'Trigger');
    await chooseCustomEvent(panel, 'When this event happens', 'trial.started');
    await select(page, 'wait_until_1', 'Wait until');
    await chooseCustomEvent(panel, 'Wait for this event', 'order.paid');
    await panel.getByLabel('Give up after').fill('1');
    await panel.getByLabel('Unit').selectOption('h');
    await expectText(summaryOf(page, 'wait_until_1'), 'Until order.paid · or 1 hour');
    assert.equal(await wait.locator('.block-error').count(), 0);

    // Happened: a webhook added after the block with Enter takes its first output.
    await addBlocks(page, 'Webhook');
    await chooseWebhook(page, 'Thank buyer');
    await expectText(blockById(page, 'webhook_1'), 'Thank buyer');
    await expectCount(page.locator('.react-flow__edge.edge-happened'), 1);

    // Timed out: a webhook dragged in to the right, wired from the handle with the mouse.
    const canvasBox = await page.locator('.canvas').boundingBox();
    const waitBox = await wait.boundingBox();
    await dragBlock(
      page,
      'Webhook',
      waitBox.x - canvasBox.x + waitBox.width / 2 + 160,
      waitBox.y - canvasBox.y + waitBox.height + 150,
    );
    await chooseWebhook(page, 'Nudge');
    await wire(
      page,
      wait.locator('.react-flow__handle[data-handleid="timed_out"]'),
      blockById(page, 'webhook_2').locator('.react-flow__handle.target'),
    );
    await expectCount(page.locator('.react-flow__edge'), 3);
    await expectCount(page.locator('.react-flow__edge.edge-timed-out'), 1);
    await select(page, 'wait_until_1', 'Wait until');
    const happenedNext = panel.getByRole('combobox', { name: /^If the event happens, go to/ });
    const timedOutNext = panel.getByRole('combobox', { name: /^If it times out, go to/ });
    assert.equal(await happenedNext.inputValue(), 'webhook_1');
    assert.equal(await timedOutNext.inputValue(), 'webhook_2');
    await ui.shot('wait-until-built');

    await page.getByRole('button', { name: 'Activate' }).click();
    await expectText(page.locator('.builder-name .badge'), 'Active');
    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = await journeyOf(id);
    assert.equal(saved.status, 'active');
    assert.deepEqual(saved.blocks.find((b) => b.id === 'wait_until_1').config, {
      until: 'event',
      event: 'order.paid',
      filters: [],
      timeout: '1h',
    });
    const out = saved.edges
      .filter((e) => e.source === 'wait_until_1')
      .map(({ branch, target }) => `${branch}->${target}`)
      .sort();
    assert.deepEqual(out, ['happened->webhook_1', 'timed_out->webhook_2']);

    // Two trials start; one of the two contacts pays while it waits.
    await send('trial.started', 'ana@example.com');
    await send('trial.started', 'bruno@example.com');
    await waitFor(async () => (await journeyOf(id)).stats.wait_until_1?.waiting === 2, { timeoutMs: 20000 });
    await send('order.paid', 'ana@example.com');
    await waitFor(async () => (await journeyOf(id)).stats.wait_until_1?.happened === 1, { timeoutMs: 20000 });
    const { thank, nudge } = suite.receivers;
    await waitFor(() => thank.requests.length >= 1, { timeoutMs: 20000 });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(thank.requests.length, 1, 'the buyer is thanked once');
    assert.equal(JSON.parse(thank.requests[0].body).data.contact.email, 'ana@example.com');
    assert.equal(nudge.requests.length, 0, 'nobody nudged: the timeout is an hour');
    const after = await journeyOf(id);
    assert.equal(after.stats.wait_until_1.waiting, 1);
    assert.equal(after.stats.wait_until_1.timed_out, 0);

    // The builder, refreshing its counts, shows them: 1 by Happened, none by Timed out, 1 waiting.
    await waitFor(async () => (await wireLabel(page, 'edge-happened')) === 'Happened · 1', {
      timeoutMs: 15000,
      intervalMs: 200,
    });
    assert.equal(await wireLabel(page, 'edge-timed-out'), 'Timed out · 0');
    assert.equal(
      await page.locator('.react-flow__edge.edge-happened').getAttribute('aria-label'),
      'wait_until_1 happened to webhook_1: 1 contact',
    );
    await expectText(wait.locator('[data-stat="entered"]'), /^2$/);
    await expectText(wait.locator('[data-stat="waiting"]'), /^1$/);
    await expectText(wait.locator('[data-stat="left"]'), /^1$/);
    await expectText(blockById(page, 'webhook_1').locator('[data-stat="entered"]'), /^1$/);
    await expectText(blockById(page, 'webhook_2').locator('[data-stat="entered"]'), /^0$/);
    await ui.shot('wait-until-counts');
  });
});

test('a wait until 09:00 in a time zone: refusals shown on the block, the mode switched, kept', async () => {
  await withPage(suite, 'journey-wait-until-time', { allow: [422] }, async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().click();
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Morning follow-up');
    await addBlocks(page, 'Any event', 'Wait until', 'Webhook');
    await chooseWebhook(page, 'Thank buyer');
    await expectCount(page.locator('.react-flow__edge.edge-happened'), 1);
    const wait = blockById(page, 'wait_until_1');

    // An event name the server refuses: its 422 is shown on the block, in the banner too.
    await select(page, 'wait_until_1', 'Wait until');
    await chooseCustomEvent(panel, 'Wait for this event', 'Order Paid');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(wait.locator('.block-error'), 'Not a valid event name.');
    await expectText(
      page.getByRole('alert').filter({ hasText: 'not saved' }),
      'Wait until wait_until_1: Not a valid event name.',
    );
    await ui.shot('wait-until-refused');
    await panel.getByLabel('Custom event name').fill('order.paid');
    assert.equal(await wait.locator('.block-error').count(), 0);

    // A time of day: one plain output; the Happened wire goes with the output.
    await chooseMode(panel, 'A time of day');
    await expectCount(wait.locator('.split-output'), 0);
    await expectCount(wait.locator('.react-flow__handle.source'), 1);
    await expectCount(page.locator('.react-flow__edge'), 1);
    await expectText(summaryOf(page, 'wait_until_1'), 'Choose a time of day');
    assert.equal(await panel.getByLabel('Time zone').inputValue(), 'UTC');
    await expectText(panel, "the contact's own zone is used instead");

    // Back to the event: what was set there is still there (the wire is not).
    await chooseMode(panel, 'An event happens');
    await expectText(summaryOf(page, 'wait_until_1'), 'Until order.paid · or 1 day');
    await expectCount(wait.locator('.react-flow__handle.source'), 2);
    await chooseMode(panel, 'A time of day');

    // No time yet: refused on the block before the server is asked.
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(wait.locator('.block-error'), 'Choose the time of day to wait until.');

    await panel.getByLabel('Time of day', { exact: true }).fill('09:00');
    await panel.getByLabel('Time zone').selectOption('America/Sao_Paulo');
    await expectText(summaryOf(page, 'wait_until_1'), 'Until 09:00 · America/Sao_Paulo');
    await panel.getByRole('combobox', { name: /^Then go to/ }).selectOption('webhook_1');
    await expectCount(page.locator('.react-flow__edge'), 2);
    await ui.shot('wait-until-time');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    await waitFor(async () => /\/journeys\/[^/]+$/.test(new URL(page.url()).pathname), { timeoutMs: 10000 });
    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = await journeyOf(id);
    assert.deepEqual(saved.blocks.find((b) => b.id === 'wait_until_1').config, {
      until: 'time',
      at: '09:00',
      time_zone: 'America/Sao_Paulo',
    });
    const out = saved.edges.filter((e) => e.source === 'wait_until_1');
    assert.deepEqual(
      out.map(({ target, branch }) => ({ target, branch })),
      [{ target: 'webhook_1', branch: undefined }],
    );

    // Reloaded, the block and its settings are as saved.
    await page.reload();
    await expectText(summaryOf(page, 'wait_until_1'), 'Until 09:00 · America/Sao_Paulo');
    await expectCount(page.locator('.react-flow__edge'), 2);
    await select(page, 'wait_until_1', 'Wait until');
    assert.equal(await panel.getByRole('radio', { name: 'A time of day' }).isChecked(), true);
    assert.equal(await panel.getByLabel('Time of day', { exact: true }).inputValue(), '09:00');
    assert.equal(await panel.getByLabel('Time zone').inputValue(), 'America/Sao_Paulo');
    await ui.shot('wait-until-time-reloaded');
  });
});

test('a journey with wait untils made through the API without positions is laid out', async () => {
  await apiCreate(suite.server, '/v1/journeys', {
    name: 'Laid out waits',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'trial.started', filters: [] } },
      {
        id: 'w',
        type: 'wait_until',
        config: {
          until: 'event',
          event: 'order.paid',
          filters: [{ field: 'event_details.total', op: 'gt', value: 10 }],
          timeout: '3d',
        },
      },
      { id: 'a', type: 'webhook', config: { webhook_id: made.thank.id } },
      { id: 'b', type: 'webhook', config: { webhook_id: made.nudge.id } },
      { id: 'q', type: 'wait_until', config: { until: 'time', at: '09:00', time_zone: 'Europe/Lisbon' } },
      { id: 'x', type: 'exit' },
    ],
    edges: [
      { source: 't', target: 'w' },
      { source: 'w', target: 'a', branch: 'happened' },
      { source: 'w', target: 'b', branch: 'timed_out' },
      { source: 'b', target: 'q' },
      { source: 'q', target: 'x' },
    ],
  });
  await withPage(suite, 'journey-wait-until-layout', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Journeys');
    await page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('link', { name: 'Laid out waits' })
      .click();
    await expectVisible(blockById(page, 'w'));
    await expectCount(page.locator('.react-flow__edge'), 5);
    await expectText(summaryOf(page, 'w'), 'Until order.paid · total greater than 10 · or 3 days');
    await expectText(summaryOf(page, 'q'), 'Until 09:00 · Europe/Lisbon');
    await expectCount(blockById(page, 'q').locator('.react-flow__handle.source'), 1);
    // A draft has run nobody: its wires say so.
    await waitFor(async () => (await wireLabel(page, 'edge-happened')) === 'Happened · 0', {
      timeoutMs: 5000,
      intervalMs: 100,
    });
    assert.equal(await wireLabel(page, 'edge-timed-out'), 'Timed out · 0');

    const ids = ['t', 'w', 'a', 'b', 'q', 'x'];
    const boxes = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, await blockById(page, id).boundingBox()])),
    );
    for (const [i, a] of ids.entries()) {
      for (const b of ids.slice(i + 1)) assert.ok(!overlap(boxes[a], boxes[b]), `${a} is clear of ${b}`);
    }
    // Happened to the left, Timed out to the right, both under the wait and level.
    const centre = (id) => boxes[id].x + boxes[id].width / 2;
    assert.ok(centre('a') < centre('w') && centre('w') < centre('b'), 'happened left, timed out right');
    assert.ok(Math.abs(boxes.a.y - boxes.b.y) < 2, 'the two outputs level');
    assert.ok(boxes.a.y > boxes.w.y + boxes.w.height, 'below the wait');
    assert.ok(boxes.q.y > boxes.b.y + boxes.b.height && boxes.x.y > boxes.q.y + boxes.q.height);
    await ui.shot('wait-until-laid-out');
  });
});

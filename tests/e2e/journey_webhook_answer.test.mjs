// A Webhook block that waits for the answer, in the builder. A lead journey built by hand
// (lead.created -> Webhook "Score lead", waiting, its answer's /lead/score and $.lead.tier copied
// onto the contact -> Succeeded: a Condition on contact.lead_score greater than 50 -> yes: Webhook
// "Tell sales"; Failed left unwired): the switch gives the block its two outputs, a bad mapping is
// refused on the block (by the builder, then by the server, which names the row), the saved
// config and branches are as built. Activated, one lead arrives: the CRM scores it 87, the
// contact gets lead_score 87 and lead_tier "gold", sales is told once, and the canvas labels the
// Succeeded wire with 1. Switched off, the block loses its Succeeded wire and its mapping editor.
// Last, a journey made through the API without positions, whose answer is not JSON: laid out with
// Succeeded and Failed side by side, the block says its answer was not mapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectHidden, expectText, expectVisible, nav } from './lib/browser.mjs';
import {
  addBlocks, blockById, chooseCustomEvent, chooseWebhook, overlap, panelOf, select,
} from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const made = {};
const suite = browserSuite({
  receivers: {
    crm: () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lead: { score: 87, tier: 'gold' } }),
    }),
    sales: () => ({ status: 200, body: 'ok' }),
  },
  setup: async ({ server, receivers }) => {
    // No events of their own: only the journeys call them.
    made.score = await apiCreate(server, '/v1/webhooks', {
      name: 'Score lead',
      url: `${receivers.crm.url}/score`,
    });
    made.tell = await apiCreate(server, '/v1/webhooks', {
      name: 'Tell sales',
      url: `${receivers.sales.url}/leads`,
    });
  },
});

async function journeyOf(id) {
  const res = await suite.server.api('GET', `/v1/journeys/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function send(event, email) {
  const res = await suite.server.api('POST', '/v1/events', { event, contact: { email } });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

// The contact's custom properties, {} while the contact does not exist yet.
async function propertiesOf(email) {
  const res = await suite.server.api('GET', `/v1/contacts?email=${encodeURIComponent(email)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data[0]?.properties ?? {};
}

// The label on a wire, read from the SVG ("Succeeded · 1"; no innerText there); '' when none.
async function wireLabel(page, edgeClass) {
  const text = page.locator(`.react-flow__edge.${edgeClass} .react-flow__edge-text`);
  return (await text.count()) ? await text.first().textContent() : '';
}

function outgoing(journey, source) {
  return journey.edges
    .filter((e) => e.source === source)
    .map(({ branch, target }) => `${branch ?? ''}->${target}`)
    .sort();
}

test('a webhook that waits: its answer mapped onto the contact, the Succeeded wire counts it', async () => {
  await withPage(suite, 'journey-webhook-answer', { allow: [422] }, async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().click();
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Lead scoring');

    await addBlocks(page, 'Any event', 'Webhook');
    await chooseWebhook(page, 'Score lead');
    const score = blockById(page, 'webhook_1');
    await expectText(score, 'Score lead');
    await select(page, 'trigger_1', 'Trigger');
    await chooseCustomEvent(panel, 'When this event happens', 'lead.created');

    // Not waiting, as a new block is: one plain output, no mapping to edit.
    await select(page, 'webhook_1', 'Webhook');
    const waitSwitch = panel.getByRole('switch', { name: 'Wait for the answer' });
    assert.equal(await waitSwitch.getAttribute('aria-checked'), 'false');
    await expectCount(score.locator('.react-flow__handle.source'), 1);
    assert.equal(await panel.getByRole('group', { name: 'Response mapping' }).count(), 0);

    // Waiting: Succeeded and Failed at the block's foot, and an empty mapping that says what it is for.
    await waitSwitch.click();
    assert.equal(await waitSwitch.getAttribute('aria-checked'), 'true');
    await expectText(panel, 'until the call succeeds');
    assert.deepEqual(await score.locator('.split-output').allTextContents(), ['Succeeded', 'Failed']);
    await expectCount(score.locator('.react-flow__handle.source'), 2);
    const mapping = panel.getByRole('group', { name: 'Response mapping' });
    await expectText(mapping, 'for a later Condition to test');

    await mapping.getByRole('button', { name: 'Add mapping' }).click();
    assert.equal(await mapping.getByLabel('Type 1').inputValue(), 'any');
    await mapping.getByLabel('From 1').fill('/lead/score');
    await mapping.getByLabel('To 1').fill('lead_score');
    await mapping.getByLabel('Type 1').selectOption({ label: 'Number' });
    await mapping.getByRole('button', { name: 'Add mapping' }).click();
    // Not a pointer nor a path: said under the row, and on the block at Save.
    await mapping.getByLabel('From 2').fill('lead.tier');
    await mapping.getByLabel('To 2').fill('lead_tier');
    await mapping.getByLabel('Type 2').selectOption({ label: 'Text' });
    await expectText(mapping.locator('.mapping-problem'), 'From starts with /');
    assert.equal(await mapping.getByLabel('From 2').getAttribute('aria-invalid'), 'true');
    await ui.shot('webhook-answer-mapping');

    // Succeeded: a Condition added after the block with Enter takes its first output.
    await addBlocks(page, 'Contact field');
    await expectCount(page.locator('.react-flow__edge.edge-succeeded'), 1);
    await panel.getByLabel('Filter 1 field').fill('contact.lead_score');
    await panel.getByLabel('Filter 1 operator').selectOption('gt');
    await panel.getByLabel('Filter 1 value').fill('50');
    await expectText(
      blockById(page, 'condition_1').locator('.block-summary'),
      'contact.lead_score greater than 50',
    );
    await addBlocks(page, 'Webhook');
    await chooseWebhook(page, 'Tell sales');
    await expectText(blockById(page, 'webhook_2'), 'Tell sales');
    await expectCount(page.locator('.react-flow__edge.edge-yes'), 1);

    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(score.locator('.block-error'), 'Response mapping 2: From starts with /');
    await expectText(page.getByRole('alert').filter({ hasText: 'not saved' }), 'marked in red');
    await ui.shot('webhook-answer-bad-mapping');

    // A path the builder lets by and the server refuses: its 422 names the row, shown on the block.
    await select(page, 'webhook_1', 'Webhook');
    await mapping.getByLabel('From 2').fill('$.lead..tier');
    assert.equal(await mapping.locator('.mapping-problem').count(), 0);
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(score.locator('.block-error'), /^Response mapping 2: From must be/);
    await expectText(
      page.getByRole('alert').filter({ hasText: 'not saved' }),
      'Webhook webhook_1: Response mapping 2',
    );

    await mapping.getByLabel('From 2').fill('$.lead.tier');
    assert.equal(await score.locator('.block-error').count(), 0);
    const succeededNext = panel.getByRole('combobox', { name: /^If the call succeeds, go to/ });
    const failedNext = panel.getByRole('combobox', { name: /^If the call fails, go to/ });
    assert.equal(await succeededNext.inputValue(), 'condition_1');
    assert.equal(await failedNext.inputValue(), '');
    await ui.shot('webhook-answer-built');

    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    await waitFor(async () => /\/journeys\/[^/]+$/.test(new URL(page.url()).pathname), { timeoutMs: 10000 });
    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = await journeyOf(id);
    assert.deepEqual(saved.blocks.find((b) => b.id === 'webhook_1').config, {
      webhook_id: made.score.id,
      wait_for_response: true,
      response_mapping: [
        { from: '/lead/score', to: 'lead_score', type: 'number' },
        { from: '$.lead.tier', to: 'lead_tier', type: 'string' },
      ],
    });
    assert.deepEqual(saved.blocks.find((b) => b.id === 'webhook_2').config, { webhook_id: made.tell.id });
    assert.deepEqual(outgoing(saved, 'trigger_1'), ['->webhook_1']);
    assert.deepEqual(outgoing(saved, 'webhook_1'), ['succeeded->condition_1']);
    assert.deepEqual(outgoing(saved, 'condition_1'), ['yes->webhook_2']);

    await page.getByRole('button', { name: 'Activate' }).click();
    await expectText(page.locator('.builder-name .badge'), 'Active');
    assert.equal((await journeyOf(id)).status, 'active');

    // One lead: scored by the CRM, its score and tier copied onto it, sales told once.
    const { crm, sales } = suite.receivers;
    const email = 'lead@example.com';
    await send('lead.created', email);
    await waitFor(() => sales.requests.length >= 1, { timeoutMs: 20000, intervalMs: 100 });
    await waitFor(
      async () => {
        const p = await propertiesOf(email);
        return p.lead_score === 87 && p.lead_tier === 'gold';
      },
      { timeoutMs: 10000, intervalMs: 100 },
    );
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(crm.requests.length, 1, 'the CRM is called once');
    assert.equal(sales.requests.length, 1, 'sales is told once');
    assert.equal(JSON.parse(sales.requests[0].body).data.contact.email, email);
    const after = await journeyOf(id);
    const stats = after.stats.webhook_1;
    assert.equal(stats.entered, 1);
    assert.equal(stats.waiting, 0);
    assert.equal(stats.succeeded, 1);
    assert.equal(stats.failed, 0);
    assert.equal(stats.unmapped, 0);

    // The builder, refreshing its counts, shows them: 1 by Succeeded, 1 by Yes; nothing unmapped.
    await waitFor(async () => (await wireLabel(page, 'edge-succeeded')) === 'Succeeded · 1', {
      timeoutMs: 15000,
      intervalMs: 200,
    });
    assert.equal(
      await page.locator('.react-flow__edge.edge-succeeded').getAttribute('aria-label'),
      'webhook_1 succeeded to condition_1: 1 contact',
    );
    await waitFor(async () => (await wireLabel(page, 'edge-yes')) === 'Yes · 1', {
      timeoutMs: 10000,
      intervalMs: 200,
    });
    await expectText(score.locator('[data-stat="left"]'), /^1$/);
    assert.equal(await score.locator('.block-note').count(), 0);
    await ui.shot('webhook-answer-counts');

    // Switched off: one plain output again; the Succeeded wire and the mapping editor go.
    await select(page, 'webhook_1', 'Webhook');
    await waitSwitch.click();
    assert.equal(await waitSwitch.getAttribute('aria-checked'), 'false');
    await expectCount(page.locator('.react-flow__edge.edge-succeeded'), 0);
    await expectCount(score.locator('.split-output'), 0);
    await expectCount(score.locator('.react-flow__handle.source'), 1);
    await expectHidden(mapping);
    assert.equal(await panel.getByRole('combobox', { name: /^Then go to/ }).inputValue(), '');
    // Back on while the panel is open: the mapping is as it was (the wire is not).
    await waitSwitch.click();
    assert.equal(await mapping.getByLabel('From 1').inputValue(), '/lead/score');
    assert.equal(await mapping.getByLabel('To 2').inputValue(), 'lead_tier');
    await expectCount(page.locator('.react-flow__edge.edge-succeeded'), 0);
    await ui.shot('webhook-answer-switched');
  });
});

test('a waiting webhook made through the API is laid out; an answer not JSON is not mapped', async () => {
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name: 'Answer not JSON',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'lead.imported', filters: [] } },
      {
        id: 'w',
        type: 'webhook',
        config: {
          webhook_id: made.tell.id,
          wait_for_response: true,
          response_mapping: [{ from: '/score', to: 'score', type: 'number' }],
        },
      },
      { id: 'ok', type: 'exit' },
      { id: 'ko', type: 'exit' },
    ],
    edges: [
      { source: 't', target: 'w' },
      { source: 'w', target: 'ok', branch: 'succeeded' },
      { source: 'w', target: 'ko', branch: 'failed' },
    ],
  });
  const activated = await suite.server.api('POST', `/v1/journeys/${journey.id}/activate`);
  assert.equal(activated.status, 200, JSON.stringify(activated.body));
  await send('lead.imported', 'imported@example.com');
  await waitFor(async () => (await journeyOf(journey.id)).stats.w?.unmapped === 1, {
    timeoutMs: 20000,
    intervalMs: 100,
  });
  const stats = (await journeyOf(journey.id)).stats.w;
  assert.equal(stats.succeeded, 1);
  assert.equal(stats.failed, 0);

  await withPage(suite, 'journey-webhook-answer-layout', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Journeys');
    await page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('link', { name: 'Answer not JSON' })
      .click();
    const w = blockById(page, 'w');
    await expectVisible(w);
    await expectCount(page.locator('.react-flow__edge'), 3);
    assert.deepEqual(await w.locator('.split-output').allTextContents(), ['Succeeded', 'Failed']);
    await expectText(w.locator('.block-note'), '1 answer not mapped');
    assert.match(await w.locator('.block-note').getAttribute('title'), /not JSON/);
    await waitFor(async () => (await wireLabel(page, 'edge-succeeded')) === 'Succeeded · 1', {
      timeoutMs: 5000,
      intervalMs: 100,
    });
    assert.equal(await wireLabel(page, 'edge-failed'), 'Failed · 0');

    // Succeeded to the left, Failed to the right, both under the webhook and level.
    const ids = ['t', 'w', 'ok', 'ko'];
    const boxes = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, await blockById(page, id).boundingBox()])),
    );
    for (const [i, a] of ids.entries()) {
      for (const b of ids.slice(i + 1)) assert.ok(!overlap(boxes[a], boxes[b]), `${a} is clear of ${b}`);
    }
    const centre = (id) => boxes[id].x + boxes[id].width / 2;
    assert.ok(centre('ok') < centre('w') && centre('w') < centre('ko'), 'succeeded left, failed right');
    assert.ok(Math.abs(boxes.ok.y - boxes.ko.y) < 2, 'the two outputs level');
    assert.ok(boxes.ok.y > boxes.w.y + boxes.w.height, 'below the webhook');

    // The panel: the switch on, the mapping as made, the outputs' next steps.
    await select(page, 'w', 'Webhook');
    const panel = panelOf(page);
    const waitSwitch = panel.getByRole('switch', { name: 'Wait for the answer' });
    assert.equal(await waitSwitch.getAttribute('aria-checked'), 'true');
    assert.equal(await panel.getByLabel('From 1').inputValue(), '/score');
    assert.equal(await panel.getByLabel('Type 1').inputValue(), 'number');
    assert.equal(await panel.getByRole('combobox', { name: /^If the call fails, go to/ }).inputValue(), 'ko');
    await ui.shot('webhook-answer-laid-out');
  });
});

// Problems a user met in the console, one test each, named by the number: journeys made
// through the API without positions, leaving unsaved edits, the signing secret of a webhook made
// in the journey popup and its rotation, cycles, and Retry on a delivery. The webhook form's are
// in console_fixes.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectHidden, expectCount, nav } from './lib/browser.mjs';
import { addBlocks, blockById } from './lib/builder.mjs';
import { canvasGeometry, overlaps } from './lib/measure.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

let list;
let hook;
const suite = browserSuite({
  receivers: { receiver: () => ({ status: 200, body: 'ok' }) },
  setup: async ({ server, receivers }) => {
    list = await apiCreate(server, '/v1/lists', { name: 'Test' });
    hook = await apiCreate(server, '/v1/webhooks', {
      name: 'Billing',
      url: `${receivers.receiver.url}/billing`,
    });
  },
});

const leaveDialog = (page) => page.getByRole('dialog', { name: 'Leave without saving?' });

test('5. A journey made through the API without positions is laid out from the trigger, every edge visible', async () => {
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name: 'Made by a script',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'email.click', filters: [] } },
      { id: 'c', type: 'condition', config: { in_list: list.id } },
      { id: 'w', type: 'webhook', config: { webhook_id: hook.id } },
      { id: 'd', type: 'delay', config: { duration: '2d' } },
      { id: 'x', type: 'exit', config: {} },
    ],
    edges: [
      { source: 't', target: 'c' },
      { source: 'c', target: 'w', branch: 'yes' },
      { source: 'c', target: 'd', branch: 'no' },
      { source: 'd', target: 'x' },
    ],
  });
  await withPage(suite, 'fix-5-layout', async (ui) => {
    const { page } = ui;
    await page.goto(`/journeys/${journey.id}`);
    await expectCount(page.locator('.react-flow__node'), 5);
    await expectCount(page.locator('.react-flow__edge'), 4);
    await new Promise((r) => setTimeout(r, 500)); // the view fits itself to the blocks
    await ui.shot('laid-out');

    const { nodes, edges } = await canvasGeometry(page);
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        assert.ok(!overlaps(nodes[i], nodes[j]), `${nodes[i].id} and ${nodes[j].id} do not overlap`);
      }
    }
    const at = Object.fromEntries(nodes.map((n) => [n.id, n]));
    assert.ok(at.t.bottom <= at.c.top, 'the trigger is on top');
    assert.ok(at.c.bottom <= Math.min(at.w.top, at.d.top), 'the condition is above its branches');
    assert.ok(at.w.right <= at.d.left, 'yes on the left, no on the right');
    assert.ok(at.d.bottom <= at.x.top, 'the exit follows the wait');
    for (const e of edges) {
      assert.doesNotMatch(e.d, /NaN/, `${e.id} has a drawable path`);
      assert.ok(e.length > 20, `${e.id} has a length`);
      assert.ok(e.outsideFraction > 0.5, `${e.id} runs between the blocks: ${JSON.stringify(e)}`);
    }
    // Laying out is not an edit: nothing to save, and leaving does not ask.
    await expectCount(page.getByText('Unsaved changes'), 0);
    await nav(ui, 'Journeys');
  });
});

test('6. Leaving a changed webhook form or journey asks first, and closing the tab warns', async () => {
  await withPage(suite, 'fix-6-leave', async (ui) => {
    const { page } = ui;
    const sidebar = page.getByRole('navigation', { name: 'Main' });
    const unloadBlocked = () =>
      page.evaluate(() => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      });

    // An untouched form is left without a question.
    await page.goto('/webhooks/new');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    assert.equal(await unloadBlocked(), false);
    await nav(ui, 'Journeys');

    // A changed one asks; Stay keeps the edits; the tab's close or reload is warned about.
    await page.goto('/webhooks/new');
    await page.getByLabel('Webhook name').fill('Half done');
    assert.equal(await unloadBlocked(), true);
    await sidebar.getByRole('link', { name: 'Journeys' }).click();
    await expectText(leaveDialog(page), 'Your changes to the new webhook are not saved.');
    await ui.shot('webhook-leave-confirm');
    await leaveDialog(page).getByRole('button', { name: 'Stay on this page' }).click();
    await expectHidden(leaveDialog(page));
    assert.equal(await page.getByLabel('Webhook name').inputValue(), 'Half done');
    assert.match(page.url(), /\/webhooks\/new$/);
    // Cancel asks too; Discard changes leaves.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await leaveDialog(page).getByRole('button', { name: 'Discard changes' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Webhooks' }));

    // The builder: a change asks, also on the browser's Back.
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().click();
    await expectVisible(page.locator('.react-flow'));
    assert.equal(await unloadBlocked(), false);
    await addBlocks(page, 'Email link clicked');
    assert.equal(await unloadBlocked(), true);
    await page.getByRole('link', { name: 'Journeys' }).first().click();
    await expectText(leaveDialog(page), 'Your changes to this journey are not saved.');
    await leaveDialog(page).getByRole('button', { name: 'Stay on this page' }).click();
    await page.goBack();
    await expectVisible(leaveDialog(page));
    assert.match(page.url(), /\/journeys\/new$/);
    await expectCount(page.locator('.react-flow__node'), 1);
    await ui.shot('builder-back-confirm');
    await leaveDialog(page).getByRole('button', { name: 'Stay on this page' }).click();

    // Saved, it is left without a question.
    await page.getByLabel('Journey name').fill('Saved before leaving');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    assert.match(page.url(), /\/journeys\/[^/]+$/);
    assert.equal(await unloadBlocked(), false);
    await nav(ui, 'Webhooks');
    await expectCount(leaveDialog(page), 0);
  });
});

test('7. A webhook made in the journey popup shows its signing secret; Rotate secret shows the new one', async () => {
  const { receiver } = suite.receivers;
  await withPage(suite, 'fix-7-secrets', async (ui) => {
    const { page } = ui;
    await ui.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: suite.server.baseUrl,
    });
    await page.goto('/journeys/new');
    await page.getByLabel('Journey name').fill('Secret shown');
    await addBlocks(page, 'Email link clicked', 'Webhook');
    await page
      .getByRole('complementary', { name: 'Block settings' })
      .getByRole('button', { name: 'Choose or create a webhook' })
      .click();
    await page
      .getByRole('dialog', { name: 'Choose or create a webhook' })
      .getByRole('button', { name: 'Create new webhook' })
      .click();
    const form = page.getByRole('dialog', { name: 'Create new webhook' });
    await form.getByLabel('Webhook name').fill('From the popup');
    await form.getByLabel('URL', { exact: true }).fill(`${receiver.url}/popup`);
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await expectHidden(form);

    // Shown once, in full, with Copy.
    const notice = page.getByRole('status').filter({ hasText: 'Signing secret of “From the popup”' });
    const secret = await expectText(notice.getByTestId('signing-secret'), /^whsec_/);
    await notice.getByRole('button', { name: 'Copy' }).click();
    await expectVisible(notice.getByRole('button', { name: 'Copied' }));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await ui.shot('popup-secret');
    const hooks = (await suite.server.api('GET', '/v1/webhooks')).body.data;
    const created = hooks.find((w) => w.name === 'From the popup');
    assert.equal(created.secret, `whsec_****${secret.slice(-4)}`, 'the secret shown is the stored one');

    // The webhook's page: Rotate secret, confirmed, shows the new secret once.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await leaveDialog(page).getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('table', { name: 'Webhooks' }).getByRole('link', { name: 'From the popup' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'From the popup' }));
    await expectText(page.locator('.page-header'), created.secret);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await expectText(confirm, '24 hours');
    await ui.shot('rotate-confirm');
    await confirm.getByRole('button', { name: 'Rotate secret' }).click();
    await expectHidden(confirm);
    const rotated = page.getByRole('status').filter({ hasText: 'New signing secret' });
    await expectText(rotated, 'keeps signing beside it for 24 hours');
    const fresh = await expectText(rotated.getByTestId('signing-secret'), /^whsec_/);
    assert.notEqual(fresh, secret);
    await rotated.getByRole('button', { name: 'Copy' }).click();
    await expectVisible(rotated.getByRole('button', { name: 'Copied' }));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), fresh);
    await ui.shot('rotated-secret');

    const stored = (await suite.server.api('GET', `/v1/webhooks/${created.id}`)).body;
    assert.equal(stored.secret, `whsec_****${fresh.slice(-4)}`);
    assert.ok(Math.abs(stored.previous_secret_expires_at - (Date.now() + 24 * 3600 * 1000)) < 5 * 60 * 1000);
    await expectText(page.locator('.page-header'), stored.secret);
    await rotated.getByRole('button', { name: 'Dismiss' }).click();
    await expectHidden(rotated);
    assert.ok(!(await page.content()).includes(fresh), 'dismissed, the secret is gone from the page');
  });
});

test('11. A cycle is named block by block, and the edge that loops back is drawn beside the blocks', async () => {
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name: 'Loops',
    blocks: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { event: 'email.click', filters: [] } },
      { id: 'c', type: 'condition', position: { x: 0, y: 190 }, config: { in_list: list.id } },
      { id: 'w', type: 'webhook', position: { x: 0, y: 380 }, config: { webhook_id: hook.id } },
    ],
    edges: [
      { source: 't', target: 'c' },
      { source: 'c', target: 'w', branch: 'yes' },
    ],
  });
  await withPage(suite, 'fix-11-cycle', { allow: [422] }, async (ui) => {
    const { page } = ui;
    await page.goto(`/journeys/${journey.id}`);
    await expectCount(page.locator('.react-flow__node'), 3);
    await blockById(page, 'w').locator('.block-head').click();
    const panel = page.getByRole('complementary', { name: 'Block settings' });
    await panel.getByRole('combobox', { name: /Then go to/ }).selectOption('c');
    await expectCount(page.locator('.react-flow__edge'), 3);
    await page.getByRole('button', { name: 'Save' }).click();

    const banner = page.getByRole('alert').filter({ hasText: 'not saved' });
    await expectText(banner, 'Webhook w leads back to Condition c, which makes a cycle (c → w → c)');
    assert.doesNotMatch(await banner.innerText(), /is part of a cycle/);
    const marked = blockById(page, 'c').locator('.block-error');
    await expectText(marked, 'Part of a cycle: Webhook w leads back here.');
    const looping = page.locator('.react-flow__edge.edge-cycle');
    await expectCount(looping, 1);
    assert.equal(await looping.locator('.react-flow__edge-text').textContent(), 'Loops back');
    await new Promise((r) => setTimeout(r, 300));
    await ui.shot('cycle-marked');
    const { edges } = await canvasGeometry(page);
    const back = edges.find((e) => e.className.includes('edge-cycle'));
    assert.equal(back.id, 'w:next:c');
    assert.ok(back.outsideFraction > 0.8, `the loop runs beside the blocks: ${JSON.stringify(back)}`);
    for (const e of edges) assert.ok(e.outsideFraction > 0.5, `${e.id} can be seen: ${JSON.stringify(e)}`);

    // Fixed, the mark goes and the journey saves.
    await panel.getByRole('combobox', { name: /Then go to/ }).selectOption({ label: 'Nothing (end)' });
    await expectCount(looping, 0);
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
  });
});

test('17. Retry is a secondary button that asks first, above all on a succeeded delivery', async () => {
  const { receiver } = suite.receivers;
  const orders = await apiCreate(suite.server, '/v1/webhooks', {
    name: 'Orders',
    url: `${receiver.url}/orders`,
    events: ['order.paid'],
  });
  const posted = await suite.server.api('POST', '/v1/events', {
    event: 'order.paid',
    contact: { email: 'maria@example.com' },
  });
  assert.equal(posted.status, 202);
  let delivery;
  await waitFor(
    async () => {
      const found = await suite.server.api('GET', `/v1/deliveries?webhook_id=${orders.id}&status=succeeded`);
      delivery = found.body.data[0];
      return !!delivery;
    },
    { timeoutMs: 20000 },
  );
  await withPage(suite, 'fix-17-retry', async (ui) => {
    const { page } = ui;
    await page.goto(`/deliveries/${delivery.id}`);
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Attempts' }));
    const retry = page.getByRole('button', { name: 'Retry' });
    assert.match(await retry.getAttribute('class'), /btn-secondary/);
    assert.doesNotMatch(await retry.getAttribute('class'), /btn-primary/);

    const calls = receiver.requests.filter((r) => r.url === '/orders').length;
    await retry.click();
    const dialog = page.getByRole('dialog', { name: 'Send a delivered call again?' });
    await expectText(dialog, 'This delivery already succeeded');
    await expectText(dialog, 'webhook-id');
    await ui.shot('retry-succeeded-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectHidden(dialog);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.requests.filter((r) => r.url === '/orders').length, calls, 'cancel sends nothing');

    await retry.click();
    await dialog.getByRole('button', { name: 'Send again' }).click();
    await expectText(page.locator('details.attempt[data-attempt="2"] summary'), 'HTTP 200', 20000);
    assert.equal(receiver.requests.filter((r) => r.url === '/orders').length, calls + 1);
    await ui.shot('retried');
  });
});

// Problems a user met in the console, one test each, named by the number: the webhook
// form (Test, placeholders, timeout, payload, error texts), the keyboard, and layout. The
// journey builder, leaving unsaved work, secrets and Retry are in console_fixes_pages.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedSignature } from '../integration/lib/harness.mjs';
import { openPage, expectText, expectVisible, expectHidden, signIn } from './lib/browser.mjs';
import { addBlocks } from './lib/builder.mjs';
import { closedPort, contrast, focusRing } from './lib/measure.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite({
  receivers: { ok: () => ({ status: 200, body: 'ok' }), failing: () => ({ status: 500, body: 'boom' }) },
});

async function webhooks() {
  return (await suite.server.api('GET', '/v1/webhooks')).body.data;
}

async function webhookCount() {
  return (await webhooks()).length;
}

// The new-webhook form with a name and a URL.
async function newWebhookForm(ui, name, url) {
  const { page } = ui;
  await page.goto('/webhooks/new');
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
  await page.getByLabel('Webhook name').fill(name);
  await page.getByLabel('URL', { exact: true }).fill(url);
}

// `element` has the keyboard focus and shows a ring of 2 px or more that stands out (3:1) from
// what is behind it.
async function expectVisibleRing(element, what) {
  const ring = await focusRing(element);
  assert.ok(ring.focusVisible, `${what} has the keyboard focus`);
  assert.notEqual(ring.style, 'none', JSON.stringify(ring));
  assert.ok(ring.width >= 2, JSON.stringify(ring));
  assert.ok(contrast(ring.color, ring.behind) >= 3, JSON.stringify(ring));
}

test('1. Test on an edited, unsaved webhook tests what the form shows, with the stored secrets', async () => {
  const { ok, failing } = suite.receivers;
  const saved = await apiCreate(suite.server, '/v1/webhooks', {
    name: 'Stored secrets',
    url: `${ok.url}/saved`,
    auth: { type: 'basic', username: 'ana', password: 'stored-password-1' },
    headers: [{ name: 'X-Api-Key', value: 'stored-api-key-12345678' }],
  });
  await withPage(suite, 'fix-1-test-unsaved', { allow: [400, 422] }, async (ui) => {
    const { page } = ui;
    await page.goto(`/webhooks/${saved.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Stored secrets' }));
    const result = page.getByRole('region', { name: 'Test result' });
    const testButton = page.getByRole('button', { name: 'Test', exact: true });
    const storedAuth = 'Basic ' + Buffer.from('ana:stored-password-1').toString('base64');

    // Unchanged, the saved webhook is tested.
    await testButton.click();
    await expectText(result, 'Success');
    assert.equal(ok.requests.at(-1).url, '/saved');

    // The path changed, not saved: the edited URL is called, with the stored password and header
    // (the form holds only their masks) and signed with the webhook's own secret.
    await page.getByLabel('URL', { exact: true }).fill(`${ok.url}/edited-here`);
    assert.equal(await page.getByLabel('Header 1 value').inputValue(), '****5678');
    await testButton.click();
    await expectText(page.getByRole('status').filter({ hasText: 'not saved yet' }), 'your changes');
    let call = ok.requests.at(-1);
    assert.equal(call.url, '/edited-here');
    assert.equal(call.headers.authorization, storedAuth);
    assert.equal(call.headers['x-api-key'], 'stored-api-key-12345678');
    assert.equal(
      call.headers['webhook-signature'],
      expectedSignature(
        saved.secret,
        call.headers['webhook-id'],
        call.headers['webhook-timestamp'],
        call.body,
      ),
    );

    // Another host gets neither the stored credentials nor the stored secret's signature: they go
    // only where the saved webhook sends them.
    await page.getByLabel('URL', { exact: true }).fill(`${failing.url}/edited`);
    const okCalls = ok.requests.length;
    await testButton.click();
    await expectText(result, 'Failure');
    await expectText(result.getByTestId('test-status'), '500');
    await ui.shot('tested-unsaved-url');
    call = failing.requests.at(-1);
    assert.equal(call.url, '/edited');
    assert.equal(call.headers.authorization, 'Basic ' + Buffer.from('ana:').toString('base64'));
    assert.ok(!call.headers['x-api-key'], 'the stored API key went to another host');
    assert.notEqual(
      call.headers['webhook-signature'],
      expectedSignature(
        saved.secret,
        call.headers['webhook-id'],
        call.headers['webhook-timestamp'],
        call.body,
      ),
    );
    assert.equal(ok.requests.length, okCalls, 'the saved URL was not called');

    // Secrets typed in the form are the ones sent.
    await page.getByLabel('Password', { exact: true }).fill('typed-password-2');
    await page.getByLabel('Header 1 value').fill('typed-api-key');
    await testButton.click();
    await expectText(result, 'Failure');
    call = failing.requests.at(-1);
    const typedAuth = 'Basic ' + Buffer.from('ana:typed-password-2').toString('base64');
    assert.equal(call.headers.authorization, typedAuth);
    assert.equal(call.headers['x-api-key'], 'typed-api-key');

    // A problem in the edits shows beside its field, in the form's terms; nothing was saved.
    await page.getByLabel('URL', { exact: true }).fill('http://example.com/{{contact.email');
    await testButton.click();
    const urlField = page.locator('.field').filter({ has: page.getByLabel('URL', { exact: true }) });
    await expectText(urlField.locator('.field-error'), /^\s*Unclosed placeholder/);
    const stored = (await suite.server.api('GET', `/v1/webhooks/${saved.id}`)).body;
    assert.equal(stored.url, `${ok.url}/saved`);
  });
});

test('2. Enter in the placeholder search box picks the highlighted item, not the form', async () => {
  const { ok } = suite.receivers;
  await withPage(suite, 'fix-2-enter-in-search', async (ui) => {
    const { page } = ui;
    const before = await webhookCount();
    await newWebhookForm(ui, 'Enter in search', `${ok.url}/hooks?email=`);
    await page.getByRole('button', { name: 'Insert placeholder' }).first().click();
    const menu = page.getByRole('group', { name: 'Placeholders' });
    await menu.getByLabel('Search properties').fill('email');
    await ui.shot('search-email');
    await menu.getByLabel('Search properties').press('Enter');
    await expectHidden(menu);
    assert.equal(
      await page.getByLabel('URL', { exact: true }).inputValue(),
      `${ok.url}/hooks?email={{contact.email}}`,
    );
    // Still the unsaved form: nothing was created.
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    assert.equal(await webhookCount(), before);
  });
});

test('8. Timeout (seconds) is checked in seconds, and the API’s timeout_ms never shows', async () => {
  const { ok } = suite.receivers;
  await withPage(suite, 'fix-8-timeout', async (ui) => {
    const { page } = ui;
    const before = await webhookCount();
    await newWebhookForm(ui, 'Slow receiver', `${ok.url}/slow`);
    await page.getByText('Advanced settings').click();
    const timeout = page.getByLabel('Timeout (seconds)');
    await timeout.fill('90');
    // Closed again: the error opens it.
    await page.getByText('Advanced settings').click();
    await expectHidden(timeout);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(timeout);
    const field = page.locator('.field').filter({ has: timeout });
    await expectText(field.locator('.field-error'), 'Enter a timeout between 0.1 and 60 seconds.');
    assert.equal(await timeout.getAttribute('aria-invalid'), 'true');
    assert.ok(!(await page.locator('main').innerText()).includes('timeout_ms'));
    await ui.shot('timeout-in-seconds');

    await timeout.fill('0.05');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectText(field.locator('.field-error'), 'between 0.1 and 60 seconds');
    assert.equal(await webhookCount(), before);

    await timeout.fill('2.5');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Slow receiver' }));
    const created = (await webhooks()).find((w) => w.name === 'Slow receiver');
    assert.equal(created.timeout_ms, 2500);
  });
});

test('9. A payload row of type Property with no property chosen is not saved', async () => {
  const { ok } = suite.receivers;
  await withPage(suite, 'fix-9-payload-property', async (ui) => {
    const { page } = ui;
    const before = await webhookCount();
    await newWebhookForm(ui, 'Payload check', `${ok.url}/payload`);
    await page.getByRole('switch', { name: /Add custom payload/ }).click();
    await page.getByLabel('Payload 1 key').fill('email');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const rows = page.getByRole('group', { name: 'Custom payload' });
    await expectText(rows.locator('.field-error'), 'Choose the property to send, or remove this row.');
    assert.equal(await page.getByLabel('Payload 1 property').getAttribute('aria-invalid'), 'true');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    assert.equal(await webhookCount(), before);
    await ui.shot('property-required');

    await page.getByLabel('Payload 1 property').selectOption('contact.email');
    await expectHidden(rows.locator('.field-error'));
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Payload check' }));
    const created = (await webhooks()).find((w) => w.name === 'Payload check');
    assert.deepEqual(created.custom_payload, { email: '{{contact.email}}' });
  });
});

test('12. Error texts speak the form’s terms: URL positions once, the wait limit, a revoked key', async () => {
  await withPage(suite, 'fix-12-error-texts', { allow: [400, 422] }, async (ui) => {
    const { page } = ui;

    // A template error in the URL names its position once, without the API's field name.
    await newWebhookForm(ui, 'Broken URL', 'http://example.com/{{contact.email');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const urlField = page.locator('.field').filter({ has: page.getByLabel('URL', { exact: true }) });
    const text = await expectText(urlField.locator('.field-error'), /position \d+/);
    assert.equal(text.match(/position/g).length, 1, text);
    assert.doesNotMatch(text, /^\s*url:/i);
    await ui.shot('url-error');

    // A key revoked while in use: the sign-in page says why (the Settings work; kept here).
    const key = await suite.server.api('POST', '/v1/api-keys', { name: 'Revoked laptop', scope: 'write' });
    const other = await openPage(suite.browser, suite.server.baseUrl, 'fix-12-revoked');
    try {
      await signIn(other, key.body.key);
      assert.equal((await suite.server.api('DELETE', `/v1/api-keys/${key.body.id}`)).status, 204);
      await other.page.reload(); // the next request, whichever it is, is refused
      await expectText(other.page.getByRole('status').filter({ hasText: 'You were signed out' }), /revoked/i);
    } finally {
      await other.close();
    }

    // The wait limit in the builder's number and unit, not the API's "30s, 15m" syntax.
    await page.goto('/journeys/new');
    await page.getByLabel('Journey name').fill('Long wait');
    await addBlocks(page, 'Email link clicked', 'Wait');
    const panel = page.getByRole('complementary', { name: 'Block settings' });
    await panel.getByLabel('Wait for').fill('400');
    await panel.getByLabel('Unit').selectOption('d');
    await page.getByRole('button', { name: 'Save' }).click();
    const wait = page.locator('.react-flow__node', { has: page.locator('[data-block-type="delay"]') });
    await expectText(wait.locator('.block-error'), 'Set a wait between 1 second and 365 days.');
    assert.ok(!(await page.locator('main').innerText()).includes('30s'));
    await ui.shot('wait-limit');

    // The limit holds in any unit.
    await panel.getByLabel('Wait for').fill('9000');
    await panel.getByLabel('Unit').selectOption('h');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(wait.locator('.block-error'), '365 days');
  });
});

test('13. Keyboard: arrows in the placeholder menu; visible focus on primary buttons and the sidebar', async () => {
  const { ok } = suite.receivers;
  await withPage(suite, 'fix-13-keyboard', async (ui) => {
    const { page } = ui;
    await newWebhookForm(ui, 'Keys', `${ok.url}/k?n=`);
    const url = page.getByLabel('URL', { exact: true });
    await url.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('group', { name: 'Placeholders' });
    const search = menu.getByLabel('Search properties');
    await expectVisible(menu);
    const active = () => menu.locator('.picker-item[aria-current="true"]');
    await expectText(active(), 'Contact ID');
    assert.equal(await search.getAttribute('aria-activedescendant'), await active().getAttribute('id'));
    await page.keyboard.press('ArrowDown');
    await expectText(active(), 'Email');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp'); // wraps to the last item
    await expectText(active(), 'Webhook name');
    await ui.shot('placeholder-arrows');
    await page.keyboard.press('Enter');
    await expectHidden(menu);
    assert.equal(await url.inputValue(), `${ok.url}/k?n={{webhook.name}}`);
    // Escape closes it and gives the focus back to its button.
    await page.getByRole('button', { name: 'Insert placeholder' }).first().focus();
    await page.keyboard.press('Enter');
    await expectVisible(menu);
    await page.keyboard.press('Escape');
    await expectHidden(menu);
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(focused, 'Insert placeholder');

    // A primary button reached with Tab shows a ring that stands out from the page.
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Tab');
    const create = page.getByRole('button', { name: 'Create webhook' });
    await expectVisibleRing(create, 'Create webhook');
    await ui.shot('primary-button-focus');

    // So does the sidebar's, on its dark background.
    const sidebar = page.getByRole('navigation', { name: 'Main' });
    await sidebar.getByRole('link', { name: 'Journeys' }).focus();
    await page.keyboard.press('Shift+Tab');
    const link = sidebar.getByRole('link', { name: 'Webhooks' });
    await expectVisibleRing(link, 'the Webhooks link');
    await ui.shot('sidebar-focus');
  });
});

test('14. Layout: a refused connection is told once, times stay on one line, filters stay put', async () => {
  await withPage(suite, 'fix-14-layout', async (ui) => {
    const { page } = ui;
    await newWebhookForm(ui, 'Nobody home', `http://127.0.0.1:${await closedPort()}/refused`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/webhooks/test'));
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const report = await (await answer).json();
    assert.equal(report.error.code, 'connect_refused');
    const result = page.getByRole('region', { name: 'Test result' });
    await expectText(result, 'Failure');
    const shown = await result.innerText();
    const reason = report.error.message.slice(1); // the first letter may be capitalised
    assert.equal(shown.split(reason).length - 1, 1, `the reason once: ${shown.slice(0, 400)}`);
    const lines = await result.getByTestId('test-duration').evaluate((dd) => {
      const range = document.createRange();
      range.selectNodeContents(dd);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    assert.equal(lines, 1, 'the duration is on one line');
    await ui.shot('refused-test-result');

    // Showing "Clear filters" moves no field, and the date fields keep their full width.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deliveries' }).click();
    await page
      .getByRole('dialog', { name: 'Leave without saving?' })
      .getByRole('button', { name: 'Discard changes' })
      .click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Deliveries' }));
    await expectVisible(page.getByText('Deliveries are kept for')); // the header has its last line
    const bar = page.getByRole('search', { name: 'Filter deliveries' });
    const boxes = () =>
      bar.locator('input, select').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return [Math.round(r.left), Math.round(r.top), Math.round(r.width)];
        }),
      );
    const unfiltered = await boxes();
    await page.getByLabel('Status').selectOption({ label: 'Failed' });
    await expectVisible(bar.getByRole('button', { name: 'Clear filters' }));
    assert.deepEqual(await boxes(), unfiltered);
    for (const label of ['From', 'To']) {
      const widths = await bar.getByLabel(label, { exact: true }).evaluate((input) => {
        const natural = input.cloneNode();
        natural.style.width = 'auto';
        natural.style.position = 'absolute';
        document.body.append(natural);
        const needed = natural.getBoundingClientRect().width;
        natural.remove();
        return { shown: input.getBoundingClientRect().width, needed };
      });
      assert.ok(widths.shown >= widths.needed - 1, `${label} is not cut: ${JSON.stringify(widths)}`);
    }
    await ui.shot('filters-with-clear');
  });
});

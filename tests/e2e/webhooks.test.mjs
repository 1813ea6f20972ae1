// The source's webhook flow in the browser: sign in; create a webhook with Basic authentication, a
// custom header and a custom payload; Test it against a receiver that answers 200 (success) and
// one that answers 500 (failure); errors from the API beside their fields; sign out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectHidden, nav } from './lib/browser.mjs';
import { browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite({
  receivers: {
    ok: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"received":true}' }),
    failing: () => ({ status: 500, body: 'boom' }),
  },
});

test('sign in, create a webhook with Basic auth, header and payload, and test it', async () => {
  const { server } = suite;
  const { ok, failing } = suite.receivers;
  await withPage(suite, 'webhooks', { key: null, allow: [400, 401, 422] }, async (ui) => {
    const { page } = ui;
    // A wrong key is refused on the form.
    await page.goto('/');
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await ui.shot('sign-in');
    await page.getByLabel('API key').fill('hk_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.locator('.field-error'), 'not valid');
    await ui.shot('sign-in-refused');

    await page.getByLabel('API key').fill(API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signing in lands on the dashboard (dashboard.test.mjs); the webhooks are one click away.
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Dashboard' }));
    await nav(ui, 'Webhooks');
    await expectVisible(page.getByText('No webhooks yet'));
    await ui.shot('webhooks-empty');
    // The key is kept in the browser's storage.
    assert.equal(await page.evaluate(() => localStorage.getItem('hookline.apiKey')), API_KEY);

    await page.getByRole('button', { name: 'Create webhook' }).first().click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    await ui.shot('create-form-empty');

    // The form's fields come in the source's order.
    const labels = await page
      .locator('form.webhook-form')
      .evaluate((form) =>
        [...form.querySelectorAll('.field-label, .switch-label, legend, h3')].map((e) =>
          e.firstChild?.textContent?.trim(),
        ),
      );
    const order = [
      'Webhook name',
      'URL',
      'Authentication required',
      'Add custom header',
      'Add custom payload',
      'Subscribed events',
      'Test your webhook',
    ];
    const positions = order.map((l) => labels.indexOf(l));
    assert.ok(
      positions.every((p) => p >= 0),
      `every field is on the form: ${JSON.stringify(labels)}`,
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      `fields in the source's order: ${JSON.stringify(labels)}`,
    );

    // Name and URL, with a placeholder from the picker.
    await page.getByLabel('Webhook name').fill('Billing');
    const url = page.getByLabel('URL', { exact: true });
    await url.fill(`${failing.url}/hooks?email=`);
    await page.getByRole('button', { name: 'Insert placeholder' }).first().click();
    await expectVisible(page.getByRole('group', { name: 'Placeholders' }));
    await ui.shot('placeholder-picker');
    await page
      .getByRole('group', { name: 'Placeholders' })
      .getByRole('button', { name: /^Email/ })
      .click();
    assert.equal(await url.inputValue(), `${failing.url}/hooks?email={{contact.email}}`);

    // Authentication required: Basic.
    await page.getByRole('switch', { name: /Authentication required/ }).click();
    await page.getByRole('radio', { name: 'Basic' }).check();
    await page.getByLabel('Username', { exact: true }).fill('ana');
    await page.getByLabel('Password', { exact: true }).fill('s3cret-pass');

    // Add custom header: a name the API refuses first, to see its error beside the field.
    await page.getByRole('switch', { name: /Add custom header/ }).click();
    await page.getByLabel('Header 1 name').fill('X Shop');
    await page.getByLabel('Header 1 value').fill('loja-1');

    // Add custom payload: a property and a fixed value.
    await page.getByRole('switch', { name: /Add custom payload/ }).click();
    await page.getByLabel('Payload 1 key').fill('name');
    await page.getByLabel('Payload 1 property').selectOption('contact.first_name');
    await page.getByRole('button', { name: 'Add property' }).click();
    await page.getByLabel('Payload 2 key').fill('salário');
    await page.getByLabel('Payload 2 type').selectOption('value');
    await page.getByLabel('Payload 2 value').fill('123');

    // Subscribed events.
    await page.getByRole('checkbox', { name: /Contact added to list/ }).check();
    await ui.shot('create-form-filled');

    // The API's error appears beside the header name.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const headerRow = page.getByRole('group', { name: 'Custom headers' });
    await expectText(headerRow.locator('.field-error'), /header|name|token/i);
    assert.equal(await page.getByLabel('Header 1 name').getAttribute('aria-invalid'), 'true');
    await ui.shot('field-error-beside-header');
    await page.getByLabel('Header 1 name').fill('X-Shop');
    await expectHidden(headerRow.locator('.field-error'));

    // Test against a receiver answering 500: failure, with the status, time, request and response.
    const failingBefore = failing.requests.length;
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expectText(result, 'Failure');
    await expectText(result.getByTestId('test-status'), '500');
    await expectText(result, /\d+ ms/);
    await expectText(result.getByRole('region', { name: 'Request sent' }), 'X-Shop');
    await expectText(result.getByRole('region', { name: 'Request sent' }), 'Basic ****');
    await expectText(result.getByRole('region', { name: 'Response' }), 'boom');
    assert.equal(failing.requests.length, failingBefore + 1);
    await ui.shot('test-failure-500');

    // Point it at the receiver answering 200: success.
    await url.fill(`${ok.url}/hooks?email={{contact.email}}`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(result, 'Success');
    await expectText(result.getByTestId('test-status'), '200');
    await expectText(result.getByRole('region', { name: 'Response' }), 'received');
    await ui.shot('test-success-200');
    const got = ok.requests.at(-1);
    assert.equal(got.url, '/hooks?email=testuser@example.com');
    assert.equal(got.headers.authorization, 'Basic ' + Buffer.from('ana:s3cret-pass').toString('base64'));
    assert.equal(got.headers['x-shop'], 'loja-1');
    assert.deepEqual(JSON.parse(got.body).data.custom_data, { name: 'test_contact_fname', salário: '123' });

    // Create webhook: saved, its signing secret shown once, and it is in the list.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Billing' }));
    await expectText(page.getByRole('status').filter({ hasText: 'Signing secret' }), /whsec_/);
    await ui.shot('webhook-created');
    const stored = (await server.api('GET', '/v1/webhooks')).body.data;
    assert.equal(stored.length, 1);
    assert.equal(stored[0].auth.type, 'basic');
    assert.equal(stored[0].auth.username, 'ana');
    assert.deepEqual(stored[0].headers, [{ name: 'X-Shop', value: 'loja-1' }]);
    assert.deepEqual(stored[0].custom_payload, { name: '{{contact.first_name}}', salário: '123' });
    assert.deepEqual(stored[0].events, ['list.add_contact']);

    // Editing keeps the saved password unless a new one is typed; the saved webhook tests fine.
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expectText(page.getByRole('region', { name: 'Test result' }), 'Success');

    await nav(ui, 'Webhooks');
    const row = page.getByRole('table', { name: 'Webhooks' }).getByRole('row', { name: /Billing/ });
    await expectText(row, 'Basic');
    await expectText(row, 'Enabled');
    await ui.shot('webhooks-list');

    // Sign out: back to the sign-in form, the key forgotten.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    assert.equal(await page.evaluate(() => localStorage.getItem('hookline.apiKey')), null);
    await ui.shot('signed-out');
  });
});

test('the keyboard alone reaches every field of the form', async () => {
  const { ok } = suite.receivers;
  await withPage(suite, 'webhooks-keyboard', { allow: [400, 401, 422] }, async (ui) => {
    const { page } = ui;
    await page.goto('/webhooks/new');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    await page.getByLabel('Webhook name').focus();
    await page.keyboard.type('Keyboard hook');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${ok.url}/k`);
    // Tab to the placeholder picker, open it with Enter, close it with Escape.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectVisible(page.getByRole('group', { name: 'Placeholders' }));
    await page.keyboard.press('Escape');
    await expectHidden(page.getByRole('group', { name: 'Placeholders' }));
    // The authentication switch toggles with Space.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.getAttribute('role'))) === 'switch') break;
    }
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      await page.getByRole('switch', { name: /Authentication required/ }).getAttribute('id'),
    );
    await page.keyboard.press('Space');
    await expectVisible(page.getByLabel('Username', { exact: true }));
    await ui.shot('keyboard-auth-open');
    await page.keyboard.press('Space');
    await expectHidden(page.getByLabel('Username', { exact: true }));
    await page.getByLabel('Webhook name').press('Enter'); // Enter submits the form
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Keyboard hook' }));
    await ui.shot('keyboard-created');
  });
});

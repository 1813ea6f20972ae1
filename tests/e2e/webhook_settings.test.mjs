// A webhook's limits in the form's Advanced settings (requests at once, requests per second),
// saved and shown again, with the server's refusals beside their fields; and Delete refused, in
// the user's terms, while a running journey uses the webhook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, expectVisible, expectHidden, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite({ receivers: { receiver: () => ({ status: 200, body: 'ok' }) } });

// The field (label, input, help or error) that holds the input labelled `label`.
const fieldOf = (page, label) =>
  page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });

test('Max requests at once and the rate limit are saved, shown again, and refused beside their fields', async () => {
  const { server } = suite;
  const { receiver } = suite.receivers;
  await withPage(suite, 'webhook-limits', { allow: [400] }, async (ui) => {
    const { page } = ui;
    await page.goto('/webhooks/new');
    await page.getByLabel('Webhook name').fill('Throttled');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/throttled`);
    await page.getByText('Advanced settings').click();
    const inFlight = page.getByLabel('Max requests at once', { exact: true });
    const rate = page.getByLabel('Rate limit (requests per second)', { exact: true });
    // A new webhook starts with the server's defaults: 10 at once, no rate limit.
    assert.equal(await inFlight.inputValue(), '10');
    assert.equal(await rate.inputValue(), '0');
    await expectText(
      fieldOf(page, 'Rate limit (requests per second)').locator('.field-help'),
      '0 means no limit',
    );
    await inFlight.fill('4');
    await rate.fill('25');
    await ui.shot('advanced-filled');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Throttled' }));
    const id = new URL(page.url()).pathname.split('/').pop();
    let stored = (await server.api('GET', `/v1/webhooks/${id}`)).body;
    assert.equal(stored.max_in_flight, 4);
    assert.equal(stored.rate_limit_per_second, 25);

    // A reload shows what was saved.
    await page.reload();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Throttled' }));
    await page.getByText('Advanced settings').click();
    assert.equal(await inFlight.inputValue(), '4');
    assert.equal(await rate.inputValue(), '25');
    await ui.shot('advanced-saved');

    // Out of range: the server refuses, and says so beside the field, in the form's words; the
    // section opens again to show it.
    await inFlight.fill('0');
    await page.getByText('Advanced settings').click();
    await expectHidden(inFlight);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectVisible(inFlight);
    await expectText(
      fieldOf(page, 'Max requests at once').locator('.field-error'),
      'Enter a whole number of requests between 1 and 100.',
    );
    assert.equal(await inFlight.getAttribute('aria-invalid'), 'true');
    assert.equal(await fieldOf(page, 'Rate limit (requests per second)').locator('.field-error').count(), 0);
    assert.ok(!(await page.locator('main').innerText()).includes('max_in_flight'));
    await ui.shot('in-flight-refused');

    await inFlight.fill('4');
    await rate.fill('20000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(
      fieldOf(page, 'Rate limit (requests per second)').locator('.field-error'),
      'between 0 (no limit) and 10,000',
    );
    assert.equal(await rate.getAttribute('aria-invalid'), 'true');
    assert.equal(await fieldOf(page, 'Max requests at once').locator('.field-error').count(), 0);

    // Not a whole number: refused before it is sent.
    await rate.fill('2.5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(
      fieldOf(page, 'Rate limit (requests per second)').locator('.field-error'),
      'whole number',
    );
    stored = (await server.api('GET', `/v1/webhooks/${id}`)).body;
    assert.equal(stored.max_in_flight, 4);
    assert.equal(stored.rate_limit_per_second, 25);

    // No limit again: 0.
    await rate.fill('0');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('.toasts'), 'Changes saved');
    stored = (await server.api('GET', `/v1/webhooks/${id}`)).body;
    assert.equal(stored.rate_limit_per_second, null);
    await page.getByText('Advanced settings').click();
    assert.equal(await rate.inputValue(), '0');
  });
});

test('a webhook that an active journey uses is not deleted: the journeys are named, with what to do', async () => {
  const { server } = suite;
  const { receiver } = suite.receivers;
  const hook = await apiCreate(server, '/v1/webhooks', { name: 'CRM sync', url: `${receiver.url}/crm` });
  const journeyUsing = (name) => ({
    name,
    blocks: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { event: 'email.click', filters: [] } },
      { id: 'w', type: 'webhook', position: { x: 0, y: 190 }, config: { webhook_id: hook.id } },
    ],
    edges: [{ source: 't', target: 'w' }],
  });
  const active = await apiCreate(server, '/v1/journeys', journeyUsing('Welcome series'));
  assert.equal((await server.api('POST', `/v1/journeys/${active.id}/activate`)).status, 200);
  await apiCreate(server, '/v1/journeys', journeyUsing('Draft idea')); // a draft does not hold it
  const refusal = await server.api('DELETE', `/v1/webhooks/${hook.id}`);
  assert.equal(refusal.status, 409, 'the server refuses');

  await withPage(suite, 'webhook-delete-refused', { allow: [409] }, async (ui) => {
    const { page } = ui;
    await page.goto(`/webhooks/${hook.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'CRM sync' }));
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Delete webhook?' })
      .getByRole('button', { name: 'Delete webhook' })
      .click();

    const dialog = page.getByRole('dialog', { name: 'This webhook cannot be deleted yet' });
    await expectText(dialog.getByRole('alert'), '“CRM sync” is used by a journey that is running');
    const users = dialog.getByRole('list', { name: 'Journeys that use it' });
    await expectCount(users.getByRole('listitem'), 1);
    await expectText(users, 'Welcome series');
    await expectText(users, 'Active');
    await expectText(dialog, 'choose another webhook in its Webhook block');
    await expectText(dialog, 'Then delete the webhook again');
    assert.doesNotMatch(await dialog.innerText(), /Draft idea|409|conflict/);
    // Refused for now: only keeping it is left.
    await expectCount(dialog.getByRole('button', { name: 'Delete webhook' }), 0);
    await ui.shot('delete-refused');

    // The webhook stays, on its page and in the list.
    await dialog.getByRole('button', { name: 'Keep the webhook' }).click();
    await expectHidden(dialog);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'CRM sync' }));
    assert.equal((await server.api('GET', `/v1/webhooks/${hook.id}`)).status, 200);
    await nav(ui, 'Webhooks');
    await expectText(page.getByRole('table', { name: 'Webhooks' }), 'CRM sync');

    // The journey's link leads to it; once it no longer uses the webhook, Delete works.
    await page.getByRole('link', { name: 'CRM sync' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Delete webhook?' })
      .getByRole('button', { name: 'Delete webhook' })
      .click();
    await dialog.getByRole('link', { name: 'Welcome series' }).click();
    await expectVisible(page.locator('.react-flow'));
    assert.equal(new URL(page.url()).pathname, `/journeys/${active.id}`);
    // Away from the builder first: it reloads an active journey every 4 s, and one deleted under
    // it would be a 404 in the console.
    await page.goto(`/webhooks/${hook.id}`);
    assert.equal((await server.api('DELETE', `/v1/journeys/${active.id}`)).status, 204);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Delete webhook?' })
      .getByRole('button', { name: 'Delete webhook' })
      .click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Webhooks' }));
    await expectText(page.locator('.toasts'), 'Webhook “CRM sync” deleted');
    assert.equal((await server.api('GET', `/v1/webhooks/${hook.id}`)).status, 404);
  });
});

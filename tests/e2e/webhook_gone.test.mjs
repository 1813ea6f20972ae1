// A receiver that answered 410 Gone: the webhooks list says the webhook was disabled because its
// receiver is gone, and the webhook's page says when, that Hookline will probe it (self-healing),
// and what to do; enabling it again clears it; the self-healing switch saves self_heal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectHidden, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

let gone = true;
const suite = browserSuite({
  receivers: { crm: () => ({ status: gone ? 410 : 200, body: gone ? 'gone' : 'ok' }) },
});

test('a webhook whose receiver answered 410 Gone shows why it is off, until enabled again', async () => {
  const { server, receivers } = suite;
  const hook = await apiCreate(server, '/v1/webhooks', {
    name: 'Retired CRM',
    url: `${receivers.crm.url}/hook`,
    events: ['email.click'],
  });
  const res = await server.api('POST', '/v1/events', {
    event: 'email.click',
    contact: { email: 'reader@example.com' },
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  await waitFor(async () => (await server.api('GET', `/v1/webhooks/${hook.id}`)).body.enabled === false);

  await withPage(suite, 'webhook-gone', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Webhooks');
    const row = page.getByRole('row').filter({ hasText: 'Retired CRM' });
    await expectText(row, 'Disabled: receiver gone');
    await row.getByRole('link', { name: 'Retired CRM' }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'the receiver is gone' });
    await expectVisible(notice);
    await expectText(notice, '410 Gone');
    await expectText(notice, 'turns it back on by itself when it answers 200');
    await ui.shot('webhook-gone');

    // The receiver is back: enabling the webhook again clears the notice.
    gone = false;
    await page.locator('summary', { hasText: 'Advanced settings' }).click();
    await page.getByRole('switch', { name: 'Disabled' }).click();
    // Self-healing is on by default; this user would rather decide each time.
    const selfHeal = page.getByRole('switch', { name: 'Turn back on by itself' });
    assert.equal(await selfHeal.getAttribute('aria-checked'), 'true');
    await selfHeal.click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('.toasts'), 'Changes saved');
    await expectHidden(notice);
    const saved = (await server.api('GET', `/v1/webhooks/${hook.id}`)).body;
    assert.equal(saved.enabled, true);
    assert.equal(saved.disabled_reason, null);
    assert.equal(saved.self_heal, false);
  });
});

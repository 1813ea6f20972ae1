// API keys, scopes and the audit log in the browser: an admin creates a read key in Settings and
// copies it from the panel that shows it once, revokes another key after confirming, makes a
// workspace and a key in it; the audit log lists the creation and the revocation, with filters
// kept in the URL. A read key sees the server's forbidden_scope message when it tries a change;
// a key revoked while in use signs the browser out, and the sign-in page says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, expectVisible, expectHidden, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite();

// A key made through the API with the test's admin (and instance) key.
async function createKey(name, scope) {
  const key = await apiCreate(suite.server, '/v1/api-keys', { name, scope });
  assert.match(key.key, /^hk_/);
  return key;
}

test('create a read key, copy it once, revoke another, and find both in the audit log', async () => {
  const { server } = suite;
  const ci = await createKey('CI deploy', 'write');
  await withPage(suite, 'settings', { allow: [400, 401, 403, 422] }, async (ui) => {
    const { page } = ui;
    await ui.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    await nav(ui, 'Settings');

    // The key this browser signed in with: the test's key is an instance admin key.
    const card = page.getByRole('region', { name: "This browser's key" });
    await expectText(card, 'Instance key');
    await expectText(card, 'Admin');
    const keys = page.getByRole('table', { name: 'API keys' });
    const mine = keys.getByRole('row').filter({ hasText: 'This browser' });
    await expectCount(mine, 1);
    assert.ok(
      await mine.getByRole('button', { name: 'Revoke' }).isDisabled(),
      'its own key cannot be revoked',
    );
    assert.match(
      (await mine
        .locator('[title]')
        .filter({ has: page.getByRole('button') })
        .getAttribute('title')) ?? '',
      /signed in with this key/,
    );
    await ui.shot('settings');

    // Create a read key: shown once, copied from the panel, and it works with the read scope.
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Key name').fill('Dashboard reader');
    await form.getByLabel('Scope', { exact: true }).selectOption('read');
    await form.getByRole('button', { name: 'Create key' }).click();
    const once = page.getByRole('dialog', { name: 'Copy your new API key' });
    await expectText(once, 'You will not see this key again');
    const shown = await once.getByLabel(/API key/).inputValue();
    assert.match(shown, /^hk_/);
    await once.getByRole('button', { name: 'Copy' }).click();
    await expectVisible(once.getByRole('button', { name: 'Copied' }));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, shown);
    await ui.shot('new-key-shown-once');
    const reader = await server.api('GET', '/v1/me', undefined, { key: copied });
    assert.equal(reader.status, 200, JSON.stringify(reader.body));
    assert.equal(reader.body.scope, 'read');
    assert.equal(reader.body.name, 'Dashboard reader');
    await once.getByRole('button', { name: 'Done' }).click();
    await expectHidden(once);
    await expectText(keys.getByRole('row', { name: /Dashboard reader/ }), 'Read');
    assert.ok(
      !(await page.content()).includes(copied),
      'the key is not on the page once the panel is closed',
    );

    // Revoke another key, after confirming: it is gone from the list and refused by the API.
    await keys
      .getByRole('row', { name: /CI deploy/ })
      .getByRole('button', { name: 'Revoke' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “CI deploy”?' });
    await expectText(confirm, 'cannot be undone');
    await ui.shot('revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await expectHidden(confirm);
    await expectCount(keys.getByRole('row', { name: /CI deploy/ }), 0);
    const refused = await server.api('GET', '/v1/me', undefined, { key: ci.key });
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /revoked/);
    await ui.shot('key-revoked');

    // Workspaces (an instance key): create one, and a key in it, shown once.
    const wsForm = page.getByRole('form', { name: 'Create a workspace' });
    await wsForm.getByLabel('New workspace').fill('Acme');
    await wsForm.getByRole('button', { name: 'Create workspace' }).click();
    const acme = page.getByRole('table', { name: 'Workspaces' }).getByRole('row', { name: /Acme/ });
    await acme.getByRole('button', { name: 'Create a key' }).click();
    const inAcme = page.getByRole('dialog', { name: 'Create a key in “Acme”' });
    await inAcme.getByLabel('Key name').fill('Acme admin');
    await inAcme.getByLabel('Scope', { exact: true }).selectOption('admin');
    await ui.shot('workspace-key-form');
    await inAcme.getByRole('button', { name: 'Create key' }).click();
    await expectText(once, 'Acme');
    const acmeKey = await once.getByLabel(/API key/).inputValue();
    const acmeMe = await server.api('GET', '/v1/me', undefined, { key: acmeKey });
    assert.equal(acmeMe.status, 200, JSON.stringify(acmeMe.body));
    assert.equal(acmeMe.body.workspace_name, 'Acme');
    await once.getByRole('button', { name: 'Done' }).click();
    await expectHidden(once);
    await expectCount(keys.getByRole('row', { name: /Acme admin/ }), 0);
    await ui.shot('workspaces');

    // The audit log lists the creation and the revocation, with what changed, secrets masked.
    await nav(ui, 'Audit log');
    const log = page.getByRole('table', { name: 'Audit log' });
    const creation = log.locator('tr[data-audit-id]').filter({ hasText: reader.body.id });
    await expectText(creation, 'Create');
    await expectText(creation, 'API key');
    const revocation = log.locator('tr[data-audit-id]').filter({ hasText: ci.id });
    await expectText(revocation.filter({ hasText: 'Revoke' }), 'API key');
    await creation.getByRole('button', { name: /Show changes/ }).click();
    await expectText(log.getByRole('table', { name: /Fields|Changes/ }), 'Dashboard reader');
    assert.ok(!(await page.content()).includes(copied), 'the audit log never shows a key');
    await ui.shot('audit-log');

    // Filters: only revocations, kept in the URL across a reload.
    await page.getByLabel('Action').selectOption('revoke');
    await expectCount(log.locator('tr[data-audit-id]'), 1);
    await expectText(log.locator('tr[data-audit-id]'), 'Revoke');
    assert.match(page.url(), /[?&]action=revoke/);
    await page.reload();
    await expectCount(log.locator('tr[data-audit-id]'), 1);
    assert.equal(await page.getByLabel('Action').inputValue(), 'revoke');
    await page.getByLabel('Resource ID').fill(reader.body.id);
    await expectVisible(page.getByText('No change matches these filters'));
    await ui.shot('audit-log-filtered');

    // Signing out on purpose says nothing about a key that stopped working.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await expectCount(page.getByText('You were signed out'), 0);
  });
});

test('a read key is told, in the server’s words, that a change is beyond its scope', async () => {
  const { server } = suite;
  const reader = await createKey('Read only', 'read');
  const refusal = await server.api(
    'POST',
    '/v1/webhooks',
    { name: 'Not allowed', url: 'http://127.0.0.1:9/hook' },
    { key: reader.key },
  );
  assert.equal(refusal.status, 403);
  assert.equal(refusal.body.error.code, 'forbidden_scope');
  await withPage(suite, 'settings-read-key', { key: reader.key, allow: [400, 401, 403, 422] }, async (ui) => {
    const { page } = ui;
    await nav(ui, 'Settings');
    await expectText(page.getByRole('region', { name: "This browser's key" }), 'Read');
    await expectVisible(page.getByText('Your key cannot manage API keys'));
    await expectCount(page.getByRole('table', { name: 'API keys' }), 0);
    await ui.shot('read-key-settings');

    await nav(ui, 'Webhooks');
    await page.getByRole('button', { name: 'Create webhook' }).first().click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Create webhook' }));
    await page.getByLabel('Webhook name').fill('Not allowed');
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectText(
      page.getByRole('alert').filter({ hasText: 'The webhook was not saved' }),
      refusal.body.error.message,
    );
    // Still signed in, on the form, with nothing saved.
    await expectVisible(page.getByRole('navigation', { name: 'Main' }));
    assert.equal((await server.api('GET', '/v1/webhooks')).body.data.length, 0);
    await ui.shot('read-key-refused');
  });
});

test('a key revoked while in use signs the browser out, and the sign-in page says why', async () => {
  const { server } = suite;
  const laptop = await createKey('Old laptop', 'write');
  await withPage(suite, 'settings-revoked', { key: laptop.key, allow: [400, 401, 403, 422] }, async (ui) => {
    const { page } = ui;
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Dashboard' }));
    // Every request of the dashboard answered first: one still out when the key is revoked would
    // sign the browser out before the click below.
    await page.waitForLoadState('networkidle');
    const revoked = await server.api('DELETE', `/v1/api-keys/${laptop.id}`);
    assert.equal(revoked.status, 204, JSON.stringify(revoked.body));

    // The next request is refused: back to sign-in, with the server's reason.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deliveries' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await expectText(
      page.getByRole('status').filter({ hasText: 'You were signed out' }),
      /API key was revoked/i,
    );
    assert.equal(await page.evaluate(() => localStorage.getItem('hookline.apiKey')), null);
    await ui.shot('signed-out-revoked');

    // Signing in with it again is refused, saying the same.
    await page.getByLabel('API key').fill(laptop.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.locator('.field-error'), /revoked/i);
    await ui.shot('sign-in-revoked-key');
  });
});

test('the --api-key key reads as the instance key; one named so through the API keeps its name', async () => {
  const { server } = suite;
  // The server names the test's key (given with --api-key) "--api-key", an instance key.
  const me = (await server.api('GET', '/v1/me')).body;
  assert.deepEqual([me.name, me.instance], ['--api-key', true]);
  const namesake = await createKey('--api-key', 'read');
  await withPage(suite, 'settings-key-names', async (ui) => {
    const { page } = ui;
    await expectText(page.locator('.signed-in-name'), 'Instance key (--api-key)');
    await nav(ui, 'Settings');
    const card = page.getByRole('region', { name: "This browser's key" });
    await expectText(card, 'Instance key (--api-key)');
    const keys = page.getByRole('table', { name: 'API keys' });
    const mine = keys.getByRole('row').filter({ hasText: 'This browser' });
    await expectText(mine.locator('td').first(), 'Instance key (--api-key)');
    const other = keys.locator(`tr[data-key-id="${namesake.id}"]`);
    assert.equal((await other.locator('td .strong').innerText()).trim(), '--api-key');
    await ui.shot('key-names');
  });
});

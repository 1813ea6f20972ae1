// Journey versions in the builder. A journey made through the API (signed_up -> wait 1 hour ->
// exit) is activated and one contact signs up: it waits at the wait, on version 1. In the builder,
// a rename alone is no new version (no hint); the wait made 2 hours is: "Saving makes version 2",
// and Save says the journey was saved as version 2 and that contacts already inside finish on the
// version they entered. The Versions menu lists version 2 (current) and version 1 with the contact
// finishing on it; version 1, opened with the keyboard, is shown read only (its 1-hour wait with
// its counts on version 1: the contact entered and waiting, the banner saying so, nothing to edit,
// drag or save) until "Back to the current version". The API lists both versions; the contact's page says it is on version 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectHidden, expectText, expectVisible, nav } from './lib/browser.mjs';
import { blockById, paletteItem, panelOf, select } from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const suite = browserSuite();

async function journeyOf(id) {
  return (await suite.server.api('GET', `/v1/journeys/${id}`)).body;
}

async function versionsOf(id) {
  const res = await suite.server.api('GET', `/v1/journeys/${id}/versions`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

// signed_up -> wait 1 hour -> exit, activated; one contact (Ana) waits at the wait.
async function welcomeJourney() {
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name: 'Welcome',
    blocks: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { event: 'signed_up', filters: [] } },
      { id: 'd', type: 'delay', position: { x: 0, y: 170 }, config: { duration: '1h' } },
      { id: 'x', type: 'exit', position: { x: 0, y: 340 }, config: {} },
    ],
    edges: [
      { source: 't', target: 'd' },
      { source: 'd', target: 'x' },
    ],
  });
  assert.equal(journey.version, 1);
  const ana = await apiCreate(suite.server, '/v1/contacts', { email: 'ana@example.com' });
  const activated = await suite.server.api('POST', `/v1/journeys/${journey.id}/activate`);
  assert.equal(activated.status, 200, JSON.stringify(activated.body));
  const event = await suite.server.api('POST', '/v1/events', {
    event: 'signed_up',
    contact: { email: 'ana@example.com' },
  });
  assert.equal(event.status, 202, JSON.stringify(event.body));
  await waitFor(async () => (await journeyOf(journey.id)).stats?.d?.waiting === 1, { timeoutMs: 20000 });
  return { journey, ana };
}

test('an active journey edited makes version 2; version 1 is shown read only with its contact', async () => {
  const { journey, ana } = await welcomeJourney();
  const id = journey.id;

  await withPage(suite, 'journey-versions', async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    const bar = page.locator('.builder-name');
    const versionsButton = page.getByRole('button', { name: 'Versions', exact: true });
    const save = page.getByRole('button', { name: 'Save', exact: true });
    const hint = page.getByText(/^Saving makes version/);

    await nav(ui, 'Journeys');
    await page.getByRole('table', { name: 'Journeys' }).getByRole('link', { name: 'Welcome' }).click();
    await expectVisible(blockById(page, 'd'));
    await expectText(bar, 'Active');
    await expectText(bar, 'Version 1');
    await expectCount(versionsButton, 0); // one version: nothing to choose from
    await expectText(blockById(page, 'd').locator('.block-summary'), '1 hour');

    // A new name alone makes no version.
    await page.getByLabel('Journey name').fill('Welcome series');
    await expectText(bar, 'Unsaved changes');
    await expectCount(hint, 0);

    // The wait made 2 hours: saving makes version 2.
    await select(page, 'd', 'Wait');
    await panel.getByLabel('Wait for').fill('2');
    await expectText(blockById(page, 'd').locator('.block-summary'), '2 hours');
    await expectText(hint, 'Saving makes version 2');
    await ui.shot('versions-hint');
    await save.click();
    await expectText(
      page.locator('.toasts'),
      'Journey saved as version 2. Contacts already in the journey finish on the version they entered.',
    );
    await expectText(bar, 'Version 2');
    await expectCount(hint, 0);
    await expectHidden(bar.getByText('Unsaved changes'));

    // The API: version 2 is current, version 1 still holds the contact.
    const saved = await journeyOf(id);
    assert.equal(saved.version, 2);
    assert.equal(saved.name, 'Welcome series');
    const items = await versionsOf(id);
    assert.deepEqual(
      items.map(({ version, current, waiting }) => ({ version, current, waiting })),
      [
        { version: 2, current: true, waiting: 0 },
        { version: 1, current: false, waiting: 1 },
      ],
    );
    for (const item of items) assert.ok(Number.isFinite(item.created_at) && item.created_at > 0);
    const old = await suite.server.api('GET', `/v1/journeys/${id}/versions/1`);
    assert.equal(old.status, 200, JSON.stringify(old.body));
    assert.equal(old.body.blocks.find((b) => b.id === 'd').config.duration, '1h');
    assert.equal(old.body.stats.d.waiting, 1);
    assert.equal(old.body.stats.d.entered, 1);
    assert.deepEqual(old.body.totals, { entered: 1, waiting: 1, completed: 0, exited: 0, converted: 0 });
    const current = await suite.server.api('GET', `/v1/journeys/${id}/versions/2`);
    assert.equal(current.body.stats.d.entered, 0, 'no one entered version 2 yet');
    assert.equal((await suite.server.api('GET', `/v1/journeys/${id}/versions/3`)).status, 404);

    // The Versions menu: newest first, the one shown checked.
    await versionsButton.click();
    const menu = page.getByRole('menu', { name: 'Versions' });
    await expectVisible(menu);
    const entries = menu.getByRole('menuitemradio');
    await expectCount(entries, 2);
    await expectText(entries.nth(0), 'Version 2 · current');
    await expectText(entries.nth(1), 'Version 1 · 1 contact finishing');
    await expectText(entries.nth(1), 'Saved ');
    assert.equal(await entries.nth(0).getAttribute('aria-checked'), 'true');
    assert.equal(await entries.nth(1).getAttribute('aria-checked'), 'false');
    await ui.shot('versions-menu');

    // Version 1, chosen with the keyboard (the focus starts on the version shown).
    await expectVisible(menu.getByRole('menuitemradio', { name: /^Version 2/ }).and(page.locator(':focus')));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expectHidden(menu);
    const banner = page.getByRole('status').filter({ hasText: 'Viewing version 1 of 2' });
    await expectText(
      banner,
      'Viewing version 1 of 2 (read only). Contacts who entered on it finish on it.',
    );
    await expectText(banner, '1 contact entered on it. 1 contact is waiting on it now.');
    // Each block with its counts on version 1.
    const wait = blockById(page, 'd');
    await expectText(wait.locator('.block-summary'), '1 hour');
    await expectText(wait.locator('.block-stats'), '1 entered');
    await expectText(wait.locator('.block-stats'), '1 waiting');
    await expectText(wait.locator('.block-stats'), '0 left');
    await expectText(blockById(page, 't').locator('.block-stats'), '1 entered');
    await expectText(blockById(page, 't').locator('.block-stats'), '1 left');
    await expectText(blockById(page, 'x').locator('.block-stats'), '0 entered');

    // Read only: nothing to save, activate or pause; no name, re-entry, palette or settings to edit.
    assert.equal(await save.isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Pause' }).isDisabled(), true);
    assert.equal(await page.getByLabel('Journey name').isDisabled(), true);
    assert.equal(await page.getByLabel('Journey name').inputValue(), 'Welcome series');
    assert.equal(await page.getByRole('combobox', { name: 'Re-entry' }).isDisabled(), true);
    assert.equal(await paletteItem(page, 'Wait').getAttribute('aria-disabled'), 'true');
    assert.equal(await paletteItem(page, 'Webhook').getAttribute('draggable'), 'false');
    await select(page, 'd', 'Wait');
    assert.equal(await panel.getByLabel('Wait for').inputValue(), '1');
    assert.equal(await panel.getByLabel('Wait for').isDisabled(), true);
    assert.equal(await panel.getByRole('button', { name: 'Delete block' }).isDisabled(), true);
    await page.keyboard.press('Delete');
    await expectCount(page.locator('.react-flow__node'), 3);
    await expectCount(page.getByRole('region', { name: 'Journey totals' }), 0);
    await ui.shot('version-1-read-only');

    // The menu says which version is shown.
    await versionsButton.click();
    assert.equal(await entries.nth(1).getAttribute('aria-checked'), 'true');
    await page.keyboard.press('Escape');
    await expectHidden(menu);

    // Back to version 2, editable again.
    await page.getByRole('button', { name: 'Back to the current version' }).click();
    await expectHidden(banner);
    await expectText(blockById(page, 'd').locator('.block-summary'), '2 hours');
    await expectVisible(blockById(page, 'd').locator('[data-stat="entered"]'));
    assert.equal(await save.isDisabled(), false);
    assert.equal(await page.getByLabel('Journey name').isDisabled(), false);
    assert.equal(await paletteItem(page, 'Wait').getAttribute('aria-disabled'), null);
    await expectText(bar, 'Version 2');
    await expectCount(bar.getByText('Unsaved changes'), 0);
    await ui.shot('back-to-version-2');

    // The contact's page: in the journey on version 1, as the API says.
    const enrolments = await suite.server.api('GET', `/v1/contacts/${ana.id}/journeys`);
    assert.equal(enrolments.status, 200, JSON.stringify(enrolments.body));
    assert.equal(enrolments.body.data.length, 1);
    assert.equal(enrolments.body.data[0].journey_version, 1);
    await page.goto(`/contacts/${ana.id}`);
    const row = page
      .getByRole('table', { name: 'Journeys of this contact' })
      .getByRole('row')
      .filter({ hasText: 'Welcome series' });
    await expectText(row, 'version 1');
    await expectText(row, 'Waiting');
    await ui.shot('contact-on-version-1');
  });
});

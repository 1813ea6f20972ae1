// Searching the contacts list: part of an email or of "first last", in any case (`%` and `_` are
// plain characters), asked of the server once typing pauses (GET /v1/contacts?q=), kept in the
// address so that a reload and Back keep it, paged within the results; no match says so and
// offers to clear, and a search the server refuses or cannot answer says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectText, expectVisible, expectCount, nav } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const people = [
  { email: 'maria@example.com', first_name: 'Maria', last_name: 'Silva' },
  { email: 'mario@example.com', first_name: 'Mario', last_name: 'Rossi' },
  { email: 'joao@example.com', first_name: 'João', last_name: 'Souza' },
  { email: 'ana_bela@example.com', first_name: 'Ana', last_name: 'Bela' },
  { email: 'half%off@example.com', first_name: 'Promo', last_name: 'Desk' },
];
const made = {};
const suite = browserSuite({
  setup: async ({ server }) => {
    for (const p of people) made[p.email] = await apiCreate(server, '/v1/contacts', p);
    made.list = await apiCreate(server, '/v1/lists', { name: 'Found' });
    // More readers than one page of the list (100) holds.
    for (let n = 1; n <= 105; n++) {
      await apiCreate(server, '/v1/contacts', { email: `reader${n}@news.example` });
    }
  },
});

function searchBox(page) {
  return page.getByRole('search', { name: 'Contacts' }).getByRole('searchbox', { name: 'Search contacts' });
}

// The emails the contacts table shows, in order.
async function shownEmails(page) {
  return page
    .getByRole('table', { name: 'Contacts' })
    .locator('tbody tr td:nth-child(2) a')
    .allInnerTexts();
}

// Waits until the table shows exactly `emails` (in any order).
async function expectEmails(page, emails) {
  const want = [...emails].sort();
  const deadline = Date.now() + 10000;
  let seen = [];
  while (Date.now() < deadline) {
    seen = (await shownEmails(page)).sort();
    if (JSON.stringify(seen) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(seen, want);
}

test('search contacts by part of the email or name, kept in the address across reload and Back', async () => {
  await withPage(suite, 'contacts-search', async (ui) => {
    const { page } = ui;
    const searches = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/v1/contacts' && url.searchParams.has('q')) {
        searches.push(url.searchParams.get('q'));
      }
    });
    await nav(ui, 'Contacts & lists');
    const box = searchBox(page);
    const status = page.locator('.search-summary');
    await expectVisible(box);

    // Typing asks once, when it pauses: not for every letter.
    await box.pressSequentially('mar', { delay: 60 });
    await expectEmails(page, ['maria@example.com', 'mario@example.com']);
    await expectText(status, '2 contacts match “mar”');
    assert.deepEqual(searches, ['mar']);
    assert.equal(new URL(page.url()).search, '?q=mar');
    await ui.shot('two-match');

    // Any case; a first and last name together; % and _ are plain characters.
    const cases = [
      ['SILVA', ['maria@example.com']],
      ['maria silva', ['maria@example.com']],
      ['joão', ['joao@example.com']],
      ['_', ['ana_bela@example.com']],
      ['%', ['half%off@example.com']],
    ];
    for (const [text, emails] of cases) {
      await box.fill(text);
      await expectEmails(page, emails);
    }
    await expectText(status, '1 contact matches “%”');

    // A reload keeps the search; so does Back from a contact found.
    await box.fill('mar');
    await expectEmails(page, ['maria@example.com', 'mario@example.com']);
    await page.reload();
    await expectEmails(page, ['maria@example.com', 'mario@example.com']);
    assert.equal(await searchBox(page).inputValue(), 'mar');
    await page.getByRole('link', { name: 'maria@example.com' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'maria@example.com' }));
    await page.goBack();
    await expectEmails(page, ['maria@example.com', 'mario@example.com']);
    assert.equal(await searchBox(page).inputValue(), 'mar');
    assert.equal(new URL(page.url()).search, '?q=mar');

    // The navigation's link to the list shows every contact again.
    await nav(ui, 'Contacts & lists');
    assert.equal(await searchBox(page).inputValue(), '');
    assert.equal(new URL(page.url()).search, '');
    await expectCount(page.getByRole('table', { name: 'Contacts' }).locator('tbody tr'), 100);

    // Paging works within the results: the first 100 readers, then the other 5.
    await box.fill('READER');
    await expectText(status, 'The first 100 contacts that match “READER”');
    let emails = await shownEmails(page);
    assert.equal(emails.length, 100);
    assert.ok(emails.every((e) => e.startsWith('reader')), emails.join());
    await page.getByRole('button', { name: 'Load more' }).click();
    await expectText(status, '105 contacts match “READER”');
    emails = await shownEmails(page);
    assert.equal(new Set(emails).size, 105);
    assert.ok(emails.every((e) => e.startsWith('reader')));
    await expectCount(page.getByRole('button', { name: 'Load more' }), 0);

    // No match says so, and offers to clear; so do the × and Escape.
    await box.fill('nobody here');
    const none = page.getByRole('heading', { name: 'No contacts match “nobody here”' });
    await expectVisible(none);
    await expectCount(page.getByRole('table', { name: 'Contacts' }), 0);
    await ui.shot('no-match');
    await page.getByRole('button', { name: 'Clear search' }).last().click();
    await expectCount(page.getByRole('table', { name: 'Contacts' }).locator('tbody tr'), 100);
    assert.equal(await box.inputValue(), '');
    assert.equal(new URL(page.url()).search, '');
    await box.fill('rossi');
    await expectEmails(page, ['mario@example.com']);
    const search = page.getByRole('search', { name: 'Contacts' });
    await search.getByRole('button', { name: 'Clear search' }).click();
    await expectCount(page.getByRole('table', { name: 'Contacts' }).locator('tbody tr'), 100);
    await box.fill('souza');
    await expectEmails(page, ['joao@example.com']);
    await box.press('Escape');
    await expectCount(page.getByRole('table', { name: 'Contacts' }).locator('tbody tr'), 100);
    assert.equal(await box.inputValue(), '');

    // Contacts found can be selected and added to a list like any others.
    const { list } = made;
    await box.fill('mar');
    await expectEmails(page, ['maria@example.com', 'mario@example.com']);
    await page.getByRole('checkbox', { name: 'Select all contacts' }).check();
    await page.getByLabel('List to add the selected contacts to').selectOption(list.id);
    await page.getByRole('button', { name: 'Add to list' }).click();
    await expectText(page.locator('.toasts'), '2 contacts added to “Found”');
    const members = await suite.server.api('GET', `/v1/lists/${list.id}/contacts`);
    assert.deepEqual(
      members.body.data.map((c) => c.email).sort(),
      ['maria@example.com', 'mario@example.com'],
    );
  });
});

test('a search the server refuses or cannot answer says why', async () => {
  await withPage(suite, 'contacts-search-errors', { allow: [400, 503] }, async (ui) => {
    const { page } = ui;
    await page.goto('/contacts');
    const box = searchBox(page);
    await expectVisible(box);

    // Over 200 bytes: the server refuses it (field "q"); said beside the box.
    await box.fill('é'.repeat(101));
    const error = page.getByRole('search', { name: 'Contacts' }).locator('.field-error');
    await expectText(error, 'Search for a shorter part of an email or name: at most 200 letters');
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    await expectCount(page.getByRole('table', { name: 'Contacts' }), 0);
    await ui.shot('too-long');
    await box.fill('maria');
    await expectEmails(page, ['maria@example.com']);
    await expectCount(error, 0);

    // A request that fails says what went wrong; the rows of another search are not shown.
    await page.route('**/v1/contacts?*', (route) =>
      new URL(route.request().url()).searchParams.get('q') === 'silva'
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'unavailable', message: 'the store is busy, try again' } }),
          })
        : route.continue(),
    );
    await box.fill('silva');
    const alert = page.getByRole('alert').filter({ hasText: 'Could not search contacts' });
    await expectText(alert, 'The store is busy, try again.');
    assert.equal(await page.locator('.search-summary').innerText(), '');
    await expectCount(page.getByRole('table', { name: 'Contacts' }), 0);
    await ui.shot('failed');
    await page.unroute('**/v1/contacts?*');
    await box.fill('silv');
    await expectEmails(page, ['maria@example.com']);
    await expectCount(alert, 0);
  });
});

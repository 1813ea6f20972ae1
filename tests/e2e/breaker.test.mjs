// A webhook whose receiver keeps failing has its breaker open: the dashboard's table of webhooks
// and the webhook's page say it is backing off (or trying again) since the time it opened
// (`breaker.opened_at`), and a healthy webhook stays Normal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectText, expectVisible, expectCount } from './lib/browser.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

// Two tries per delivery, 100 ms apart; three deliveries fail five times in a row, which opens
// the breaker (the sixth try waits for it, fails as its probe and reopens it).
const suite = browserSuite({
  args: ['--retry-schedule', '0s,100ms'],
  receivers: {
    ok: () => ({ status: 200, body: 'ok' }),
    failing: () => ({ status: 500, body: 'boom' }),
  },
});

const BREAKER = /^(Backing off|Trying again)\s+(since|failing since) (.+)$/;

test('an open breaker says since when, on the dashboard and on the webhook page', async () => {
  const { server, receivers } = suite;
  const broken = await apiCreate(server, '/v1/webhooks', {
    name: 'Broken CRM',
    url: `${receivers.failing.url}/broken`,
    events: ['email.click'],
  });
  await apiCreate(server, '/v1/webhooks', {
    name: 'Good CRM',
    url: `${receivers.ok.url}/good`,
    events: ['email.click'],
  });
  for (const n of [1, 2, 3]) {
    const res = await server.api('POST', '/v1/events', {
      event: 'email.click',
      contact: { email: `reader${n}@example.com` },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }
  let breaker;
  await waitFor(
    async () => {
      breaker = (await server.api('GET', `/v1/webhooks/${broken.id}`)).body.breaker;
      return breaker.state !== 'closed' && breaker.opened_at !== null;
    },
    { timeoutMs: 20000 },
  );
  const age = Date.now() - breaker.opened_at;
  assert.ok(age >= 0 && age < 60000, JSON.stringify(breaker));

  await withPage(suite, 'breaker', async (ui) => {
    const { page } = ui;
    // The time of day as the browser writes it, the way the page should.
    const since = await page.evaluate(
      (ms) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
      breaker.opened_at,
    );
    await page.goto('/dashboard');
    const table = page.getByRole('table', { name: 'Webhooks, worst first, in the last 24 hours' });
    const row = (name) => table.locator('tbody tr').filter({ has: page.getByRole('link', { name }) });
    await expectCount(table.locator('tbody tr'), 2);
    const cell = row('Broken CRM').locator('td').last();
    const shown = await expectText(cell, BREAKER);
    assert.equal(BREAKER.exec(shown.trim())[3], since, shown);
    const title = await cell.locator('.breaker').getAttribute('title');
    assert.match(
      title,
      /^The receiver has failed since .+ \((under a minute|\d+ min)\), [5-9] failed tries in a row\./,
    );
    assert.equal(
      await cell.locator('time').getAttribute('datetime'),
      new Date(breaker.opened_at).toISOString(),
    );
    assert.equal((await row('Good CRM').locator('td').last().innerText()).trim(), 'Normal');
    await ui.shot('dashboard');

    // The webhook's page, beside its last 24 hours.
    await row('Broken CRM').getByRole('link', { name: 'Broken CRM' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Broken CRM' }));
    const panel = page.getByRole('region', { name: 'Last 24 hours' });
    const onPage = await expectText(panel.locator('.breaker'), BREAKER);
    assert.equal(BREAKER.exec(onPage.trim())[3], since, onPage);
    await ui.shot('webhook-page');
  });
});

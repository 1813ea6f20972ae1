// The Split (A/B) block in the builder: a journey built by hand (Email link clicked -> split 70/30
// -> an Add-to-list block on each branch, one branch renamed after it was wired), saved and
// activated; the API stores the branches and the edges by branch name; 20 contacts run through it
// and the builder labels each branch's wire with its count ("A · 13"), the counts adding up to
// 20 and agreeing with the lists the branches filled. Then the branches edited: shares that do
// not add up to 100 are warned about as typed and refused on Save in the server's words, a branch
// added is wired and a branch removed takes its wire with it. Last, a five-way split made
// through the API without positions: the builder lays its wired branches out side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../integration/lib/harness.mjs';
import { expectCount, expectHidden, expectText, expectVisible, nav } from './lib/browser.mjs';
import { blockById, dragBlock, panelOf, wire } from './lib/builder.mjs';
import { apiCreate, browserSuite, withPage } from './lib/suite.mjs';

const CONTACTS = 20;

const made = {};
const suite = browserSuite({
  setup: async ({ server }) => {
    made.listA = await apiCreate(server, '/v1/lists', { name: 'Got version A' });
    made.listControl = await apiCreate(server, '/v1/lists', { name: 'Control group' });
  },
});

async function journeyOf(id) {
  return (await suite.server.api('GET', `/v1/journeys/${id}`)).body;
}

async function memberCount(listId) {
  const lists = (await suite.server.api('GET', '/v1/lists')).body.data;
  return lists.find((l) => l.id === listId).member_count;
}

function handle(page, blockId, index) {
  return blockById(page, blockId).locator(`.react-flow__handle[data-handleid="branch-${index}"]`);
}

// The split's outputs as its cells read ("A · 50%"; innerText would break them at each part).
async function outputs(page, blockId) {
  return blockById(page, blockId)
    .locator('.split-output')
    .evaluateAll((cells) => cells.map((c) => c.textContent));
}

// The labels of the split's wires, read from the SVG ("A · 13"; no innerText there).
async function wireLabels(page) {
  return page
    .locator('.react-flow__edge.edge-branch .react-flow__edge-text')
    .evaluateAll((ts) => ts.map((t) => t.textContent));
}

test('build a 70/30 split, run 20 contacts through it and see each branch counted on its wire', async () => {
  await withPage(suite, 'journey-split', async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    await nav(ui, 'Journeys');
    await page.getByRole('button', { name: 'Create journey' }).first().click();
    await expectVisible(page.locator('.react-flow'));
    await page.getByLabel('Journey name').fill('Welcome A/B');

    await dragBlock(page, 'Email link clicked', 330, 60);
    await dragBlock(page, 'Split (A/B)', 330, 250);
    await expectVisible(panel.getByRole('heading', { name: 'Split (A/B)' }));
    const split = blockById(page, 'split_1');
    assert.deepEqual(await outputs(page, 'split_1'), ['A · 50%', 'B · 50%']);
    await expectCount(split.locator('.react-flow__handle.source'), 2);

    // The total as it is typed: 120 is warned about, 100 is not.
    await panel.getByLabel('Branch 1 percent').fill('70');
    await expectText(panel.getByRole('status'), 'Total: 120%: the percents must add up to 100%.');
    await panel.getByLabel('Branch 2 percent').fill('30');
    await expectText(panel.getByRole('status'), 'Total: 100%');
    await expectHidden(panel.getByText('must add up'));
    await expectText(split, 'Splits contacts 70 / 30');
    await ui.shot('split-configured');

    await dragBlock(page, 'Add to list', 170, 500);
    await panel.getByLabel('Add the contact to').selectOption({ label: 'Got version A (0 contacts)' });
    await dragBlock(page, 'Add to list', 490, 500);
    await panel.getByLabel('Add the contact to').selectOption({ label: 'Control group (0 contacts)' });

    // Wired with the mouse: the trigger to the split, each branch's handle to its block.
    await wire(
      page,
      blockById(page, 'trigger_1').locator('.react-flow__handle.source'),
      split.locator('.react-flow__handle.target'),
    );
    const input = (id) => blockById(page, id).locator('.react-flow__handle.target');
    await wire(page, handle(page, 'split_1', 0), input('add_1'));
    await wire(page, handle(page, 'split_1', 1), input('add_2'));
    await expectCount(page.locator('.react-flow__edge'), 3);
    await expectCount(page.locator('.react-flow__edge.edge-branch'), 2);

    // Renamed after it was wired, the branch keeps its wire.
    await split.locator('.block-head').click();
    await panel.getByLabel('Branch 2 name').fill('Control');
    assert.deepEqual(await outputs(page, 'split_1'), ['A · 70%', 'Control · 30%']);
    await expectCount(page.locator('.react-flow__edge'), 3);
    await expectCount(page.locator('.react-flow__edge[aria-label="split_1 Control to add_2"]'), 1);
    assert.equal(
      await panel.getByRole('combobox', { name: /Branch Control \(30%\) goes to/ }).inputValue(),
      'add_2',
    );
    await ui.shot('split-wired-renamed');

    await page.getByRole('button', { name: 'Activate' }).click();
    await expectText(page.locator('.builder-name .badge'), 'Active');
    const id = new URL(page.url()).pathname.split('/').pop();

    // Stored: the branches as set, the edges by branch name.
    const saved = await journeyOf(id);
    assert.equal(saved.status, 'active');
    assert.deepEqual(saved.blocks.find((b) => b.id === 'split_1').config, {
      branches: [
        { name: 'A', percent: 70 },
        { name: 'Control', percent: 30 },
      ],
    });
    const edges = saved.edges.map(({ source, target, branch }) => ({ source, target, branch }));
    assert.deepEqual(
      edges.sort((a, b) => a.target.localeCompare(b.target)),
      [
        { source: 'split_1', target: 'add_1', branch: 'A' },
        { source: 'split_1', target: 'add_2', branch: 'Control' },
        { source: 'trigger_1', target: 'split_1', branch: undefined },
      ],
    );

    // Twenty contacts click: each takes one branch.
    for (let i = 0; i < CONTACTS; i++) {
      const res = await suite.server.api('POST', '/v1/events', {
        event: 'email.click',
        contact: { email: `reader${i}@example.com` },
        event_details: { campaign_name: 'Welcome' },
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
    }
    let counts = null;
    await waitFor(
      async () => {
        counts = (await journeyOf(id)).stats.split_1.branches;
        return counts.A + counts.Control === CONTACTS;
      },
      { timeoutMs: 30000 },
    );
    await waitFor(
      async () => (await memberCount(made.listA.id)) + (await memberCount(made.listControl.id)) === CONTACTS,
      { timeoutMs: 20000 },
    );
    assert.equal(await memberCount(made.listA.id), counts.A);
    assert.equal(await memberCount(made.listControl.id), counts.Control);

    // Reloaded, each wire says how many took its branch; together, every contact.
    await page.reload();
    await expectVisible(blockById(page, 'split_1'));
    await waitFor(async () => (await wireLabels(page)).length === 2, { timeoutMs: 10000, intervalMs: 100 });
    const labels = (await wireLabels(page)).sort();
    assert.deepEqual(labels, [`A · ${counts.A}`, `Control · ${counts.Control}`]);
    const sum = labels.reduce((acc, l) => acc + Number(l.split(' · ')[1]), 0);
    assert.equal(sum, CONTACTS);
    assert.equal(
      await page.locator('.react-flow__edge.edge-branch').first().getAttribute('aria-label'),
      `split_1 A to add_1: ${counts.A} contact${counts.A === 1 ? '' : 's'}`,
    );
    await expectText(blockById(page, 'split_1').locator('[data-stat="entered"]'), String(CONTACTS));
    const totals = page.getByRole('region', { name: 'Journey totals' });
    await expectText(totals.locator('[data-total="entered"] dd'), String(CONTACTS));
    await expectText(totals.locator('[data-total="completed"] dd'), String(CONTACTS));
    await ui.shot('split-counts');

    // The journeys list shows the journey's totals as for any other.
    await nav(ui, 'Journeys');
    const row = page
      .getByRole('table', { name: 'Journeys' })
      .getByRole('row')
      .filter({ hasText: 'Welcome A/B' });
    await expectText(row.locator('td[data-total="entered"]'), new RegExp(`^${CONTACTS}$`));
    await expectText(row.locator('td[data-total="completed"]'), new RegExp(`^${CONTACTS}$`));
    made.journeyId = id;
  });
});

test('shares not adding up to 100 are refused; branches added and removed take their wires', async () => {
  assert.ok(made.journeyId, 'the first test made the journey');
  const id = made.journeyId;
  await withPage(suite, 'journey-split-edit', { allow: [422] }, async (ui) => {
    const { page } = ui;
    const panel = panelOf(page);
    await nav(ui, 'Journeys');
    await page.getByRole('table', { name: 'Journeys' }).getByRole('link', { name: 'Welcome A/B' }).click();
    const split = blockById(page, 'split_1');
    await expectVisible(split);
    await expectCount(page.locator('.react-flow__edge'), 3);
    await split.locator('.block-head').click();
    await expectVisible(panel.getByRole('heading', { name: 'Split (A/B)' }));

    // 60 + 30: warned as typed, and on Save the block says what is wrong, as the server would.
    await panel.getByLabel('Branch 1 percent').fill('60');
    await expectText(panel.getByRole('status'), 'Total: 90%: the percents must add up to 100%.');
    await page.getByRole('button', { name: 'Save' }).click();
    const said = 'Branch percents must add up to 100 (they add up to 90).';
    await expectText(split.locator('.block-error'), said);
    await expectText(page.getByRole('alert').filter({ hasText: 'not saved' }), 'marked in red');
    await ui.shot('split-percent-error');
    const body = await journeyOf(id);
    const branches = [
      { name: 'A', percent: 60 },
      { name: 'Control', percent: 30 },
    ];
    const bad = body.blocks.map((b) => (b.id === 'split_1' ? { ...b, config: { branches } } : b));
    const refused = await suite.server.api('PUT', `/v1/journeys/${id}`, {
      name: body.name,
      reentry: body.reentry,
      blocks: bad,
      edges: body.edges,
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.field, 'blocks.split_1.config.branches');
    assert.equal(refused.body.error.message, `block split_1: ${said[0].toLowerCase()}${said.slice(1, -1)}`);

    // A third branch, wired; then the second removed: its wire goes, the third's moves up.
    await panel.getByLabel('Branch 1 percent').fill('70');
    await expectHidden(split.locator('.block-error'));
    await panel.getByRole('button', { name: 'Add branch' }).click();
    await expectCount(panel.getByLabel(/^Branch \d name$/), 3);
    await expectText(panel.getByRole('status'), 'Total: 100%');
    assert.equal(await panel.getByLabel('Branch 3 name').inputValue(), 'B');
    await panel.getByLabel('Branch 3 name').fill('Reminder');
    await expectCount(split.locator('.react-flow__handle.source'), 3);
    await panel.getByRole('combobox', { name: /Branch Reminder \(\d+%\) goes to/ }).selectOption('add_2');
    await expectCount(page.locator('.react-flow__edge.edge-branch'), 3);
    await ui.shot('split-three-branches');
    await panel.getByRole('button', { name: 'Remove branch Control' }).click();
    await expectCount(panel.getByLabel(/^Branch \d name$/), 2);
    await expectCount(split.locator('.react-flow__handle.source'), 2);
    await expectCount(page.locator('.react-flow__edge.edge-branch'), 2);
    await expectText(panel.getByRole('status'), 'Total: 100%');
    assert.equal(
      await panel.getByRole('combobox', { name: /Branch Reminder \(\d+%\) goes to/ }).inputValue(),
      'add_2',
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.toasts'), 'Journey saved');
    const saved = await journeyOf(id);
    assert.deepEqual(
      saved.blocks.find((b) => b.id === 'split_1').config.branches.map((b) => b.name),
      ['A', 'Reminder'],
    );
    assert.deepEqual(
      saved.edges.filter((e) => e.source === 'split_1').map((e) => [e.branch, e.target]).sort(),
      [
        ['A', 'add_1'],
        ['Reminder', 'add_2'],
      ],
    );
    await ui.shot('split-branch-removed');
  });
});

test('a five-way split made through the API without positions: its branches side by side', async () => {
  const branches = [
    { name: 'Email', percent: 20 },
    { name: 'SMS', percent: 20 },
    { name: 'Push', percent: 20 },
    { name: 'Letter', percent: 20 },
    { name: 'Nothing', percent: 20 },
  ];
  const journey = await apiCreate(suite.server, '/v1/journeys', {
    name: 'Five ways',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'signup.done', filters: [] } },
      { id: 's', type: 'split', config: { branches } },
      { id: 'e', type: 'add_to_list', config: { list_id: made.listA.id } },
      { id: 'm', type: 'add_to_list', config: { list_id: made.listControl.id } },
      { id: 'x', type: 'exit' },
    ],
    edges: [
      { source: 't', target: 's' },
      { source: 's', target: 'x', branch: 'Nothing' },
      { source: 's', target: 'e', branch: 'Email' },
      { source: 's', target: 'm', branch: 'SMS' },
    ],
  });
  await withPage(suite, 'journey-split-layout', async (ui) => {
    const { page } = ui;
    await nav(ui, 'Journeys');
    await page.getByRole('table', { name: 'Journeys' }).getByRole('link', { name: 'Five ways' }).click();
    await expectVisible(blockById(page, 's'));
    await expectCount(page.locator('.react-flow__edge'), 4);
    const shares = ['Email', 'SMS', 'Push', 'Letter', 'Nothing'].map((name) => `${name} · 20%`);
    assert.deepEqual(await outputs(page, 's'), shares);
    await expectCount(blockById(page, 's').locator('.react-flow__handle.source'), 5);

    // Its three wired branches under it, in their order, none over another (the two left unwired
    // take no room); each wire labelled.
    const box = async (id) => blockById(page, id).boundingBox();
    const [s, e, m, x] = [await box('s'), await box('e'), await box('m'), await box('x')];
    assert.ok(e.x + e.width <= m.x && m.x + m.width <= x.x, `side by side: ${JSON.stringify([e, m, x])}`);
    for (const b of [e, m, x]) assert.ok(b.y >= s.y + s.height, 'below the split');
    assert.ok(Math.abs((e.x + x.x + x.width) / 2 - (s.x + s.width / 2)) < 5, 'centred under the split');
    await waitFor(async () => (await wireLabels(page)).length === 3, { timeoutMs: 10000, intervalMs: 100 });
    assert.deepEqual((await wireLabels(page)).sort(), ['Email · 0', 'Nothing · 0', 'SMS · 0']);
    await ui.shot('split-laid-out');
    assert.equal(journey.status, 'draft');
  });
});

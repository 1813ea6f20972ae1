// Journey versions (issue 14): editing the graph of a journey that has been activated makes a new
// version; contacts already inside finish on the version they entered (its blocks, its webhooks,
// its goal), new contacts enter the new one. A draft, a name or a layout changes in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call, callsTo } = env;

const at = (x, y) => ({ x, y });
function welcome(webhookId, { delay = '3s', goal } = {}) {
  const blocks = [
    { id: 't', type: 'trigger', position: at(0, 0), config: { event: 'signed_up' } },
    { id: 'd', type: 'delay', position: at(0, 120), config: { duration: delay } },
    { id: 'w', type: 'webhook', position: at(0, 240), config: { webhook_id: webhookId } },
  ];
  if (goal) blocks.push({ id: 'g', type: 'goal', position: at(300, 0), config: { event: goal } });
  return { name: 'Welcome', blocks, edges: [{ source: 't', target: 'd' }, { source: 'd', target: 'w' }] };
}
const webhook = async (name, path) =>
  (await call('POST', '/v1/webhooks', { name, url: `${env.receiver.url}${path}` }, 201)).id;
const event = (name, email) => call('POST', '/v1/events', { event: name, contact: { email } }, 202);
const emailsAt = (path) => callsTo(path).map((r) => JSON.parse(r.body).data.contact.email).sort();
// entered and waiting of each block, from a journey's or a version's stats.
const entries = (stats) =>
  Object.fromEntries(Object.entries(stats).map(([id, s]) => [id, { entered: s.entered, waiting: s.waiting }]));
async function enrolmentOf(email, journeyId) {
  const contact = (await call('GET', `/v1/contacts?email=${encodeURIComponent(email)}`, undefined, 200)).data[0];
  const enrolments = (await call('GET', `/v1/contacts/${contact.id}/journeys`, undefined, 200)).data;
  return enrolments.find((e) => e.journey_id === journeyId);
}

test('contacts inside finish on the version they entered; new contacts enter the new one', async () => {
  const oldHook = await webhook('Welcome, old', '/welcome-old');
  const newHook = await webhook('Welcome, new', '/welcome-new');
  const made = await call('POST', '/v1/journeys', welcome(oldHook), 201);
  assert.equal(made.version, 1);
  await call('POST', `/v1/journeys/${made.id}/activate`, undefined, 200);
  await event('signed_up', 'ana@example.com'); // waits at the delay, on version 1

  const edited = await call('PUT', `/v1/journeys/${made.id}`, welcome(newHook), 200);
  assert.equal(edited.version, 2);
  assert.equal(edited.blocks.find((b) => b.id === 'w').config.webhook_id, newHook);
  await event('signed_up', 'bia@example.com'); // enters version 2

  const versions = (await call('GET', `/v1/journeys/${made.id}/versions`, undefined, 200)).data;
  assert.deepEqual(versions.map(({ version, current, waiting }) => ({ version, current, waiting })), [
    { version: 2, current: true, waiting: 1 },
    { version: 1, current: false, waiting: 1 },
  ]);
  assert.ok(versions[0].created_at >= versions[1].created_at);
  const first = await call('GET', `/v1/journeys/${made.id}/versions/1`, undefined, 200);
  assert.equal(first.version, 1);
  assert.equal(first.current, false);
  assert.equal(first.blocks.find((b) => b.id === 'w').config.webhook_id, oldHook);
  assert.deepEqual(entries(first.stats), {
    t: { entered: 1, waiting: 0 },
    d: { entered: 1, waiting: 1 },
    w: { entered: 0, waiting: 0 },
  });
  assert.deepEqual(first.totals, { entered: 1, waiting: 1, completed: 0, exited: 0, converted: 0 });
  assert.equal((await enrolmentOf('ana@example.com', made.id)).journey_version, 1);
  assert.equal((await enrolmentOf('bia@example.com', made.id)).journey_version, 2);

  // The old webhook is still needed by a contact on version 1.
  const refused = await env.server.api('DELETE', `/v1/webhooks/${oldHook}`);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.error.message, /"Welcome" \(\S+, its version 1, which contacts are still finishing on\)/);
  assert.match(refused.body.error.message, /an earlier version keeps it until the contacts on it have finished/);

  await waitFor(() => callsTo('/welcome-old').length + callsTo('/welcome-new').length === 2, { timeoutMs: 20000 });
  assert.deepEqual(emailsAt('/welcome-old'), ['ana@example.com']);
  assert.deepEqual(emailsAt('/welcome-new'), ['bia@example.com']);
  await waitFor(async () => (await call('GET', `/v1/journeys/${made.id}`, undefined, 200)).totals.waiting === 0);
  const journey = await call('GET', `/v1/journeys/${made.id}`, undefined, 200);
  assert.equal(journey.totals.entered, 2, 'the journey counts every version');
  assert.equal(journey.totals.completed, 2);
  assert.equal(journey.stats.w.entered, 2);
  for (const version of [1, 2]) {
    const counted = await call('GET', `/v1/journeys/${made.id}/versions/${version}`, undefined, 200);
    assert.deepEqual(counted.totals, { entered: 1, waiting: 0, completed: 1, exited: 0, converted: 0 }, `version ${version}`);
    assert.deepEqual(entries(counted.stats).w, { entered: 1, waiting: 0 }, `version ${version}: one contact reached its webhook`);
  }
  // No one is on version 1 any more: its webhook may go.
  await call('DELETE', `/v1/webhooks/${oldHook}`, undefined, 204);
});

test('the totals count contacts at blocks that only an earlier version has', async () => {
  const hook = await webhook('Welcome, totals', '/welcome-totals');
  const made = await call('POST', '/v1/journeys', welcome(hook, { delay: '1h' }), 201);
  await call('POST', `/v1/journeys/${made.id}/activate`, undefined, 200);
  await event('signed_up', 'eva@example.com'); // waits at d, on version 1
  const renamed = welcome(hook, { delay: '1h' });
  renamed.blocks[1].id = 'd2'; // the delay is another block in version 2
  renamed.edges = [{ source: 't', target: 'd2' }, { source: 'd2', target: 'w' }];
  const edited = await call('PUT', `/v1/journeys/${made.id}`, { ...renamed, version: 1 }, 200);
  assert.equal(edited.version, 2);
  await event('signed_up', 'fabi@example.com'); // waits at d2, on version 2
  const journey = await call('GET', `/v1/journeys/${made.id}`, undefined, 200);
  assert.equal(journey.stats.d2.waiting, 1);
  assert.equal(journey.stats.d, undefined, 'stats list the current version\'s blocks');
  assert.equal(journey.totals.waiting, 2, JSON.stringify(journey.totals));
  assert.equal(journey.totals.entered, 2);
  // Each version counts its own contacts at its own blocks.
  const first = await call('GET', `/v1/journeys/${made.id}/versions/1`, undefined, 200);
  assert.deepEqual(entries(first.stats).d, { entered: 1, waiting: 1 });
  assert.equal(first.totals.entered, 1);
  const second = await call('GET', `/v1/journeys/${made.id}/versions/2`, undefined, 200);
  assert.deepEqual(entries(second.stats).d2, { entered: 1, waiting: 1 });
  assert.equal(second.stats.d, undefined);
  assert.deepEqual(second.totals, { entered: 1, waiting: 1, completed: 0, exited: 0, converted: 0 });

  // A save made from version 1 now (another tab, a stale script) would overwrite version 2.
  const stale = await env.server.api('PUT', `/v1/journeys/${made.id}`, { ...welcome(hook, { delay: '5h' }), version: 1 });
  assert.equal(stale.status, 409, JSON.stringify(stale.body));
  assert.equal(stale.body.error.code, 'conflict');
  assert.match(stale.body.error.message, /is at version 2 now; this change was made from version 1/);
  const bad = await env.server.api('PUT', `/v1/journeys/${made.id}`, { ...renamed, version: 'two' });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.equal(bad.body.error.field, 'version');
  const unchanged = await call('GET', `/v1/journeys/${made.id}/versions`, undefined, 200);
  assert.deepEqual(unchanged.data.map((v) => v.version), [2, 1], 'the refused saves changed nothing');
});

test('a draft, a new name or a new layout changes the version in place; a new graph does not', async () => {
  const hook = await webhook('Welcome, in place', '/welcome-in-place');
  const made = await call('POST', '/v1/journeys', welcome(hook), 201);
  const draftEdit = await call('PUT', `/v1/journeys/${made.id}`, welcome(hook, { delay: '1h' }), 200);
  assert.equal(draftEdit.version, 1, 'a draft has no one inside: changed in place');
  await call('POST', `/v1/journeys/${made.id}/activate`, undefined, 200);

  const moved = welcome(hook, { delay: '1h' });
  moved.name = 'Welcome (renamed)';
  moved.blocks[1].position = at(40, 160);
  moved.blocks.reverse(); // the order blocks and edges are listed in is no part of the graph
  moved.edges.reverse();
  const renamed = await call('PUT', `/v1/journeys/${made.id}`, moved, 200);
  assert.equal(renamed.version, 1, 'a name and a layout are not a new graph');
  assert.equal(renamed.blocks.find((b) => b.id === 'd').position.x, 40);
  const again = await call('GET', `/v1/journeys/${made.id}/versions/1`, undefined, 200);
  assert.equal(again.blocks.find((b) => b.id === 'd').position.x, 40, 'the layout of version 1 itself changed');

  const changed = await call('PUT', `/v1/journeys/${made.id}`, welcome(hook, { delay: '2h' }), 200);
  assert.equal(changed.version, 2);
  const items = (await call('GET', `/v1/journeys/${made.id}/versions`, undefined, 200)).data;
  assert.deepEqual(items.map((v) => v.version), [2, 1]);
  const first = await call('GET', `/v1/journeys/${made.id}/versions/1`, undefined, 200);
  assert.equal(first.blocks.find((b) => b.id === 'd').config.duration, '1h');

  const missing = await env.server.api('GET', `/v1/journeys/${made.id}/versions/3`);
  assert.equal(missing.status, 404, JSON.stringify(missing.body));
  for (const bad of ['0', 'two', '1.5']) {
    const res = await env.server.api('GET', `/v1/journeys/${made.id}/versions/${bad}`);
    assert.equal(res.status, 400, `${bad}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.field, 'version');
  }
  const audit = (await call('GET', `/v1/audit-log?resource_id=${made.id}`, undefined, 200)).data;
  const update = audit.find((entry) => entry.action === 'update' && entry.changes.version);
  assert.deepEqual(update?.changes.version, { from: 1, to: 2 }, JSON.stringify(audit));
});

test("a contact on an earlier version leaves at that version's goal, not the current one's", async () => {
  const hook = await webhook('Welcome, goal', '/welcome-goal');
  const made = await call('POST', '/v1/journeys', welcome(hook, { delay: '1h', goal: 'order.paid' }), 201);
  await call('POST', `/v1/journeys/${made.id}/activate`, undefined, 200);
  await event('signed_up', 'caio@example.com'); // version 1: leaves on order.paid
  const edited = await call('PUT', `/v1/journeys/${made.id}`, welcome(hook, { delay: '1h', goal: 'trial.ended' }), 200);
  assert.equal(edited.version, 2);
  await event('signed_up', 'duda@example.com'); // version 2: leaves on trial.ended

  await event('order.paid', 'caio@example.com');
  await event('order.paid', 'duda@example.com');
  assert.equal((await enrolmentOf('caio@example.com', made.id)).status, 'converted');
  assert.equal((await enrolmentOf('duda@example.com', made.id)).status, 'waiting');
  await event('trial.ended', 'duda@example.com');
  assert.equal((await enrolmentOf('duda@example.com', made.id)).status, 'converted');
  const journey = await call('GET', `/v1/journeys/${made.id}`, undefined, 200);
  assert.equal(journey.totals.converted, 2);
  assert.equal(callsTo('/welcome-goal').length, 0);
});

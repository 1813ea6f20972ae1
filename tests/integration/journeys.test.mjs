// Marketing journeys with a Webhook block (SPEC 5), against the real binary and receivers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, waitFor, tempDir } from './lib/harness.mjs';

let server;
let receiver;
before(async () => {
  server = await startServer();
  receiver = await startReceiver();
});
after(async () => {
  await server.stop();
  await receiver.close();
});

const post = async (path, body, expected = [200, 201, 202]) => {
  const res = await server.api('POST', path, body);
  assert.ok([].concat(expected).includes(res.status), `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const callsTo = (path) => receiver.requests.filter((r) => r.url.startsWith(path));

// The source document's sample: called when contacts of list 'Test' click campaign 'Sample'.
function sampleJourney(listId, webhookId, extra = {}) {
  return {
    name: 'Sample clicks', reentry: 'every_time', ...extra,
    blocks: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 },
        config: { event: 'email.click', filters: [{ field: 'event_details.campaign_name', op: 'eq', value: 'Sample' }] } },
      { id: 'c', type: 'condition', position: { x: 0, y: 120 }, config: { in_list: listId } },
      { id: 'w', type: 'webhook', position: { x: 0, y: 240 }, config: { webhook_id: webhookId } },
      { id: 'd', type: 'delay', position: { x: 200, y: 240 }, config: { duration: '2d' } },
    ],
    edges: [{ source: 't', target: 'c' }, { source: 'c', target: 'w', branch: 'yes' }, { source: 'c', target: 'd', branch: 'no' }],
  };
}

test('the source sample: only the list member who clicked Sample causes a call, with data.journey', async () => {
  const hook = await post('/v1/webhooks', { name: 'Journey hook', url: `${receiver.url}/sample` });
  const list = await post('/v1/lists', { name: 'Test' });
  const member = await post('/v1/contacts', { email: 'member@example.com', first_name: 'Maria' });
  const outsider = await post('/v1/contacts', { email: 'outsider@example.com' });
  await post(`/v1/lists/${list.id}/contacts`, { contact_ids: [member.id] });

  const journey = await post('/v1/journeys', sampleJourney(list.id, hook.id), 201);
  assert.equal(journey.status, 'draft');
  assert.deepEqual(journey.blocks[1].position, { x: 0, y: 120 }, 'the layout comes back');
  // A draft journey enrols nobody.
  await post('/v1/events', { event: 'email.click', contact: { email: 'member@example.com' }, event_details: { campaign_name: 'Sample' } });
  await settle();
  assert.equal(callsTo('/sample').length, 0);

  const active = await post(`/v1/journeys/${journey.id}/activate`, undefined, 200);
  assert.equal(active.status, 'active');
  for (const email of ['member@example.com', 'outsider@example.com']) {
    await post('/v1/events', { event: 'email.click', contact: { email }, event_details: { campaign_name: 'Sample' } });
  }
  await post('/v1/events', { event: 'email.click', contact: { email: 'member@example.com' }, event_details: { campaign_name: 'Other' } });
  await waitFor(() => callsTo('/sample').length >= 1);
  await settle();
  const calls = callsTo('/sample');
  assert.equal(calls.length, 1);
  const body = JSON.parse(calls[0].body);
  assert.equal(body.event, 'email.click');
  assert.equal(body.data.contact.email, 'member@example.com');
  assert.deepEqual(body.data.event_details, { campaign_name: 'Sample' });
  assert.deepEqual(body.data.journey, { id: journey.id, name: 'Sample clicks', block_id: 'w' });

  const shown = (await server.api('GET', `/v1/journeys/${journey.id}`)).body;
  assert.deepEqual(shown.stats.t, { entered: 2, waiting: 0, left: 2, ended: 0 });
  assert.deepEqual(shown.stats.c, { entered: 2, waiting: 0, left: 2, ended: 0, yes: 1, no: 1 });
  assert.deepEqual(shown.stats.w, { entered: 1, waiting: 0, left: 1, ended: 1 });
  assert.deepEqual(shown.stats.d, { entered: 1, waiting: 1, left: 0, ended: 0 });
  assert.deepEqual(shown.totals, { entered: 2, waiting: 1, completed: 1, exited: 0, converted: 0 });
  const listed = (await server.api('GET', '/v1/journeys')).body.data.find((j) => j.id === journey.id);
  assert.deepEqual(listed.totals, shown.totals, 'the list shows the same totals');

  // The outsider waits at the delay: stored, so a restart resumes it. The member went straight
  // through in the click's own transaction: counted above, with nothing left to resume.
  const waiting = (await server.api('GET', `/v1/contacts/${outsider.id}/journeys`)).body.data;
  assert.equal(waiting.length, 1);
  assert.equal(waiting[0].journey_id, journey.id);
  assert.equal(waiting[0].status, 'waiting');
  assert.equal(waiting[0].block_id, 'd');
  assert.ok(waiting[0].wake_at > Date.now() + 47 * 3600 * 1000, 'wakes two days from now');
  assert.deepEqual((await server.api('GET', `/v1/contacts/${member.id}/journeys`)).body.data, []);
});

test("a contact's enrolments come newest first, a page at a time", async () => {
  const contact = await post('/v1/contacts', { email: 'pages@example.com' });
  const journey = await post('/v1/journeys', {
    name: 'Wait a day',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'page.test' } },
      { id: 'd', type: 'delay', config: { duration: '1d' } },
      { id: 'x', type: 'exit' },
    ],
    edges: [{ source: 't', target: 'd' }, { source: 'd', target: 'x' }],
  }, 201);
  await post(`/v1/journeys/${journey.id}/activate`, undefined, 200);
  for (let i = 0; i < 3; i++) {
    await post('/v1/events', { event: 'page.test', contact: { email: 'pages@example.com' }, event_details: { i } });
  }
  const path = `/v1/contacts/${contact.id}/journeys`;
  const first = (await server.api('GET', `${path}?limit=2`)).body;
  assert.equal(first.data.length, 2);
  assert.ok(first.next_cursor, 'a second page');
  const second = (await server.api('GET', `${path}?limit=2&cursor=${first.next_cursor}`)).body;
  assert.equal(second.data.length, 1);
  assert.equal(second.next_cursor, null);
  const ids = [...first.data, ...second.data].map((e) => e.id);
  assert.equal(new Set(ids).size, 3);
  assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first');
  for (const e of [...first.data, ...second.data]) {
    assert.equal(e.journey_id, journey.id);
    assert.equal(e.status, 'waiting');
  }
  const bad = await server.api('GET', `${path}?limit=0`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'limit');
});

test('every block type: field condition branches, list changes emit events, update_contact, exit', async () => {
  const hook = await post('/v1/webhooks', { name: 'VIP hook', url: `${receiver.url}/vip`, custom_payload: { tier: '{{contact.tier}}' } });
  const vip = await post('/v1/lists', { name: 'VIP' });
  const leads = await post('/v1/lists', { name: 'Leads' });
  const br = await post('/v1/contacts', { email: 'br@example.com', properties: { country: 'BR' } });
  await post('/v1/contacts', { email: 'us@example.com', properties: { country: 'US' } });
  await post(`/v1/lists/${leads.id}/contacts`, { contact_ids: [br.id] });
  // Subscribed only now: what it receives is what the journey's blocks emit.
  const events = await post('/v1/webhooks', { name: 'Events', url: `${receiver.url}/events`, events: ['list.add_contact', 'list.remove_contact', 'contact.update'] });
  const journey = await post('/v1/journeys', {
    name: 'Brazil VIPs',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'order.paid', filters: [{ field: 'event_details.total', op: 'gt', value: 100 }] } },
      { id: 'c', type: 'condition', config: { field: 'contact.country', op: 'eq', value: 'BR' } },
      { id: 'a', type: 'add_to_list', config: { list_id: vip.id } },
      { id: 'r', type: 'remove_from_list', config: { list_id: leads.id } },
      { id: 'u', type: 'update_contact', config: { properties: { tier: 'gold' } } },
      { id: 'w', type: 'webhook', config: { webhook_id: hook.id } },
      { id: 'x', type: 'exit' },
    ],
    edges: [
      { source: 't', target: 'c' }, { source: 'c', target: 'a', branch: 'yes' }, { source: 'c', target: 'x', branch: 'no' },
      { source: 'a', target: 'r' }, { source: 'r', target: 'u' }, { source: 'u', target: 'w' },
    ],
  }, 201);
  await post(`/v1/journeys/${journey.id}/activate`, undefined, 200);
  await post('/v1/events', { event: 'order.paid', contact: { email: 'us@example.com' }, event_details: { total: 500 } });
  await post('/v1/events', { event: 'order.paid', contact: { email: 'br@example.com' }, event_details: { total: 50 } });
  await post('/v1/events', { event: 'order.paid', contact: { email: 'br@example.com' }, event_details: { total: 150 } });

  await waitFor(() => callsTo('/vip').length >= 1 && callsTo('/events').length >= 3);
  await settle();
  assert.equal(callsTo('/vip').length, 1, 'only the Brazilian order over 100 reaches the webhook');
  assert.deepEqual(JSON.parse(callsTo('/vip')[0].body).data.custom_data, { tier: 'gold' });
  const emitted = callsTo('/events').map((r) => JSON.parse(r.body));
  assert.deepEqual(emitted.map((e) => e.event).sort(), ['contact.update', 'list.add_contact', 'list.remove_contact']);
  assert.equal(emitted.find((e) => e.event === 'list.add_contact').data.event_details.list_id, vip.id);

  const members = (await server.api('GET', `/v1/lists/${vip.id}/contacts`)).body.data;
  assert.deepEqual(members.map((c) => c.email), ['br@example.com']);
  assert.equal((await server.api('GET', `/v1/lists/${leads.id}`)).body.member_count, 0);
  assert.equal((await server.api('GET', `/v1/contacts/${br.id}`)).body.properties.tier, 'gold');
  const shown = (await server.api('GET', `/v1/journeys/${journey.id}`)).body;
  const { stats } = shown;
  assert.equal(stats.t.entered, 2, 'the order under 100 never entered');
  assert.equal(stats.x.entered, 1);
  assert.equal(stats.w.left, 1);
  assert.equal(stats.c.yes, 1, 'the Brazilian order over 100 took the yes edge');
  assert.equal(stats.c.no, 1, 'the US order took the no edge to the exit');
  assert.deepEqual(shown.totals, { entered: 2, waiting: 0, completed: 1, exited: 1, converted: 0 });
  assert.ok(events.id);
});

test('re-entry: once enrols a contact a single time, every_time on each event; pause stops enrolment', async () => {
  const onceHook = await post('/v1/webhooks', { name: 'Once', url: `${receiver.url}/once` });
  const everyHook = await post('/v1/webhooks', { name: 'Every', url: `${receiver.url}/every` });
  const simple = (name, webhookId, reentry) => ({
    name, reentry,
    blocks: [{ id: 't', type: 'trigger', config: { event: 'form.submit' } }, { id: 'w', type: 'webhook', config: { webhook_id: webhookId } }],
    edges: [{ source: 't', target: 'w' }],
  });
  const once = await post('/v1/journeys', simple('Once', onceHook.id, 'once'), 201);
  const every = await post('/v1/journeys', simple('Every', everyHook.id, 'every_time'), 201);
  await post(`/v1/journeys/${once.id}/activate`, undefined, 200);
  await post(`/v1/journeys/${every.id}/activate`, undefined, 200);
  for (let i = 0; i < 3; i++) await post('/v1/events', { event: 'form.submit', contact: { email: 'lead@example.com' } });
  await waitFor(() => callsTo('/every').length >= 3);
  await settle();
  assert.equal(callsTo('/once').length, 1);
  assert.equal(callsTo('/every').length, 3);

  const paused = await post(`/v1/journeys/${every.id}/pause`, undefined, 200);
  assert.equal(paused.status, 'paused');
  await post('/v1/events', { event: 'form.submit', contact: { email: 'lead@example.com' } });
  await settle(600);
  assert.equal(callsTo('/every').length, 3, 'a paused journey enrols nobody');
});

test('journeys that trigger each other stop at the depth limit', async () => {
  const a = await post('/v1/lists', { name: 'Ping' });
  const b = await post('/v1/lists', { name: 'Pong' });
  const flip = (name, from, to) => ({
    name,
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'list.add_contact', filters: [{ field: 'event_details.list_id', op: 'eq', value: from }] } },
      { id: 'r', type: 'remove_from_list', config: { list_id: from } },
      { id: 'a', type: 'add_to_list', config: { list_id: to } },
    ],
    edges: [{ source: 't', target: 'r' }, { source: 'r', target: 'a' }],
  });
  const j1 = await post('/v1/journeys', flip('Ping to Pong', a.id, b.id), 201);
  const j2 = await post('/v1/journeys', flip('Pong to Ping', b.id, a.id), 201);
  await post(`/v1/journeys/${j1.id}/activate`, undefined, 200);
  await post(`/v1/journeys/${j2.id}/activate`, undefined, 200);
  const res = await server.api('POST', `/v1/lists/${a.id}/contacts`, { emails: ['loop@example.com'] });
  assert.equal(res.status, 200, 'the request finishes instead of looping forever');
  const s1 = (await server.api('GET', `/v1/journeys/${j1.id}`)).body.stats.t.entered;
  const s2 = (await server.api('GET', `/v1/journeys/${j2.id}`)).body.stats.t.entered;
  assert.ok(s1 + s2 >= 2 && s1 + s2 <= 6, `entered ${s1} + ${s2} times`);
});

test('validation errors name the block and store nothing', async () => {
  const list = await post('/v1/lists', { name: 'Valid' });
  const before = (await server.api('GET', '/v1/journeys?limit=250')).body.data.length;
  const base = sampleJourney(list.id, 'no-such-webhook');
  const cases = [
    [base, 'blocks.w.config.webhook_id'],
    [{ ...base, blocks: base.blocks.filter((b) => b.id !== 't'), edges: base.edges.slice(1) }, 'blocks'],
    [{ ...base, blocks: [...base.blocks, { id: 't2', type: 'trigger', config: { event: 'x' } }] }, 'blocks.t2'],
    [{ ...base, edges: [...base.edges, { source: 'd', target: 'c' }] }, 'blocks.c'],
    [{ ...base, edges: base.edges.slice(0, 2) }, 'blocks.d'],
    [{ ...base, blocks: base.blocks.map((b) => (b.id === 'd' ? { ...b, config: { duration: 'tomorrow' } } : b)) }, 'blocks.d.config.duration'],
    [{ ...base, blocks: base.blocks.map((b) => (b.id === 'c' ? { ...b, config: { in_list: 'gone' } } : b)) }, 'blocks.c.config.in_list'],
  ];
  for (const [body, field] of cases) {
    const res = await server.api('POST', '/v1/journeys', body);
    assert.equal(res.status, 422, `${field}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.field, field);
    assert.match(res.body.error.message, /^block |journey needs a trigger/);
  }
  assert.equal((await server.api('GET', '/v1/journeys?limit=250')).body.data.length, before);
  const noName = await server.api('POST', '/v1/journeys', { ...base, name: '' });
  assert.equal(noName.status, 400);
  assert.equal(noName.body.error.field, 'name');
});

test('a delay survives kill -9: the call comes once, after the delay', async () => {
  const dataDir = tempDir();
  let node = await startServer({ dataDir });
  const hook = await node.api('POST', '/v1/webhooks', { name: 'Later', url: `${receiver.url}/later` });
  const journey = await node.api('POST', '/v1/journeys', {
    name: 'Wait then call',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'cart.abandoned' } },
      { id: 'd', type: 'delay', config: { duration: '3s' } },
      { id: 'w', type: 'webhook', config: { webhook_id: hook.body.id } },
    ],
    edges: [{ source: 't', target: 'd' }, { source: 'd', target: 'w' }],
  });
  assert.equal(journey.status, 201, JSON.stringify(journey.body));
  await node.api('POST', `/v1/journeys/${journey.body.id}/activate`);
  const sent = Date.now();
  const accepted = await node.api('POST', '/v1/events', { event: 'cart.abandoned', contact: { email: 'cart@example.com' } });
  assert.equal(accepted.status, 202);
  await settle(500);
  await node.kill();
  node = await startServer({ dataDir });
  try {
    await waitFor(() => callsTo('/later').length >= 1, { timeoutMs: 15000 });
    const waited = Date.now() - sent;
    assert.ok(waited >= 2900, `called after ${waited} ms`);
    await settle(1000);
    assert.equal(callsTo('/later').length, 1);
    assert.equal(JSON.parse(callsTo('/later')[0].body).data.journey.block_id, 'w');
  } finally {
    await node.stop();
  }
});

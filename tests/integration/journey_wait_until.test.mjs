// Wait until blocks (issue 14). Until an event: a contact waits until the event (passing the
// block's filters) happens to it, and leaves by "happened", or by "timed_out" when the timeout
// runs out first; the wait survives kill -9. Until a time of day: the contact waits until the next
// such time in its own time zone, or the block's. Bad configurations are refused naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, startServer, tempDir, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call, callsTo } = env;

// trial.started -> wait until order.paid over 100 (or `timeout`) -> /thanks (happened) or
// /nudge (timed out).
function paymentJourney(thanksId, nudgeId, timeout = '2s') {
  return {
    name: 'Trial to paid',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'trial.started' } },
      {
        id: 'u', type: 'wait_until',
        config: {
          until: 'event', event: 'order.paid', timeout,
          filters: [{ field: 'event_details.amount', op: 'gt', value: 100 }],
        },
      },
      { id: 'thanks', type: 'webhook', config: { webhook_id: thanksId } },
      { id: 'nudge', type: 'webhook', config: { webhook_id: nudgeId } },
    ],
    edges: [
      { source: 't', target: 'u' },
      { source: 'u', target: 'thanks', branch: 'happened' },
      { source: 'u', target: 'nudge', branch: 'timed_out' },
    ],
  };
}

async function webhooks(server, receiverUrl, suffix) {
  const make = async (name, path) => {
    const res = await server.api('POST', '/v1/webhooks', { name: `${name} ${suffix}`, url: `${receiverUrl}${path}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  };
  return { thanks: await make('Thanks', `/thanks-${suffix}`), nudge: await make('Nudge', `/nudge-${suffix}`) };
}

const emailsAt = (path) => callsTo(path).map((r) => JSON.parse(r.body).data.contact.email).sort();
const settle = (ms) => new Promise((r) => setTimeout(r, ms));

test('a contact who pays in time is thanked; one who does not (or pays too little) is nudged', async () => {
  const { server, receiver } = env;
  const hooks = await webhooks(server, receiver.url, 'a');
  const journey = await call('POST', '/v1/journeys', paymentJourney(hooks.thanks, hooks.nudge), 201);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);

  const event = (name, email, details = {}) =>
    call('POST', '/v1/events', { event: name, contact: { email }, event_details: details }, 202);
  for (const who of ['ana', 'bia', 'caio']) await event('trial.started', `${who}@example.com`);
  let stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
  assert.equal(stats.stats.u.waiting, 3, JSON.stringify(stats.stats));

  await event('order.paid', 'ana@example.com', { amount: 150 }); // in time: happened
  await event('order.paid', 'bia@example.com', { amount: 50 }); // the block's filter says no
  await event('order.paid', 'duda@example.com', { amount: 500 }); // not in the journey
  await waitFor(() => callsTo('/thanks-a').length === 1, { timeoutMs: 5000 });
  assert.deepEqual(emailsAt('/thanks-a'), ['ana@example.com']);
  assert.equal(callsTo('/nudge-a').length, 0, 'nobody is nudged before the timeout');
  const thanked = JSON.parse(callsTo('/thanks-a')[0].body);
  assert.equal(thanked.data.journey.block_id, 'thanks');
  assert.equal(thanked.event, 'trial.started', 'later blocks act on the event that started the run');

  // The timeout runs out for the two others.
  await waitFor(() => callsTo('/nudge-a').length === 2, { timeoutMs: 15000 });
  assert.deepEqual(emailsAt('/nudge-a'), ['bia@example.com', 'caio@example.com']);
  await waitFor(async () => {
    stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
    return stats.totals.waiting === 0 && stats.totals.completed === 3;
  });
  assert.equal(stats.stats.u.happened, 1, JSON.stringify(stats.stats.u));
  assert.equal(stats.stats.u.timed_out, 2, JSON.stringify(stats.stats.u));
  assert.equal(stats.stats.u.left, 3);
  assert.deepEqual(stats.totals, { entered: 3, waiting: 0, completed: 3, exited: 0, converted: 0 });

  // Paying after the wait ended moves nothing.
  await event('order.paid', 'caio@example.com', { amount: 300 });
  await settle(500);
  assert.equal(callsTo('/thanks-a').length, 1);
  const caio = (await call('GET', '/v1/contacts?email=caio@example.com', undefined, 200)).data[0];
  const runs = (await call('GET', `/v1/contacts/${caio.id}/journeys`, undefined, 200)).data;
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, 'completed');
  assert.equal(runs[0].block_id, 'nudge');
});

test('a contact waiting for an event survives kill -9 and moves on when the event comes', async () => {
  const dataDir = tempDir();
  let node = await startServer({ dataDir });
  try {
    const hooks = await webhooks(node, env.receiver.url, 'b');
    const made = await node.api('POST', '/v1/journeys', paymentJourney(hooks.thanks, hooks.nudge, '1h'));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await node.api('POST', `/v1/journeys/${made.body.id}/activate`);
    const started = await node.api('POST', '/v1/events', { event: 'trial.started', contact: { email: 'eva@example.com' } });
    assert.equal(started.status, 202);
    await settle(300);
    await node.kill();
    node = await startServer({ dataDir });
    const paid = await node.api('POST', '/v1/events', {
      event: 'order.paid', contact: { email: 'eva@example.com' }, event_details: { amount: 101 },
    });
    assert.equal(paid.status, 202);
    await waitFor(() => callsTo('/thanks-b').length === 1, { timeoutMs: 10000 });
    assert.deepEqual(emailsAt('/thanks-b'), ['eva@example.com']);
    const stats = (await node.api('GET', `/v1/journeys/${made.body.id}`)).body;
    assert.equal(stats.stats.u.happened, 1, JSON.stringify(stats.stats.u));
    assert.equal(stats.totals.waiting, 0);
  } finally {
    await node.stop();
  }
});

// The next hh:mm in `zone` after `from` (ms), found by asking Intl what the clock reads there.
function nextTimeOfDay(hour, minute, zone, from) {
  const parts = (ms) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  // Whole minutes from `from` on; a day and a half covers any zone and any time.
  for (let ms = Math.floor(from / 60000) * 60000 + 60000; ms < from + 36 * 3600e3; ms += 60000) {
    const p = parts(ms);
    if (p.hour === hour && p.minute === minute) return ms;
  }
  throw new Error('no such time');
}

test('a wait until a time of day wakes at the next such time in the contact\'s zone, else the block\'s', async () => {
  const { server, receiver } = env;
  const hooks = await webhooks(server, receiver.url, 'c');
  const journey = await call('POST', '/v1/journeys', {
    name: 'Morning message',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'signup.done' } },
      { id: 'm', type: 'wait_until', config: { until: 'time', at: '09:00', time_zone: 'America/Sao_Paulo' } },
      { id: 'w', type: 'webhook', config: { webhook_id: hooks.thanks } },
    ],
    edges: [{ source: 't', target: 'm' }, { source: 'm', target: 'w' }],
  }, 201);
  assert.deepEqual(journey.blocks[1].config, { until: 'time', at: '09:00', time_zone: 'America/Sao_Paulo' });
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);

  const before = Date.now();
  await call('POST', '/v1/contacts', { email: 'kenji@example.com', properties: { time_zone: 'Asia/Tokyo' } }, 201);
  await call('POST', '/v1/events', { event: 'signup.done', contact: { email: 'kenji@example.com' } }, 202);
  await call('POST', '/v1/events', { event: 'signup.done', contact: { email: 'lia@example.com' } }, 202);
  const after = Date.now();
  const wakeOf = async (email) => {
    const contact = (await call('GET', `/v1/contacts?email=${email}`, undefined, 200)).data[0];
    const runs = (await call('GET', `/v1/contacts/${contact.id}/journeys`, undefined, 200)).data;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'waiting');
    assert.equal(runs[0].block_id, 'm');
    return runs[0].wake_at;
  };
  const expected = (zone) => [nextTimeOfDay(9, 0, zone, before), nextTimeOfDay(9, 0, zone, after)];
  assert.ok(expected('Asia/Tokyo').includes(await wakeOf('kenji@example.com')), 'at 09:00 in Tokyo, the contact\'s zone');
  assert.ok(expected('America/Sao_Paulo').includes(await wakeOf('lia@example.com')), 'at 09:00 in Sao Paulo, the block\'s');
  assert.equal(callsTo('/thanks-c').length, 0);
});

test('a Wait until is refused with the field named when its configuration cannot work', async () => {
  const { server } = env;
  const hooks = await webhooks(server, env.receiver.url, 'd');
  const cases = [
    [{ until: 'event', event: 'order.paid' }, 'blocks.u.config.timeout'],
    [{ until: 'event', timeout: '1d' }, 'blocks.u.config.event'],
    [{ until: 'time', at: '25:00' }, 'blocks.u.config.at'],
    [{ until: 'time', at: '09:00', time_zone: 'Mars/Olympus' }, 'blocks.u.config.time_zone'],
    [{ until: 'someday' }, 'blocks.u.config.until'],
  ];
  const count = (await server.api('GET', '/v1/journeys?limit=250')).body.data.length;
  for (const [config, field] of cases) {
    const body = paymentJourney(hooks.thanks, hooks.nudge);
    body.blocks[1].config = config;
    if (config.until === 'time') body.edges = [{ source: 't', target: 'u' }];
    const res = await server.api('POST', '/v1/journeys', body);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.field, field, JSON.stringify(res.body));
    assert.match(res.body.error.message, /^block u: /);
  }
  const plain = paymentJourney(hooks.thanks, hooks.nudge);
  plain.edges[1] = { source: 'u', target: 'thanks' }; // an event wait's edges name an output
  const res = await server.api('POST', '/v1/journeys', plain);
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.match(res.body.error.message, /block u: .*happened or timed_out/);
  assert.equal((await server.api('GET', '/v1/journeys?limit=250')).body.data.length, count, 'nothing was made');
});

test('a run that emits the event its own wait waits for moves on once, not again and again', async () => {
  const { server, receiver } = env;
  const hooks = await webhooks(server, receiver.url, 'e');
  const list = await call('POST', '/v1/lists', { name: 'Members' }, 201);
  // Joining the list moves the contact on; the run then leaves the list and joins it again,
  // emitting list.add_contact itself while the wait it comes from is still being left.
  const journey = await call('POST', '/v1/journeys', {
    name: 'Rejoin',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'trial.started' } },
      { id: 'u', type: 'wait_until', config: { until: 'event', event: 'list.add_contact', timeout: '1h' } },
      { id: 'out', type: 'remove_from_list', config: { list_id: list.id } },
      { id: 'in', type: 'add_to_list', config: { list_id: list.id } },
      { id: 'w', type: 'webhook', config: { webhook_id: hooks.thanks } },
    ],
    edges: [
      { source: 't', target: 'u' }, { source: 'u', target: 'out', branch: 'happened' },
      { source: 'out', target: 'in' }, { source: 'in', target: 'w' },
    ],
  }, 201);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);
  await call('POST', '/v1/events', { event: 'trial.started', contact: { email: 'loop@example.com' } }, 202);
  const contact = (await call('GET', '/v1/contacts?email=loop@example.com', undefined, 200)).data[0];
  const joined = await server.api('POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id] });
  assert.ok(joined.status >= 200 && joined.status < 300, JSON.stringify(joined.body));
  await waitFor(() => callsTo('/thanks-e').length >= 1, { timeoutMs: 5000 });
  await settle(500);
  assert.equal(callsTo('/thanks-e').length, 1);
  const stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
  assert.equal(stats.stats.u.happened, 1, JSON.stringify(stats.stats.u));
  assert.deepEqual(stats.totals, { entered: 1, waiting: 0, completed: 1, exited: 0, converted: 0 });
  // (The first test's journey starts on trial.started too: only this journey's run counts here.)
  const runs = (await call('GET', `/v1/contacts/${contact.id}/journeys`, undefined, 200)).data
    .filter((r) => r.journey_id === journey.id);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, 'completed');
  assert.equal(runs[0].block_id, 'w');
});

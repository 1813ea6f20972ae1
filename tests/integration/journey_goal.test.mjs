// Goal blocks (issue 14): when the goal's event happens to a contact waiting in the journey, the
// contact leaves at once, counted as converted; the goal's filters decide which events count; a
// contact not in the journey is not touched; a goal stands apart from the journey's edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call, callsTo } = env;

function cartJourney(webhookId, extraEdges = []) {
  return {
    name: 'Cart reminder',
    blocks: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { event: 'cart.abandoned' } },
      { id: 'd', type: 'delay', position: { x: 0, y: 120 }, config: { duration: '2s' } },
      { id: 'w', type: 'webhook', position: { x: 0, y: 240 }, config: { webhook_id: webhookId } },
      {
        id: 'g', type: 'goal', position: { x: 300, y: 0 },
        config: { event: 'order.paid', filters: [{ field: 'event_details.total', op: 'gt', value: 0 }] },
      },
    ],
    edges: [{ source: 't', target: 'd' }, { source: 'd', target: 'w' }, ...extraEdges],
  };
}
const event = (name, email, details = {}) =>
  call('POST', '/v1/events', { event: name, contact: { email }, event_details: details }, 202);
const remindedEmails = () => callsTo('/reminder').map((r) => JSON.parse(r.body).data.contact.email).sort();

test('a paid order takes its buyer out of the cart reminder, counted as converted', async () => {
  const webhook = await call('POST', '/v1/webhooks', { name: 'Reminder', url: `${env.receiver.url}/reminder` }, 201);
  const journey = await call('POST', '/v1/journeys', cartJourney(webhook.id), 201);
  assert.equal(journey.blocks.find((b) => b.id === 'g').config.event, 'order.paid');
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);

  for (const who of ['ana', 'bia', 'caio']) await event('cart.abandoned', `${who}@example.com`);
  await event('order.paid', 'ana@example.com', { total: 120 }); // converts
  await event('order.paid', 'bia@example.com', { total: 0 }); // the goal's filter says no
  await event('order.paid', 'duda@example.com', { total: 80 }); // not in the journey

  let stats = (await call('GET', `/v1/journeys/${journey.id}`, undefined, 200));
  assert.equal(stats.totals.converted, 1, JSON.stringify(stats.totals));
  assert.equal(stats.stats.g.entered, 1);
  assert.equal(stats.stats.d.waiting, 2);
  const ana = (await call('GET', '/v1/contacts?email=ana@example.com', undefined, 200)).data[0];
  const enrolments = (await call('GET', `/v1/contacts/${ana.id}/journeys`, undefined, 200)).data;
  assert.equal(enrolments.length, 1);
  assert.equal(enrolments[0].status, 'converted');
  assert.equal(enrolments[0].block_id, 'g');

  // The delay ends: the two still waiting get the reminder; the buyer does not.
  await waitFor(() => callsTo('/reminder').length === 2, { timeoutMs: 15000 });
  assert.deepEqual(remindedEmails(), ['bia@example.com', 'caio@example.com']);
  await waitFor(async () => {
    stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
    return stats.totals.waiting === 0;
  });
  assert.deepEqual(stats.totals, { entered: 3, waiting: 0, completed: 2, exited: 0, converted: 1 });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(callsTo('/reminder').length, 2, 'the converted contact was never reminded');

  // A later goal event for someone who already finished changes nothing.
  await event('order.paid', 'caio@example.com', { total: 10 });
  const after = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
  assert.equal(after.totals.converted, 1);
});

test('a goal stands apart: no edge may lead into or out of it, and a journey has one at most', async () => {
  const webhook = await call('POST', '/v1/webhooks', { name: 'Reminder 2', url: `${env.receiver.url}/reminder2` }, 201);
  const into = await env.server.api('POST', '/v1/journeys', cartJourney(webhook.id, [{ source: 'w', target: 'g' }]));
  assert.equal(into.status, 422, JSON.stringify(into.body));
  assert.match(into.body.error.message, /block g: a goal stands apart/);
  const twice = cartJourney(webhook.id);
  twice.blocks.push({ id: 'g2', type: 'goal', position: { x: 300, y: 120 }, config: { event: 'order.refunded' } });
  const second = await env.server.api('POST', '/v1/journeys', twice);
  assert.equal(second.status, 422, JSON.stringify(second.body));
  assert.match(second.body.error.message, /block g2: a journey has one goal at most/);
  const noEvent = cartJourney(webhook.id);
  noEvent.blocks[3].config = {};
  const missing = await env.server.api('POST', '/v1/journeys', noEvent);
  assert.equal(missing.status, 422, JSON.stringify(missing.body));
});

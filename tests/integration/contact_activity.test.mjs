// A contact's timeline (issue 13): GET /v1/contacts/{id}/activity gives its events and the
// deliveries they caused, newest first, a page at a time, and nothing of anyone else's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

// Every item of the contact's timeline, following next_cursor, `limit` at a time.
async function wholeTimeline(contactId, limit) {
  const items = [];
  let cursor = '';
  for (let page = 0; page < 200; ++page) {
    const query = `limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const body = await call('GET', `/v1/contacts/${contactId}/activity?${query}`, undefined, 200);
    items.push(...body.data);
    if (body.next_cursor === null) {
      assert.equal(body.complete_since, null, 'the last page says everything was read');
      return items;
    }
    assert.equal(typeof body.complete_since, 'number');
    cursor = body.next_cursor;
  }
  throw new Error('the timeline did not end within 200 pages');
}

test("a contact's events and deliveries, newest first, and no one else's", async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Orders', url: `${env.receiver.url}/orders`, events: ['order.paid'],
  }, 201);
  const sent = [['ana@example.com', 10], ['bia@example.com', 20], ['ana@example.com', 30], ['ana@example.com', 40]];
  for (const [email, total] of sent) {
    await call('POST', '/v1/events', { event: 'order.paid', contact: { email }, event_details: { total } }, 202);
  }
  await waitFor(async () => {
    const deliveries = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
    return deliveries.length === 4 && deliveries.every((d) => d.status === 'succeeded');
  });
  const ana = (await call('GET', '/v1/contacts?q=ana', undefined, 200)).data[0];

  const items = await wholeTimeline(ana.id, 50);
  // Her contact.create is not there: a system event nothing listens to is not stored.
  assert.deepEqual(
    items.map((item) => (item.type === 'event' ? `event ${item.event.event_details.total}` : `delivery ${item.delivery.status}`)),
    ['delivery succeeded', 'event 40', 'delivery succeeded', 'event 30', 'delivery succeeded', 'event 10'],
  );
  for (let i = 1; i < items.length; ++i) assert.ok(items[i - 1].at >= items[i].at, 'newest first');
  const events = items.filter((item) => item.type === 'event');
  for (const item of items.filter((i) => i.type === 'delivery')) {
    assert.equal(item.delivery.webhook_id, hook.id);
    assert.ok(events.some((e) => e.event.id === item.delivery.event_id), 'each delivery is of one of her events');
  }

  // A page at a time, one of each log per read: the same timeline.
  assert.deepEqual(await wholeTimeline(ana.id, 1), items);
});

test('an unknown contact is a 404 and a made-up cursor a 400 naming the field', async () => {
  const missing = await env.server.api('GET', '/v1/contacts/no-such-contact/activity');
  assert.equal(missing.status, 404);
  const someone = await call('POST', '/v1/contacts', { email: 'cleo@example.com' }, 201);
  const bad = await env.server.api('GET', `/v1/contacts/${someone.id}/activity?cursor=yesterday`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'cursor');
  const empty = await call('GET', `/v1/contacts/${someone.id}/activity`, undefined, 200);
  assert.deepEqual(empty.data.filter((item) => item.type === 'delivery'), []);
});

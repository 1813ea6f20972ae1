// The event catalog (issue 13): GET /v1/event-types lists the event names clients have sent with
// an example of their details and the keys seen in them, GET /v1/contact-properties the keys of
// contacts' properties, so that the console can offer them as placeholders. Per workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

test('posted events teach the catalog their names, keys and an example', async () => {
  const before = Date.now();
  await call('POST', '/v1/events', {
    event: 'order.paid', contact: { email: 'ana@example.com', properties: { plan: 'pro' } },
    event_details: { total: 150, currency: 'BRL', address: { city: 'Recife' } },
  }, 202);
  await call('POST', '/v1/events/batch', {
    events: [
      { event: 'order.paid', contact: { email: 'bia@example.com', properties: { tier: 2 } }, event_details: { total: 90, coupon: 'X' } },
      { event: 'email.click', contact: { email: 'ana@example.com' }, event_details: { campaign_name: 'Sample' } },
    ],
  }, 202);

  let types;
  await waitFor(async () => {
    types = (await call('GET', '/v1/event-types', undefined, 200)).data;
    return types.length >= 2;
  });
  const byName = Object.fromEntries(types.map((t) => [t.name, t]));
  const paid = byName['order.paid'];
  assert.deepEqual(paid.keys, ['address', 'address.city', 'coupon', 'currency', 'total']);
  assert.deepEqual(paid.example, { total: 150, currency: 'BRL', address: { city: 'Recife' } },
    'the first event is the example for the hour');
  assert.equal(paid.category, 'custom');
  assert.equal(paid.group, 'Custom');
  assert.ok(paid.first_seen_at >= before - 1000 && paid.first_seen_at <= Date.now());
  assert.equal(paid.last_seen_at, paid.first_seen_at);
  const click = byName['email.click'];
  assert.deepEqual(click.keys, ['campaign_name']);
  assert.equal(click.category, 'system');
  assert.equal(click.group, 'Email');
  assert.deepEqual(types.map((t) => t.name), [...types.map((t) => t.name)].sort(), 'sorted by name');

  const properties = (await call('GET', '/v1/contact-properties', undefined, 200)).data;
  assert.deepEqual(properties, ['plan', 'tier']);
});

test("another workspace's catalog is its own", async () => {
  const shop = await call('POST', '/v1/workspaces', { name: 'Other shop' }, 201);
  const { key } = await call('POST', `/v1/workspaces/${shop.id}/api-keys`, { name: 'Shop', scope: 'read' }, 201);
  const res = await env.server.api('GET', '/v1/event-types', undefined, { key });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.data, []);
  const props = await env.server.api('GET', '/v1/contact-properties', undefined, { key });
  assert.deepEqual(props.body.data, []);
});

test("Test samples the webhook's event with the catalog's example, or the event the user picks", async () => {
  await call('POST', '/v1/events', {
    event: 'cart.abandoned', contact: { email: 'carla@example.com' }, event_details: { items: 3, value: 42.5 },
  }, 202);
  await waitFor(async () => (await call('GET', '/v1/event-types', undefined, 200)).data.some((t) => t.name === 'cart.abandoned'));
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Carts', url: `${env.receiver.url}/carts`, events: ['cart.abandoned'],
  }, 201);

  const report = await call('POST', `/v1/webhooks/${hook.id}/test`, {}, 200);
  assert.equal(report.success, true);
  const sent = JSON.parse(report.request.body);
  assert.equal(sent.event, 'cart.abandoned');
  assert.deepEqual(sent.data.event_details, { items: 3, value: 42.5 });
  assert.deepEqual(report.warnings, []);

  // A name picked without details takes that name's example too; a real contact is who it is.
  const contact = (await call('GET', '/v1/contacts?q=carla', undefined, 200)).data[0];
  const picked = await call('POST', `/v1/webhooks/${hook.id}/test`, {
    sample: { event: { event: 'order.paid' }, contact_id: contact.id },
  }, 200);
  const body = JSON.parse(picked.request.body);
  assert.equal(body.event, 'order.paid');
  assert.equal(body.data.event_details.currency, 'BRL');
  assert.equal(body.data.contact.email, 'carla@example.com');
});

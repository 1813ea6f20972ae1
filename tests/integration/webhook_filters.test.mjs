// Subscriptions that filter (issue 14): a webhook's `filters` let through only the subscribed
// events for which every filter holds; the others are still stored, and Test says whether its
// sample would pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

const bigBrazilianOrders = [
  { field: 'event_details.currency', op: 'eq', value: 'BRL' },
  { field: 'event_details.total', op: 'gt', value: 100 },
];

// The totals of the order.paid events the receiver got on `path`.
function totalsAt(path) {
  return env.receiver.requests
    .filter((r) => r.url.startsWith(path))
    .map((r) => JSON.parse(r.body).data.event_details.total)
    .sort((a, b) => Number(a) - Number(b));
}

test('only the events every filter lets through are delivered', async () => {
  const filtered = await call('POST', '/v1/webhooks', {
    name: 'Big BRL orders', url: `${env.receiver.url}/brl`, events: ['order.paid'], filters: bigBrazilianOrders,
  }, 201);
  assert.deepEqual(filtered.filters, bigBrazilianOrders);
  assert.deepEqual((await call('GET', `/v1/webhooks/${filtered.id}`, undefined, 200)).filters, bigBrazilianOrders);
  const all = await call('POST', '/v1/webhooks', {
    name: 'Every order', url: `${env.receiver.url}/all`, events: ['order.paid'],
  }, 201);
  assert.deepEqual(all.filters, []);

  const orders = [['BRL', 150], ['BRL', 50], ['USD', 500], ['BRL', '200']];
  for (const [currency, total] of orders) {
    await call('POST', '/v1/events', {
      event: 'order.paid', contact: { email: 'ana@example.com' }, event_details: { currency, total },
    }, 202);
  }
  await waitFor(() => totalsAt('/all').length === 4);
  // Numeric text compares as a number, as in journey filters.
  await waitFor(() => totalsAt('/brl').length === 2);
  assert.deepEqual(totalsAt('/brl'), [150, '200']);

  // The filtered-out events are stored all the same: the contact's timeline has all four.
  const ana = (await call('GET', '/v1/contacts?email=ana@example.com', undefined, 200)).data[0];
  const timeline = (await call('GET', `/v1/contacts/${ana.id}/activity`, undefined, 200)).data;
  assert.equal(timeline.filter((item) => item.type === 'event').length, 4);

  // Filters removed: every order goes through again.
  const patched = await call('PATCH', `/v1/webhooks/${filtered.id}`, { filters: [] }, 200);
  assert.deepEqual(patched.filters, []);
  await call('POST', '/v1/events', {
    event: 'order.paid', contact: { email: 'ana@example.com' }, event_details: { currency: 'USD', total: 1 },
  }, 202);
  await waitFor(() => totalsAt('/brl').length === 3);
});

test('Test says whether its sample passes the filters, and calls either way', async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Filtered test', url: `${env.receiver.url}/tested`, events: ['order.paid'], filters: bigBrazilianOrders,
  }, 201);
  const out = await call('POST', `/v1/webhooks/${hook.id}/test`, {
    sample: { event: { event: 'order.paid', event_details: { currency: 'USD', total: 500 } } },
  }, 200);
  assert.equal(out.success, true, 'the receiver was called');
  assert.deepEqual(out.filters, { passed: false, failing: [bigBrazilianOrders[0]] });
  const passing = await call('POST', `/v1/webhooks/${hook.id}/test`, {
    sample: { event: { event: 'order.paid', event_details: { currency: 'BRL', total: 101 } } },
  }, 200);
  assert.deepEqual(passing.filters, { passed: true, failing: [] });
  const plain = await call('POST', '/v1/webhooks/test', {
    name: 'Unsaved', url: `${env.receiver.url}/tested`, events: ['order.paid'],
  }, 200);
  assert.equal(plain.filters, null, 'no filters: nothing to say');
});

test('a wrong filter is refused, naming it, and changes nothing', async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Unchanged', url: `${env.receiver.url}/x`, events: ['order.paid'],
  }, 201);
  const cases = [
    [[{ field: 'total', op: 'eq', value: 1 }], 'filters[0].field'],
    [[bigBrazilianOrders[0], { field: 'event_details.total', op: 'bigger', value: 1 }], 'filters[1].op'],
    [[{ field: 'event_details.total', op: 'gt' }], 'filters[0].value'],
    [['currency is BRL'], 'filters[0]'],
    [Array.from({ length: 21 }, () => bigBrazilianOrders[0]), 'filters'],
  ];
  for (const [filters, field] of cases) {
    const refused = await env.server.api('PATCH', `/v1/webhooks/${hook.id}`, { filters });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error.field, field);
  }
  const created = await env.server.api('POST', '/v1/webhooks', {
    name: 'Never made', url: `${env.receiver.url}/x`, filters: [{ field: 'event_details.a', op: 'gt' }],
  });
  assert.equal(created.status, 400);
  assert.equal(created.body.error.field, 'filters[0].value');
  assert.deepEqual((await call('GET', `/v1/webhooks/${hook.id}`, undefined, 200)).filters, []);
  const names = (await call('GET', '/v1/webhooks', undefined, 200)).data.map((w) => w.name);
  assert.ok(!names.includes('Never made'));
});

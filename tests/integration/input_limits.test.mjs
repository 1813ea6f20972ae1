// Limits on what one request may hold (issue 12's hostile input): each is refused at the door
// with a 400 naming the field, and whatever is accepted is delivered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

// {"k": [ {"k": [ ... 1 ... ] } ] }: objects and arrays `depth` levels deep.
function nested(depth) {
  let value = 1;
  for (let i = depth - 1; i >= 0; --i) value = i % 2 === 0 ? { k: value } : [value];
  return value;
}

async function count(path) {
  const res = await env.server.api('GET', path);
  assert.equal(res.status, 200);
  return res.body.data.length;
}

test('a webhook subscribes to at most 1000 event names, repeats kept once in order', async () => {
  const names = Array.from({ length: 1001 }, (_, i) => `custom.e${i}`);
  const before = await count('/v1/webhooks?limit=200');
  const tooMany = await env.server.api('POST', '/v1/webhooks', { name: 'Many', url: `${env.receiver.url}/in`, events: names });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.code, 'validation_error');
  assert.equal(tooMany.body.error.field, 'events');
  assert.match(tooMany.body.error.message, /at most 1000/);
  assert.equal(await count('/v1/webhooks?limit=200'), before, 'nothing was created');

  // 1000 entries with repeats: a large list of distinct names is taken in linear time.
  const repeated = [...names.slice(0, 600), ...names.slice(0, 400).reverse()];
  const created = await env.server.api('POST', '/v1/webhooks', { name: 'Many', url: `${env.receiver.url}/in`, events: repeated });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body.events, names.slice(0, 600));
  const patched = await env.server.api('PATCH', `/v1/webhooks/${created.body.id}`, { events: names });
  assert.equal(patched.status, 400);
  assert.equal(patched.body.error.field, 'events');
  assert.deepEqual((await env.server.api('GET', `/v1/webhooks/${created.body.id}`)).body.events, names.slice(0, 600));
  assert.equal((await env.server.api('DELETE', `/v1/webhooks/${created.body.id}`)).status, 204);
});

test('data nested deeper than 20 levels is refused wherever it comes in, naming the field', async () => {
  const deep = nested(21);
  const cases = [
    ['POST', '/v1/events', { event: 'limits.deep', contact: { email: 'deep@example.com' }, event_details: deep }, 'event_details'],
    ['POST', '/v1/events/batch', { events: [{ event: 'limits.deep', contact: { email: 'deep@example.com' }, event_details: { ok: 1 } },
      { event: 'limits.deep', contact: { email: 'deep@example.com' }, event_details: deep }] }, 'events[1].event_details'],
    ['POST', '/v1/events', { event: 'limits.deep', contact: { email: 'deep@example.com', properties: { p: deep } } }, 'contact.properties'],
    ['POST', '/v1/contacts', { email: 'deep@example.com', properties: { p: deep } }, 'properties'],
    ['POST', '/v1/webhooks', { name: 'Deep', url: `${env.receiver.url}/in`, custom_payload: { p: deep } }, 'custom_payload'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await env.server.api(method, path, body);
    assert.equal(res.status, 400, `${path} ${field}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.field, field);
    assert.match(res.body.error.message, /nests objects and arrays 2[12] levels deep; at most 20/);
  }
  // A body nested past what any field allows is refused as JSON, before its fields are read.
  const res = await env.server.api('POST', '/v1/events', { event: 'limits.deep', contact: { email: 'deep@example.com' }, event_details: nested(70) });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'invalid_json');
  assert.match(res.body.error.message, /more than 64 levels deep/);
  const contacts = await env.server.api('GET', '/v1/contacts?email=deep@example.com');
  assert.equal(contacts.status, 200);
  assert.equal(contacts.body.data.length, 0, 'no refused request stored its contact');
});

test('data 20 levels deep is delivered, in a custom payload too, and Test says what the delivery does', async () => {
  const details = nested(19); // the details object itself is the 20th level
  const hook = await env.server.api('POST', '/v1/webhooks', {
    name: 'Deep', url: `${env.receiver.url}/deep`, events: ['limits.ok'],
    custom_payload: { again: '{{event.k}}', fixed: nested(19) },
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const tried = await env.server.api('POST', `/v1/webhooks/${hook.body.id}/test`, {});
  assert.equal(tried.status, 200);
  assert.equal(tried.body.success, true, JSON.stringify(tried.body));

  const event = { event: 'limits.ok', contact: { email: 'ok@example.com', properties: { p: nested(19) } }, event_details: { k: details } };
  // Test sent a sample of limits.ok too: the delivery is what comes after it.
  const afterTest = env.receiver.requests.length;
  const posted = await env.server.api('POST', '/v1/events', event);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  const delivered = (r) => r.url === '/deep' && JSON.parse(r.body).event === 'limits.ok';
  await waitFor(() => env.receiver.requests.slice(afterTest).some(delivered));
  const got = JSON.parse(env.receiver.requests.slice(afterTest).find(delivered).body);
  assert.deepEqual(got.data.event_details, event.event_details);
  assert.deepEqual(got.data.custom_data.again, details);
  assert.deepEqual(got.data.custom_data.fixed, nested(19));

  // The outcome is recorded just after the receiver answered.
  let delivery;
  await waitFor(async () => {
    const deliveries = await env.server.api('GET', `/v1/deliveries?webhook_id=${hook.body.id}`);
    delivery = deliveries.body.data.find((d) => d.event === 'limits.ok' && d.status === 'succeeded');
    return delivery !== undefined;
  });
  const shown = await env.server.api('GET', `/v1/deliveries/${delivery.id}`);
  assert.equal(shown.status, 200);
  assert.deepEqual(shown.body.payload.data.event_details, event.event_details, 'the log shows the body as JSON');
});

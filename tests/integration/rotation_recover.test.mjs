// Secret rotation, recovery of failed deliveries, and disabled webhooks holding theirs (SPEC 7).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, expectedSignature, waitFor } from './lib/harness.mjs';

let server;
before(async () => {
  server = await startServer({ args: ['--retry-schedule', '0s,1500ms'] });
});
after(async () => {
  await server.stop();
});

const deliveries = async (webhookId) =>
  (await server.api('GET', `/v1/deliveries?webhook_id=${webhookId}&limit=250`)).body.data;

test('after a rotation both signatures verify, each with its own secret', async () => {
  const receiver = await startReceiver();
  try {
    const created = await server.api('POST', '/v1/webhooks', { name: 'Rotating', url: `${receiver.url}/r` });
    const oldSecret = created.body.secret;
    const rotated = await server.api('POST', `/v1/webhooks/${created.body.id}/rotate-secret`);
    assert.equal(rotated.status, 200);
    const newSecret = rotated.body.secret;
    assert.notEqual(newSecret, oldSecret);
    assert.ok(rotated.body.previous_secret_expires_at - Date.now() > 23 * 3600 * 1000);

    await server.api('POST', `/v1/webhooks/${created.body.id}/test`);
    const got = receiver.requests.at(-1);
    const id = got.headers['webhook-id'];
    const ts = got.headers['webhook-timestamp'];
    const signatures = got.headers['webhook-signature'].split(' ');
    assert.equal(signatures.length, 2);
    assert.equal(signatures[0], expectedSignature(newSecret, id, ts, got.body));
    assert.equal(signatures[1], expectedSignature(oldSecret, id, ts, got.body));

    const shown = await server.api('GET', `/v1/webhooks/${created.body.id}`);
    assert.ok(!JSON.stringify(shown.body).includes(newSecret.slice(6, 20)), 'the new secret is not shown again');
  } finally {
    await receiver.close();
  }
});

test('recover re-delivers exactly the deliveries that failed', async () => {
  let healthy = false;
  const receiver = await startReceiver((req) => {
    const body = JSON.parse(req.body);
    return { status: healthy || !body.data.event_details.fail ? 200 : 404 };
  });
  try {
    const hook = await server.api('POST', '/v1/webhooks', { name: 'Recoverable', url: `${receiver.url}/rec`, events: ['order.sync'] });
    const since = Date.now() - 1;
    for (const fail of [false, true, true, false, true]) {
      await server.api('POST', '/v1/events', { event: 'order.sync', contact: { email: 'o@example.com' }, event_details: { fail } });
    }
    await waitFor(async () => (await deliveries(hook.body.id)).filter((d) => ['dead', 'succeeded'].includes(d.status)).length === 5);
    const dead = (await deliveries(hook.body.id)).filter((d) => d.status === 'dead').map((d) => d.id).sort();
    assert.equal(dead.length, 3);
    assert.equal(receiver.requests.length, 5);

    healthy = true;
    const recovered = await server.api('POST', `/v1/webhooks/${hook.body.id}/recover`, { since });
    assert.equal(recovered.status, 202);
    assert.equal(recovered.body.requeued, 3);
    await waitFor(() => receiver.requests.length >= 8);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(receiver.requests.length, 8);
    const resent = receiver.requests.slice(5).map((r) => r.headers['webhook-id']).sort();
    assert.deepEqual(resent, dead);
    assert.ok((await deliveries(hook.body.id)).every((d) => d.status === 'succeeded'));

    const bad = await server.api('POST', `/v1/webhooks/${hook.body.id}/recover`, {});
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'since');
  } finally {
    await receiver.close();
  }
});

test('a disabled webhook holds its deliveries; enabling it releases them', async () => {
  let up = false;
  const receiver = await startReceiver(() => ({ status: up ? 200 : 503 }));
  try {
    const hook = await server.api('POST', '/v1/webhooks', { name: 'Held', url: `${receiver.url}/held`, events: ['held.event'] });
    await server.api('POST', '/v1/events', { event: 'held.event', contact: { email: 'h@example.com' } });
    await waitFor(() => receiver.requests.length >= 1);
    const disabled = await server.api('PATCH', `/v1/webhooks/${hook.body.id}`, { enabled: false });
    assert.equal(disabled.status, 200);
    up = true;
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(receiver.requests.length, 1, 'nothing is sent while the webhook is disabled');
    const [held] = await deliveries(hook.body.id);
    assert.equal(held.status, 'retrying');

    await server.api('PATCH', `/v1/webhooks/${hook.body.id}`, { enabled: true });
    await waitFor(() => receiver.requests.length >= 2);
    await waitFor(async () => (await deliveries(hook.body.id))[0].status === 'succeeded');
  } finally {
    await receiver.close();
  }
});

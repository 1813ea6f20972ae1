// The target guard (SPEC 7): with no --allow-targets, no call reaches loopback in any spelling,
// and not a byte is sent. Every address here is loopback: nothing leaves the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, waitFor } from './lib/harness.mjs';

let guarded;
let receiver;
before(async () => {
  guarded = await startServer({ allowTargets: null });
  receiver = await startReceiver();
});
after(async () => {
  await guarded.stop();
  await receiver.close();
});

const forms = (port) => [
  `http://127.0.0.1:${port}/x`,
  `http://127.1.2.3:${port}/x`,
  `http://localhost:${port}/x`,
  `http://[::1]:${port}/x`,
  `http://[::ffff:127.0.0.1]:${port}/x`,
  `http://0x7f000001:${port}/x`,
  `http://2130706433:${port}/x`,
  `http://0.0.0.0:${port}/x`,
];

test('every spelling of loopback is refused before any byte is sent', async () => {
  for (const url of forms(receiver.port)) {
    const res = await guarded.api('POST', '/v1/webhooks/test', { name: 'Probe', url });
    assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.success, false, url);
    assert.equal(res.body.error?.code, 'blocked_target', `${url}: ${JSON.stringify(res.body.error)}`);
  }
  assert.equal(receiver.requests.length, 0, 'the receiver got nothing');
});

test('saving a webhook aimed at a literal internal address is a clear 422', async () => {
  for (const url of forms(receiver.port).filter((u) => !u.includes('localhost'))) {
    const res = await guarded.api('POST', '/v1/webhooks', { name: 'Internal', url });
    assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.field, 'url');
    assert.match(res.body.error.message, /--allow-targets/);
  }
  assert.equal((await guarded.api('GET', '/v1/webhooks')).body.data.length, 0);
});

test('a delivery to a host name that resolves to loopback ends blocked, never sent', async () => {
  const hook = await guarded.api('POST', '/v1/webhooks', {
    name: 'Rebinding', url: `http://localhost:${receiver.port}/x`, events: ['guard.check'],
  });
  assert.equal(hook.status, 201, 'a host name is judged when the call connects');
  await guarded.api('POST', '/v1/events', { event: 'guard.check', contact: { email: 'g@example.com' } });
  await waitFor(async () => {
    const log = await guarded.api('GET', `/v1/deliveries?webhook_id=${hook.body.id}`);
    return log.body.data[0]?.status === 'dead';
  });
  const [delivery] = (await guarded.api('GET', `/v1/deliveries?webhook_id=${hook.body.id}`)).body.data;
  assert.equal(delivery.last_error, 'blocked_target');
  assert.equal(receiver.requests.length, 0);
});

test('an allowed range reaches the receiver', async () => {
  const open = await startServer({ allowTargets: '127.0.0.0/8' });
  try {
    const res = await open.api('POST', '/v1/webhooks/test', { name: 'Allowed', url: `${receiver.url}/allowed` });
    assert.equal(res.body.success, true, JSON.stringify(res.body.error));
    assert.equal(receiver.requests.length, 1);
  } finally {
    await open.stop();
  }
});

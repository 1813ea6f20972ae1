// Retention (--retention): ended deliveries and old events are removed in the background; what is
// still owed is kept however old; /metrics and /v1/info say so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, runHookline, tempDir, waitFor } from './lib/harness.mjs';

let server;
let receiver;
before(async () => {
  receiver = await startReceiver();
  // One try now, the next in an hour: a delivery to a refused port stays retrying for the test.
  server = await startServer({ args: ['--retention', '2s', '--retry-schedule', '0s,1h'] });
});
after(async () => {
  await server?.stop();
  await receiver?.close();
});

const metric = async (name) => {
  const text = (await server.api('GET', '/metrics')).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

// First: the retrying delivery of the next test holds back every event after its own.
test('events that nothing holds on to are removed, and the store reports its size', async () => {
  const posted = await server.api('POST', '/v1/events', { event: 'nobody.listens', contact: { email: 'n@example.com' } });
  assert.equal(posted.status, 202);
  const before = (await metric('hookline_retention_events_removed_total')) ?? 0;
  assert.ok((await metric('hookline_store_database_bytes')) > 0);
  assert.ok((await metric('hookline_store_free_bytes')) >= 0);
  assert.equal(await metric('hookline_retention_seconds'), 2);
  const info = await server.api('GET', '/v1/info');
  assert.equal(info.status, 200);
  assert.equal(info.body.retention, '2s');
  assert.equal(info.body.retention_ms, 2000);
  await waitFor(async () => (await metric('hookline_retention_events_removed_total')) > before,
    { timeoutMs: 15000, intervalMs: 200 });
});

test('an ended delivery is gone after the retention; a retrying one stays, with its body', async () => {
  const ok = await server.api('POST', '/v1/webhooks', { name: 'Up', url: `${receiver.url}/up`, events: ['order.paid'] });
  // Port 9 on loopback: nothing listens, every try is refused.
  const down = await server.api('POST', '/v1/webhooks', { name: 'Down', url: 'http://127.0.0.1:9/down', events: ['order.paid'] });
  const posted = await server.api('POST', '/v1/events', {
    event: 'order.paid', contact: { email: 'ret@example.com' }, event_details: { order: 'R-1', total: 12.5 },
  });
  assert.equal(posted.status, 202);

  const list = async (id) => (await server.api('GET', `/v1/deliveries?webhook_id=${id}`)).body.data;
  await waitFor(async () => (await list(ok.body.id))[0]?.status === 'succeeded');
  await waitFor(async () => (await list(down.body.id))[0]?.status === 'retrying');
  const sent = (await list(ok.body.id))[0];
  const owed = (await list(down.body.id))[0];
  const owedBefore = await server.api('GET', `/v1/deliveries/${owed.id}`);
  assert.equal(owedBefore.body.payload.data.event_details.order, 'R-1');

  await waitFor(async () => (await server.api('GET', `/v1/deliveries/${sent.id}`)).status === 404, { timeoutMs: 15000, intervalMs: 200 });
  assert.deepEqual(await list(ok.body.id), []);
  assert.ok((await metric('hookline_retention_deliveries_removed_total')) >= 1);

  const owedAfter = await server.api('GET', `/v1/deliveries/${owed.id}`);
  assert.equal(owedAfter.status, 200);
  assert.equal(owedAfter.body.status, 'retrying');
  assert.deepEqual(owedAfter.body.payload, owedBefore.body.payload, 'the body it will send is intact');
  assert.equal(owedAfter.body.attempts.length, 1);
});

test('a retention that is not a duration stops the start with a clear error', async () => {
  const run = await runHookline(['serve', '--listen', '127.0.0.1:0', '--data-dir', tempDir(), '--retention', '5x']);
  assert.notEqual(run.code, 0);
  assert.match(run.stderr + run.stdout, /--retention/);
});

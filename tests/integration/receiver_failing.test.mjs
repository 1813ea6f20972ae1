// A receiver that fails every try for --disable-failing-after (5 days by default; 3 s here): the
// webhook is disabled with the reason "failing", its deliveries are held rather than spent on a
// receiver that is down, other webhooks go on, and enabling it again sends what was held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHookline, serverAndReceiver, tempDir, waitFor } from './lib/harness.mjs';

let down = true; // what the receiver answers on /down: 500 until it is back
const running = serverAndReceiver({
  args: ['--disable-failing-after', '3s', '--retry-schedule', '0s,1s,1s,1s,1s,1s,1s,1s,1s,1s'],
}, (req) => ({
  status: req.url.startsWith('/down') && down ? 500 : 200,
}));
const { call, callsTo } = running;
const order = (n) =>
  call('POST', '/v1/events', { event: 'order.paid', contact: { email: `buyer${n}@example.com` }, event_details: { n } }, 202);

test('a webhook failing for the set time is disabled, holds its deliveries, and sends them once enabled', async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Down CRM', url: `${running.receiver.url}/down`, events: ['order.paid'],
  }, 201);
  await call('POST', '/v1/webhooks', {
    name: 'Live CRM', url: `${running.receiver.url}/live`, events: ['order.paid'],
  }, 201);

  // Five failures in a row open its breaker; its probe fails too, past the 3 s: disabled.
  for (const n of [1, 2, 3, 4, 5]) await order(n);
  let disabled;
  await waitFor(async () => {
    disabled = await call('GET', `/v1/webhooks/${hook.id}`, undefined, 200);
    return disabled.enabled === false;
  }, { timeoutMs: 30000 });
  assert.equal(disabled.disabled_reason, 'failing');
  assert.equal(typeof disabled.disabled_at, 'number');
  assert.ok(disabled.breaker.state !== 'closed', JSON.stringify(disabled.breaker));

  // Held, not dead: none of the five spent its retries on a receiver that was down.
  const held = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
  assert.equal(held.length, 5);
  for (const d of held) assert.notEqual(d.status, 'dead', JSON.stringify(d));
  const calls = callsTo('/down').length;
  await new Promise((r) => setTimeout(r, 2500)); // past its retry schedule's next tries
  assert.equal(callsTo('/down').length, calls, 'a disabled webhook is called no more');
  await waitFor(() => callsTo('/live').length === 5); // the other webhook got every event

  // The receiver is back and a user enables the webhook: the reason goes, the five are sent.
  down = false;
  const enabled = await call('PATCH', `/v1/webhooks/${hook.id}`, { enabled: true }, 200);
  assert.equal(enabled.disabled_reason, null);
  await waitFor(async () => {
    const list = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
    return list.every((d) => d.status === 'succeeded');
  }, { timeoutMs: 30000 });
  const delivered = new Set(callsTo('/down').map((r) => JSON.parse(r.body).data.event_details.n));
  assert.deepEqual([...delivered].sort(), [1, 2, 3, 4, 5]);
});

test('the disabling and self-healing settings refuse what is not a duration, saying which', async () => {
  for (const [flag, value] of [['--disable-failing-after', '5 days'], ['--heal-probe-after', '0s']]) {
    const run = await runHookline(['serve', '--listen', '127.0.0.1:0', '--data-dir', tempDir(), flag, value]);
    assert.notEqual(run.code, 0, `${flag} ${value} was taken`);
    assert.match(run.stderr + run.stdout, new RegExp(flag));
  }
});

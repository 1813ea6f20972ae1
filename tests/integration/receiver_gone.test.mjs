// A receiver that answers 410 Gone (issue 14): the webhook is disabled at once, with the reason,
// instead of failing every delivery through its retries; its deliveries wait, and enabling it
// again clears the reason and sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

let gone = true; // what the receiver answers on /gone: 410 until it is back
const running = serverAndReceiver({}, (req) => ({
  status: req.url.startsWith('/gone') && gone ? 410 : 200,
}));
const { call, callsTo } = running;
const order = (n) =>
  call('POST', '/v1/events', { event: 'order.paid', contact: { email: `buyer${n}@example.com` }, event_details: { n } }, 202);

test('a 410 Gone disables the webhook at once; enabling it again sends what waited', async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Old CRM', url: `${running.receiver.url}/gone`, events: ['order.paid'],
  }, 201);
  const other = await call('POST', '/v1/webhooks', {
    name: 'Live CRM', url: `${running.receiver.url}/live`, events: ['order.paid'],
  }, 201);
  assert.equal(hook.disabled_reason, null);

  await order(1);
  let disabled;
  await waitFor(async () => {
    disabled = await call('GET', `/v1/webhooks/${hook.id}`, undefined, 200);
    return disabled.enabled === false;
  });
  assert.equal(disabled.disabled_reason, 'gone');
  assert.equal(typeof disabled.disabled_at, 'number');
  // The delivery that got the 410 ended at once: no retries for an endpoint that is gone. (Its
  // record is written beside the disabling, so it may land a moment later.)
  let first;
  await waitFor(async () => {
    first = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
    return first.length === 1 && first[0].status !== 'pending';
  });
  assert.equal(first[0].status, 'dead');
  assert.equal(first[0].attempt_count, 1);

  // Meanwhile: the other webhook is not held back, and the disabled one makes no calls.
  for (const n of [2, 3]) await order(n);
  await waitFor(() => callsTo('/live').length === 3);
  assert.equal(callsTo('/gone').length, 1);

  // Back, and enabled again: the reason goes; its dead delivery can be recovered by the user.
  gone = false;
  const enabled = await call('PATCH', `/v1/webhooks/${hook.id}`, { enabled: true }, 200);
  assert.equal(enabled.enabled, true);
  assert.equal(enabled.disabled_reason, null);
  assert.equal(enabled.disabled_at, null);
  await order(4);
  await waitFor(() => callsTo('/gone').length === 2);
  assert.equal(JSON.parse(callsTo('/gone')[1].body).data.event_details.n, 4);
  assert.equal((await call('GET', `/v1/webhooks/${other.id}`, undefined, 200)).disabled_reason, null);
});

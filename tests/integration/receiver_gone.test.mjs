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

test('a webhook.disabled event tells the webhooks subscribed to it, with no contact', async () => {
  gone = true;
  const alerts = await call('POST', '/v1/webhooks', {
    name: 'Team alerts', url: `${running.receiver.url}/alerts`, events: ['webhook.disabled'],
  }, 201);
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Gone CRM', url: `${running.receiver.url}/gone-again`, events: ['order.shipped'],
  }, 201);
  await call('POST', '/v1/events', { event: 'order.shipped', contact: { email: 'ship@example.com' } }, 202);
  await waitFor(() => callsTo('/alerts').length === 1);
  const alert = JSON.parse(callsTo('/alerts')[0].body);
  assert.equal(alert.event, 'webhook.disabled');
  assert.equal(alert.event_category, 'system');
  assert.equal(alert.event_type, 'Webhook');
  assert.equal(alert.data.contact, null);
  const details = alert.data.event_details;
  assert.equal(details.webhook_id, hook.id);
  assert.equal(details.webhook_name, 'Gone CRM');
  assert.equal(details.url, `${running.receiver.url}/gone-again`);
  assert.equal(details.reason, 'gone');
  assert.match(details.message, /410/);
  assert.equal(details.disabled_at, (await call('GET', `/v1/webhooks/${hook.id}`, undefined, 200)).disabled_at);
  // It is signed and logged like any delivery.
  assert.ok(callsTo('/alerts')[0].headers['webhook-signature']);
  const logged = (await call('GET', `/v1/deliveries?webhook_id=${alerts.id}`, undefined, 200)).data;
  assert.equal(logged.length, 1);
  assert.equal(logged[0].event, 'webhook.disabled');

  // It is about a webhook, not a contact: no journey can start from it.
  const journey = await running.server.api('POST', '/v1/journeys', {
    name: 'Tell someone',
    blocks: [{ id: 't', type: 'trigger', config: { event: 'webhook.disabled' } }],
  });
  assert.equal(journey.status, 422, JSON.stringify(journey.body));
  assert.equal(journey.body.error.field, 'blocks.t.config.event');
  assert.match(journey.body.error.message, /about a webhook, not a contact/);
});

// Self-healing (issue 14): a webhook Hookline disabled itself is probed with the Test request on a
// backoff (--heal-probe-after, 1 s here); when its receiver answers 200 it is enabled again and
// the deliveries it held are sent at a rate that ramps up from 1 a second. One with self_heal off
// waits for a user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

let healed = false; // /heal answers 410 until the receiver is back
const running = serverAndReceiver({ args: ['--heal-probe-after', '1s'] }, (req) => ({
  status: req.url.startsWith('/alerts') ? 200 : req.url.startsWith('/stay') || !healed ? 410 : 200,
}));
const { call, callsTo } = running;
const isProbe = (r) => JSON.parse(r.body).data.contact.email === 'testuser@example.com';
const webhook = (id) => call('GET', `/v1/webhooks/${id}`, undefined, 200);

test('a disabled webhook is probed, enabled again on a 200, and drains what it held slowly at first', async () => {
  // One call at a time, so that the five after the first wait in its queue when it is disabled.
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Comes back', url: `${running.receiver.url}/heal`, events: ['order.paid'], max_in_flight: 1,
  }, 201);
  assert.equal(hook.self_heal, true);
  assert.equal(hook.healed_at, null);
  const manual = await call('POST', '/v1/webhooks', {
    name: 'Waits for a person', url: `${running.receiver.url}/stay`, events: ['order.paid'], self_heal: false,
  }, 201);
  assert.equal(manual.self_heal, false);
  await call('POST', '/v1/webhooks', {
    name: 'Team alerts', url: `${running.receiver.url}/alerts`, events: ['webhook.disabled', 'webhook.recovered'],
  }, 201);
  const alerts = (name) => callsTo('/alerts').map((r) => JSON.parse(r.body)).filter((b) => b.event === name);

  const events = [1, 2, 3, 4, 5, 6].map((n) => ({
    event: 'order.paid', contact: { email: `buyer${n}@example.com` }, event_details: { n },
  }));
  await call('POST', '/v1/events/batch', { events }, 202);
  await waitFor(async () => (await webhook(hook.id)).disabled_reason === 'gone');
  await waitFor(async () => (await webhook(manual.id)).disabled_reason === 'gone');

  // Probed while still gone (the Test request: the sample contact), and left disabled.
  await waitFor(() => callsTo('/heal').some(isProbe), { timeoutMs: 15000 });
  assert.equal((await webhook(hook.id)).enabled, false);

  // Back: the next probe gets a 200 and the webhook is enabled again.
  healed = true;
  let back;
  await waitFor(async () => {
    back = await webhook(hook.id);
    return back.enabled;
  }, { timeoutMs: 15000 });
  assert.equal(back.disabled_reason, null);
  assert.equal(typeof back.healed_at, 'number');
  // Told as it happened: both disabled as gone, then the one that came back recovered.
  await waitFor(() => alerts('webhook.recovered').length === 1);
  assert.deepEqual(alerts('webhook.disabled').map((b) => b.data.event_details.webhook_id).sort(),
    [hook.id, manual.id].sort());
  const recovered = alerts('webhook.recovered')[0];
  assert.equal(recovered.data.contact, null);
  assert.equal(recovered.data.event_details.webhook_id, hook.id);
  assert.equal(recovered.data.event_details.webhook_name, 'Comes back');
  assert.equal(recovered.data.event_details.recovered_at, back.healed_at);

  // The five it held are sent, at 1 a second at first: not all at once.
  await waitFor(() => callsTo('/heal').filter((r) => !isProbe(r)).length === 6, { timeoutMs: 30000 });
  const held = callsTo('/heal').filter((r) => !isProbe(r)).slice(1);
  const span = held[held.length - 1].at - held[0].at;
  assert.ok(span >= 3000, `five held calls went out within ${span} ms`);
  // Each call's outcome is recorded just after its answer: wait for the last one's.
  let deliveries;
  await waitFor(async () => {
    deliveries = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
    return deliveries.every((d) => d.status === 'succeeded' || d.status === 'dead');
  });
  assert.equal(deliveries.length, 6, 'probes are not deliveries');
  assert.equal(deliveries.filter((d) => d.status === 'succeeded').length, 5);
  assert.equal(deliveries.filter((d) => d.status === 'dead').length, 1, 'the one that got the 410');

  // An operator sees it in /metrics: two disabled as gone, one healed, probes sent.
  const metrics = (await running.server.api('GET', '/metrics')).body;
  assert.match(metrics, /^hookline_webhooks_disabled_total\{reason="gone"\} 2$/m);
  assert.match(metrics, /^hookline_webhooks_healed_total 1$/m);
  assert.match(metrics, /^hookline_heal_probes_total [2-9]\d*$/m);

  // self_heal off: never probed, still disabled.
  assert.equal(callsTo('/stay').filter(isProbe).length, 0);
  const still = await webhook(manual.id);
  assert.equal(still.enabled, false);
  assert.equal(still.disabled_reason, 'gone');
});

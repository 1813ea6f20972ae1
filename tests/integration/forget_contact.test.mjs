// The right to be forgotten (issue 13): deleting a contact removes it at once, and its events and
// the deliveries of its events (with their bodies and attempts) in the background, a few seconds
// later; other contacts' history stays, and so does the contact.delete its deletion sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

test("a deleted contact's events and deliveries go; everyone else's stay", async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Orders', url: `${env.receiver.url}/orders`, events: ['order.paid', 'contact.delete'],
  }, 201);
  for (const [email, total] of [['ana@example.com', 10], ['bia@example.com', 20], ['ana@example.com', 30]]) {
    await call('POST', '/v1/events', { event: 'order.paid', contact: { email }, event_details: { total } }, 202);
  }
  let deliveries;
  await waitFor(async () => {
    deliveries = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
    return deliveries.length === 3 && deliveries.every((d) => d.status === 'succeeded');
  });
  const owners = new Map();
  for (const d of deliveries) {
    const detail = await call('GET', `/v1/deliveries/${d.id}`, undefined, 200);
    owners.set(d.id, JSON.stringify(detail).includes('ana@example.com') ? 'ana' : 'bia');
  }
  assert.deepEqual([...owners.values()].sort(), ['ana', 'ana', 'bia']);
  const ana = (await call('GET', '/v1/contacts?q=ana', undefined, 200)).data[0];
  const example = (await call('GET', '/v1/event-types', undefined, 200)).data.find((t) => t.name === 'order.paid').example;
  assert.deepEqual(example, { total: 10 }, "the catalog's example is Ana's first order");

  await call('PATCH', `/v1/contacts/${ana.id}`, { last_name: 'Secretname' }, 200);
  const before = (await call('GET', `/v1/audit-log?resource_id=${ana.id}`, undefined, 200)).data;
  assert.ok(JSON.stringify(before).includes('Secretname'), 'the audit log recorded the change');

  await call('DELETE', `/v1/contacts/${ana.id}`, undefined, 204);
  await call('GET', `/v1/contacts/${ana.id}`, undefined, 404);
  // Her example goes with her, at once.
  const types = (await call('GET', '/v1/event-types', undefined, 200)).data;
  assert.equal(types.find((t) => t.name === 'order.paid').example, null);

  // Her deliveries go within a few seconds; Bia's stay.
  await waitFor(async () => {
    for (const [id, owner] of owners) {
      if (owner !== 'ana') continue;
      const res = await env.server.api('GET', `/v1/deliveries/${id}`);
      if (res.status !== 404) return false;
    }
    return true;
  }, { timeoutMs: 15000, intervalMs: 200 });
  for (const [id, owner] of owners) {
    if (owner === 'bia') await call('GET', `/v1/deliveries/${id}`, undefined, 200);
  }
  // The contact.delete sent to receivers so they can forget her too stays until it is sent and
  // ages out with the rest of the log.
  const left = (await call('GET', `/v1/deliveries?webhook_id=${hook.id}`, undefined, 200)).data;
  assert.deepEqual(left.map((d) => d.event).sort(), ['contact.delete', 'order.paid']);
  await waitFor(() => env.receiver.requests.some((r) => JSON.parse(r.body).event === 'contact.delete'));

  // The audit log keeps who made and deleted her, not what was written about her.
  const audit = (await call('GET', `/v1/audit-log?resource_id=${ana.id}`, undefined, 200)).data;
  assert.deepEqual(audit.map((e) => e.action).sort(), ['delete', 'update']);
  assert.ok(!JSON.stringify(audit).includes('Secretname'), JSON.stringify(audit));

  // Counted once her last step (her events, after her deliveries) has committed.
  let metrics = '';
  await waitFor(async () => {
    metrics = await (await fetch(`${env.server.baseUrl}/metrics`)).text();
    return /^hookline_contacts_forgotten_total 1$/m.test(metrics);
  }, { timeoutMs: 15000, intervalMs: 200 }).catch(() => {});
  assert.match(metrics, /^hookline_contacts_forgotten_total 1$/m);
});

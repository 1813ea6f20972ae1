// Events in, signed webhook calls out (SPEC 3 and 7), against real receivers on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, expectedSignature, waitFor } from './lib/harness.mjs';

let server;
before(async () => {
  server = await startServer({ args: ['--retry-schedule', '0s,300ms,300ms,300ms'] });
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, 'SIGTERM ends the server cleanly');
});

async function webhook(receiver, extra = {}) {
  const res = await server.api('POST', '/v1/webhooks', {
    name: 'Hook', url: `${receiver.url}/in`, events: ['email.click'], ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function deliveriesOf(webhookId) {
  const res = await server.api('GET', `/v1/deliveries?webhook_id=${webhookId}&limit=250`);
  assert.equal(res.status, 200);
  return res.body.data;
}

async function detail(id) {
  const res = await server.api('GET', `/v1/deliveries/${id}`);
  assert.equal(res.status, 200);
  return res.body;
}

test('adding a contact to a list sends exactly the body and headers of SPEC 3, signed', async () => {
  const receiver = await startReceiver();
  try {
    const hook = await webhook(receiver, {
      name: 'Billing',
      url: `${receiver.url}/hooks/{{contact.id}}?email={{contact.email}}`,
      auth: { type: 'basic', username: 'ana', password: 'pa55word' },
      headers: [{ name: 'X-Shop', value: 'loja-{{event.list_id}}' }],
      custom_payload: { name: '{{contact.first_name}}', 'salário': '{{contact.salário}}', idade: '{{contact.idade}}' },
      events: ['list.add_contact'],
    });
    const contact = (await server.api('POST', '/v1/contacts', {
      email: 'testuser@example.com', first_name: 'test_contact_fname', mobile: '1234567890',
      properties: { 'salário': '123', idade: '12' },
    })).body;
    const list = (await server.api('POST', '/v1/lists', { name: 'Test' })).body;
    const added = await server.api('POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id] });
    assert.equal(added.status, 200);

    await waitFor(() => receiver.requests.length >= 1);
    assert.equal(receiver.requests.length, 1);
    const got = receiver.requests[0];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, `/hooks/${contact.id}?email=testuser@example.com`);
    assert.equal(got.headers['content-type'], 'application/json;charset=UTF-8');
    assert.match(got.headers['user-agent'], /^Hookline\/\d/);
    assert.equal(got.headers.authorization, `Basic ${Buffer.from('ana:pa55word').toString('base64')}`);
    assert.equal(got.headers['x-shop'], `loja-${list.id}`);

    const body = JSON.parse(got.body);
    assert.deepEqual(Object.keys(body), ['id', 'event', 'event_category', 'event_type', 'event_time', 'data']);
    assert.equal(body.event, 'list.add_contact');
    assert.equal(body.event_category, 'system');
    assert.equal(body.event_type, 'List');
    assert.ok(Number.isInteger(body.event_time) && Math.abs(body.event_time - Date.now()) < 60000);
    assert.deepEqual(body.data.contact, {
      id: contact.id, email: 'testuser@example.com', first_name: 'test_contact_fname', last_name: '',
      mobile: '1234567890', 'salário': '123', idade: '12',
    });
    assert.equal(body.data.event_details.list_id, list.id);
    assert.equal(body.data.event_details.contact_id, contact.id);
    assert.deepEqual(body.data.custom_data, { name: 'test_contact_fname', 'salário': '123', idade: '12' });

    const id = got.headers['webhook-id'];
    const ts = got.headers['webhook-timestamp'];
    assert.equal(got.headers['webhook-signature'], expectedSignature(hook.secret, id, ts, got.body));

    const [delivery] = await deliveriesOf(hook.id);
    assert.equal(delivery.id, id, 'webhook-id is the delivery id');
    await waitFor(async () => (await detail(id)).status === 'succeeded');
    const shown = await detail(id);
    assert.equal(shown.attempts.length, 1);
    assert.equal(shown.attempts[0].response.status, 200);
    assert.equal(shown.attempts[0].request.headers.Authorization, 'Basic ****');
    assert.deepEqual(shown.payload, body);
  } finally {
    await receiver.close();
  }
});

test('an event reaches every subscribed webhook once; a repeated id is not processed twice', async () => {
  const a = await startReceiver();
  const b = await startReceiver();
  try {
    const hookA = await webhook(a, { events: ['order.paid'] });
    await webhook(b, { events: ['order.paid', 'email.open'] });
    await webhook(b, { events: ['order.paid'], enabled: false });
    const event = { id: crypto.randomUUID(), event: 'order.paid', contact: { email: 'buyer@example.com' },
      event_details: { total: 99.5 }, event_time: 1563186327795 };
    const first = await server.api('POST', '/v1/events', event);
    assert.equal(first.status, 202);
    assert.equal(first.body.id, event.id);
    const again = await server.api('POST', '/v1/events', event);
    assert.equal(again.status, 202);
    assert.equal(again.body.id, event.id);

    await waitFor(() => a.requests.length >= 1 && b.requests.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(a.requests.length, 1);
    assert.equal(b.requests.length, 1, 'the disabled webhook is not called');
    const body = JSON.parse(a.requests[0].body);
    assert.equal(body.id, event.id);
    assert.equal(body.event_category, 'custom');
    assert.equal(body.event_type, 'Custom');
    assert.equal(body.event_time, 1563186327795);
    assert.deepEqual(body.data.event_details, { total: 99.5 });
    assert.equal((await deliveriesOf(hookA.id)).length, 1);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a batch of events is accepted whole and delivered', async () => {
  const receiver = await startReceiver();
  try {
    await webhook(receiver, { events: ['form.submit'] });
    const events = Array.from({ length: 50 }, (_, i) => ({
      event: 'form.submit', contact: { email: `lead${i}@example.com` }, event_details: { form: 'sign-up' },
    }));
    const res = await server.api('POST', '/v1/events/batch', { events });
    assert.equal(res.status, 202);
    assert.equal(res.body.ids.length, 50);
    await waitFor(() => receiver.requests.length >= 50);
    const ids = new Set(receiver.requests.map((r) => JSON.parse(r.body).id));
    assert.deepEqual([...ids].sort(), [...res.body.ids].sort());
  } finally {
    await receiver.close();
  }
});

test('500, 500, 200: delivered on the third try with one webhook-id and three attempts', async () => {
  let calls = 0;
  const receiver = await startReceiver(() => ({ status: ++calls < 3 ? 500 : 200, body: `call ${calls}` }));
  try {
    const hook = await webhook(receiver);
    await server.api('POST', '/v1/events', { event: 'email.click', contact: { email: 'r@example.com' } });
    await waitFor(() => receiver.requests.length >= 3);
    const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    assert.equal(ids.size, 1);
    const [delivery] = await deliveriesOf(hook.id);
    await waitFor(async () => (await detail(delivery.id)).status === 'succeeded');
    const shown = await detail(delivery.id);
    assert.equal(shown.attempt_count, 3);
    assert.deepEqual(shown.attempts.map((a) => a.response.status), [500, 500, 200]);
    assert.equal(shown.attempts[0].response.body, 'call 1');
    assert.equal(new Set(receiver.requests.map((r) => r.body)).size, 1, 'every try sends the same bytes');
  } finally {
    await receiver.close();
  }
});

test('404 is final: one try, then dead; a manual retry delivers it', async () => {
  let answer = 404;
  const receiver = await startReceiver(() => ({ status: answer }));
  try {
    const hook = await webhook(receiver);
    await server.api('POST', '/v1/events', { event: 'email.click', contact: { email: 'x@example.com' } });
    const [delivery] = await (async () => {
      await waitFor(async () => (await deliveriesOf(hook.id))[0]?.status === 'dead');
      return deliveriesOf(hook.id);
    })();
    assert.equal(receiver.requests.length, 1);
    assert.equal(delivery.last_status, 404);
    assert.equal(delivery.attempt_count, 1);

    answer = 200;
    const retried = await server.api('POST', `/v1/deliveries/${delivery.id}/retry`);
    assert.equal(retried.status, 202);
    await waitFor(async () => (await detail(delivery.id)).status === 'succeeded');
    assert.equal(receiver.requests.length, 2);
    assert.equal(receiver.requests[1].headers['webhook-id'], delivery.id);
  } finally {
    await receiver.close();
  }
});

test('a schedule that runs out ends dead, after exactly its number of tries', async () => {
  const receiver = await startReceiver(() => ({ status: 503 }));
  try {
    const hook = await webhook(receiver);
    await server.api('POST', '/v1/events', { event: 'email.click', contact: { email: 'y@example.com' } });
    await waitFor(async () => (await deliveriesOf(hook.id))[0]?.status === 'dead', { timeoutMs: 15000 });
    assert.equal(receiver.requests.length, 4, 'the schedule 0s,300ms,300ms,300ms has four tries');
  } finally {
    await receiver.close();
  }
});

test('429 with Retry-After: 2 waits about two seconds', async () => {
  const seen = [];
  const receiver = await startReceiver(() => {
    seen.push(Date.now());
    return seen.length === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 };
  });
  try {
    await webhook(receiver);
    await server.api('POST', '/v1/events', { event: 'email.click', contact: { email: 'z@example.com' } });
    await waitFor(() => seen.length >= 2, { timeoutMs: 15000 });
    const gap = seen[1] - seen[0];
    assert.ok(gap >= 1800 && gap < 4500, `second try came after ${gap} ms`);
  } finally {
    await receiver.close();
  }
});

test('a receiver that never answers times out, and the attempt says so', async () => {
  const receiver = await startReceiver(() => null);
  try {
    const hook = await webhook(receiver, { timeout_ms: 400 });
    await server.api('POST', '/v1/events', { event: 'email.click', contact: { email: 't@example.com' } });
    await waitFor(async () => (await deliveriesOf(hook.id))[0]?.last_error === 'timeout');
    const [delivery] = await deliveriesOf(hook.id);
    const shown = await detail(delivery.id);
    assert.equal(shown.attempts[0].error.code, 'timeout');
    assert.equal(shown.attempts[0].response, null);
    assert.ok(shown.attempts[0].duration_ms >= 350);
  } finally {
    await receiver.close();
  }
});

test('bad events are refused with the field named, and nothing is stored or sent', async () => {
  const receiver = await startReceiver();
  try {
    await webhook(receiver, { events: ['bad.input'] });
    const cases = [
      [{ raw: '{"event": ' }, 400, 'invalid_json', null],
      [{ body: { contact: { email: 'a@example.com' } } }, 400, 'validation_error', 'event'],
      [{ body: { event: 'Bad Event', contact: { email: 'a@example.com' } } }, 400, 'validation_error', 'event'],
      [{ body: { event: 'bad.input' } }, 400, 'validation_error', 'contact'],
      [{ body: { event: 'bad.input', contact: { email: 'nope' } } }, 400, 'validation_error', 'contact.email'],
      [{ body: { event: 'bad.input', contact_id: 'ghost' } }, 422, 'unprocessable', 'contact_id'],
      [{ body: { event: 'bad.input', id: 'not-a-uuid', contact: { email: 'a@example.com' } } }, 400, 'validation_error', 'id'],
      [{ body: { event: 'bad.input', contact: { email: 'a@example.com' }, event_details: [] } }, 400, 'validation_error', 'event_details'],
      [{ body: { event: 'bad.input', contact: { email: 'a@example.com' }, event_time: 'now' } }, 400, 'validation_error', 'event_time'],
    ];
    for (const [input, status, code, field] of cases) {
      const res = await server.api('POST', '/v1/events', input.body, input.raw ? { raw: input.raw } : {});
      assert.equal(res.status, status, JSON.stringify(input));
      assert.equal(res.body.error.code, code, JSON.stringify(input));
      assert.equal(res.body.error.field, field, JSON.stringify(input));
    }
    // A batch with one bad event stores none of them, not even the good ones before it.
    const batch = await server.api('POST', '/v1/events/batch', { events: [
      { event: 'bad.input', contact: { email: 'good@example.com' } },
      { event: 'bad.input', contact_id: 'ghost' },
    ] });
    assert.equal(batch.status, 422);
    assert.equal(batch.body.error.field, 'events[1].contact_id');
    const tooMany = await server.api('POST', '/v1/events/batch', { events: Array(1001).fill({ event: 'bad.input', contact_id: 'x' }) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.field, 'events');

    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.requests.length, 0);
    const found = await server.api('GET', '/v1/contacts?email=good@example.com');
    assert.equal(found.body.data.length, 0, 'the batch left no contact behind');
    const log = await server.api('GET', '/v1/deliveries?event=bad.input');
    assert.equal(log.body.data.length, 0);
  } finally {
    await receiver.close();
  }
});

test('/metrics counts what the dispatcher did, in Prometheus text, without a key', async () => {
  const res = await fetch(`${server.baseUrl}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  const text = await res.text();
  const value = (name) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1]);
  assert.ok(value('hookline_deliveries_succeeded_total') >= 5, text);
  assert.ok(value('hookline_deliveries_dead_total') >= 2, text);
  assert.ok(value('hookline_attempts_failed_total') >= 5, text);
  assert.equal(value('hookline_deliveries_in_flight') >= 0, true);
  assert.match(text, /# TYPE hookline_deliveries_queued gauge/);
  // The store's queue, as this node sees it: every gauge there, none negative.
  for (const gauge of ['hookline_queue_due', 'hookline_queue_scheduled', 'hookline_leases_held', 'hookline_leases_held_elsewhere']) {
    assert.ok(value(gauge) >= 0, `${gauge} in\n${text}`);
  }
  assert.equal(value('hookline_leases_held_elsewhere'), 0, 'one node: nobody else holds a lease');
});

test('/healthz names the node and what it holds, without a key', async () => {
  const res = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, 'ok');
  assert.equal(typeof body.node, 'string');
  assert.ok(body.node.length > 0);
  assert.ok(body.deliveries.in_flight >= 0 && body.deliveries.queued >= 0, JSON.stringify(body));
});

test('a contact.create or contact.update the client posts is one delivery, not two', async () => {
  const receiver = await startReceiver();
  try {
    const hook = await webhook(receiver, { events: ['contact.create', 'contact.update'] });
    const post = async (body) => {
      const res = await server.api('POST', '/v1/events', body);
      assert.equal(res.status, 202, JSON.stringify(res.body));
    };
    // The client says the contact was created, and the same event creates it here.
    await post({ event: 'contact.create', contact: { email: 'posted-create@example.com' }, event_details: { source: 'crm' } });
    // The client says it changed, and the same event changes it here.
    await post({ event: 'contact.update', contact: { email: 'posted-create@example.com', first_name: 'Ana' }, event_details: { source: 'crm' } });
    // Another event that creates a contact: Hookline's own contact.create goes out beside it.
    await post({ event: 'email.click', contact: { email: 'clicker@example.com' } });

    await waitFor(() => receiver.requests.length >= 3);
    await new Promise((r) => setTimeout(r, 400));
    const bodies = receiver.requests.map((r) => JSON.parse(r.body));
    const about = (email, name) => bodies.filter((b) => b.data.contact.email === email && b.event === name);
    assert.equal(about('posted-create@example.com', 'contact.create').length, 1);
    assert.deepEqual(about('posted-create@example.com', 'contact.create')[0].data.event_details, { source: 'crm' },
      "the client's own event, with its details");
    assert.equal(about('posted-create@example.com', 'contact.update').length, 1);
    assert.deepEqual(about('posted-create@example.com', 'contact.update')[0].data.event_details, { source: 'crm' });
    assert.equal(about('clicker@example.com', 'contact.create').length, 1, "Hookline's own contact.create");
    assert.equal(bodies.length, 3);
    assert.equal((await deliveriesOf(hook.id)).length, 3);
  } finally {
    await receiver.close();
  }
});

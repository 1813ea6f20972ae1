// Webhooks that deliver one at a time per contact (ordering "per_contact"): a receiver that
// watches each contact's calls sees them one after another, in the order the events were
// accepted, through retries, a kill -9 and restart, and (on PostgreSQL) two nodes taking events
// for the same contacts; a contact whose call is being retried holds back only its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STORE, postgresStoreFor, startReceiver, startServer, tempDir, waitFor } from './lib/harness.mjs';

const settle = (ms) => new Promise((r) => setTimeout(r, ms));
const RETRIES = ['--retry-schedule', '0s,200ms,300ms,300ms,300ms,300ms,300ms,300ms'];

// A receiver that checks what ordering promises. For each contact (by email) it keeps the event
// numbers of the calls in the order they came, and counts a call that came while another call
// for the same contact was still being answered. `status(email, n, tries)` answers each call.
async function orderCheckingReceiver(status = () => 200, delayMs = 5) {
  const calls = new Map(); // email -> [{n, status}]
  const busy = new Set();
  let overlaps = 0;
  const receiver = await startReceiver(async (req) => {
    const { data } = JSON.parse(req.body);
    const email = data.contact.email;
    const n = data.event_details.n;
    if (busy.has(email)) overlaps++;
    busy.add(email);
    const seen = calls.get(email) ?? [];
    calls.set(email, seen);
    const answer = status(email, n, seen.filter((c) => c.n === n).length + 1);
    seen.push({ n, status: answer });
    await settle(delayMs);
    busy.delete(email);
    return { status: answer };
  });
  return {
    receiver,
    calls,
    get overlaps() { return overlaps; },
    // The event numbers a contact's receiver got answered with 200, in order.
    succeeded: (email) => (calls.get(email) ?? []).filter((c) => c.status === 200).map((c) => c.n),
  };
}

// Posts `count` events for `email` one after another (each accepted before the next is sent),
// through `pick(i)`'s node; resolves with the numbers accepted.
async function postInOrder(pick, email, count, from = 0) {
  const accepted = [];
  for (let n = from; n < from + count; n++) {
    const res = await pick(n).api('POST', '/v1/events', { event: 'order.paid', contact: { email }, event_details: { n } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    accepted.push(n);
  }
  return accepted;
}

const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);

// Every number from the first call on, none skipped, never going back: what may repeat is a call
// whose success was not recorded before a crash, sent again at once.
function assertInOrder(numbers, expected, who) {
  const distinct = numbers.filter((n, i) => i === 0 || n !== numbers[i - 1]);
  assert.deepEqual(distinct, expected, `${who}: calls came as ${numbers.join(',')}`);
}

test('a contact\'s calls come one at a time and in order, a retry holding back only that contact', async () => {
  // Every 4th event of contact "a" fails twice before it succeeds; the contact "held" has its
  // first call fail for 3 s. (Not more failures than that: five in a row would open the
  // webhook's breaker, which holds every contact back for seconds, by design.)
  let holdEnds = Infinity;
  const checker = await orderCheckingReceiver((email, n, tries) => {
    if (email === 'held@example.com' && n === 0 && Date.now() < holdEnds) return 500;
    return email === 'a@example.com' && n % 4 === 3 && tries <= 2 ? 503 : 200;
  });
  const server = await startServer({ args: ['--retry-schedule', '0s,200ms,300ms,500ms,1s,1s,1s,1s,1s,1s'] });
  try {
    const made = await server.api('POST', '/v1/webhooks', {
      name: 'Ordered CRM', url: `${checker.receiver.url}/crm`, events: ['order.paid'], ordering: 'per_contact',
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.ordering, 'per_contact');
    const bad = await server.api('PATCH', `/v1/webhooks/${made.body.id}`, { ordering: 'by_email' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'ordering');

    holdEnds = Date.now() + 3000;
    await postInOrder(() => server, 'held@example.com', 3);
    // While the held contact's first call is being retried, its next ones wait, queued, with no
    // time of their own...
    const queuedOf = async () =>
      (await server.api('GET', `/v1/deliveries?webhook_id=${made.body.id}&status=queued`)).body.data;
    await waitFor(async () => (await queuedOf()).length === 2);
    assert.deepEqual((await queuedOf()).map((d) => d.next_attempt_at), [null, null]);
    // ... and other contacts' calls go on meanwhile.
    const emails = ['a', 'b', 'c', 'd'].map((c) => `${c}@example.com`);
    await Promise.all(emails.map((email) => postInOrder(() => server, email, 12)));
    await waitFor(() => emails.every((email) => checker.succeeded(email).length === 12), { timeoutMs: 30000 });
    for (const email of emails) {
      const first = checker.receiver.requests.find((r) => JSON.parse(r.body).data.contact.email === email);
      assert.ok(first.at < holdEnds, `${email} waited for another contact's retries`);
    }

    await waitFor(() => checker.succeeded('held@example.com').length === 3, { timeoutMs: 30000 });
    assert.ok(checker.calls.get('held@example.com').filter((c) => c.n === 0).length > 1, 'the held call was retried');
    for (const email of [...emails, 'held@example.com']) {
      const count = email.startsWith('held') ? 3 : 12;
      assert.deepEqual(checker.succeeded(email), range(0, count), `${email} in order`);
      assertInOrder(checker.calls.get(email).map((c) => c.n), range(0, count), email);
    }
    assert.equal(checker.overlaps, 0, 'two calls for one contact were in flight at once');
    const metrics = await server.api('GET', '/metrics');
    assert.match(metrics.body, /^hookline_queue_ordered_waiting 0$/m);
  } finally {
    await server.stop();
    await checker.receiver.close();
  }
});

test('the order holds across kill -9 and a restart', async () => {
  const checker = await orderCheckingReceiver(() => 200, 50);
  const dataDir = tempDir();
  let server = await startServer({ dataDir, args: RETRIES });
  try {
    const made = await server.api('POST', '/v1/webhooks', {
      name: 'Ordered', url: `${checker.receiver.url}/crm`, events: ['order.paid'], ordering: 'per_contact',
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const emails = ['k1', 'k2', 'k3'].map((c) => `${c}@example.com`);
    // Events come faster than one contact's calls go (50 ms each): a queue forms behind each
    // contact, and the kill comes with most of it still to send.
    await Promise.all(emails.map((email) => postInOrder(() => server, email, 25)));
    await server.kill();
    const sent = emails.map((email) => new Set(checker.succeeded(email)).size);
    assert.ok(sent.every((count) => count < 25), `all sent before the kill: ${sent}`);
    server = await startServer({ dataDir, args: RETRIES });
    await Promise.all(emails.map((email) => postInOrder(() => server, email, 5, 25)));
    await waitFor(() => emails.every((email) => new Set(checker.succeeded(email)).size === 30), { timeoutMs: 60000 });
    for (const email of emails) assertInOrder(checker.succeeded(email), range(0, 30), email);
    assert.equal(checker.overlaps, 0, 'two calls for one contact were in flight at once');
  } finally {
    await server.stop();
    await checker.receiver.close();
  }
});

// Two nodes sharing one PostgreSQL database (pushed into `nodes` as they start, for the caller to
// stop), and an ordered webhook calling `checker`'s receiver.
async function startOrderedNodes(nodes, checker) {
  const store = postgresStoreFor(tempDir('hookline-ordered-'));
  for (let i = 0; i < 2; i++) {
    nodes.push(await startServer({ args: ['--store', store, '--node-id', `node-${i}`, ...RETRIES] }));
  }
  const made = await nodes[0].api('POST', '/v1/webhooks', {
    name: 'Ordered', url: `${checker.receiver.url}/crm`, events: ['order.paid'], ordering: 'per_contact',
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
}

test('two nodes sharing one store keep each contact\'s calls in order', { skip: STORE !== 'postgres' && 'several nodes need PostgreSQL' }, async () => {
  const checker = await orderCheckingReceiver((email, n, tries) => (n % 5 === 2 && tries === 1 ? 500 : 200));
  const nodes = [];
  try {
    await startOrderedNodes(nodes, checker);
    const emails = ['n1', 'n2', 'n3', 'n4'].map((c) => `${c}@example.com`);
    // Each contact's events alternate between the nodes, as a load balancer would send them.
    await Promise.all(emails.map((email) => postInOrder((n) => nodes[n % 2], email, 20)));
    await waitFor(() => emails.every((email) => checker.succeeded(email).length === 20), { timeoutMs: 60000 });
    for (const email of emails) {
      assert.deepEqual(checker.succeeded(email), range(0, 20), `${email} in order`);
      assertInOrder(checker.calls.get(email).map((c) => c.n), range(0, 20), email);
    }
    assert.equal(checker.overlaps, 0, 'two calls for one contact were in flight at once');
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await checker.receiver.close();
  }
});

test('two nodes taking one contact\'s events at the same moment still send them one at a time', { skip: STORE !== 'postgres' && 'several nodes need PostgreSQL' }, async () => {
  // 50 ms answers keep each call open long enough for a second one to overlap it, if one could.
  const checker = await orderCheckingReceiver(() => 200, 50);
  const nodes = [];
  try {
    await startOrderedNodes(nodes, checker);
    const emails = range(0, 20).map((c) => `p${c}@example.com`);
    // Each contact's events all at once, half through each node: no order between them, but
    // never two of a contact's calls at once (two nodes each starting a contact's first call, say),
    // and each sent.
    await Promise.all(emails.flatMap((email) => range(0, 4).map(async (n) => {
      const res = await nodes[n % 2].api('POST', '/v1/events', { event: 'order.paid', contact: { email }, event_details: { n } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
    })));
    await waitFor(() => emails.every((email) => new Set(checker.succeeded(email)).size === 4), { timeoutMs: 60000 });
    for (const email of emails) assert.deepEqual([...new Set(checker.succeeded(email))].sort((a, b) => a - b), range(0, 4));
    assert.equal(checker.overlaps, 0, 'two calls for one contact were in flight at once');
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await checker.receiver.close();
  }
});

// At least once across a crash (SPEC 7): kill -9 while clients post events, restart, and every
// event that got a 202 reaches the receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, tempDir, waitFor } from './lib/harness.mjs';

test('kill -9 under concurrent load loses no accepted event', async () => {
  // A slow receiver keeps calls queued and in flight at the moment of the crash.
  const receiver = await startReceiver(async () => {
    await new Promise((r) => setTimeout(r, 20));
    return { status: 200 };
  });
  const dataDir = tempDir();
  try {
    let server = await startServer({ dataDir, args: ['--retry-schedule', '0s,200ms,500ms,1s,1s,1s,1s,1s'] });
    const hook = await server.api('POST', '/v1/webhooks', {
      name: 'Load', url: `${receiver.url}/load`, events: ['load.event'],
    });
    assert.equal(hook.status, 201);

    const accepted = new Set();
    let stop = false;
    const client = async (n) => {
      for (let i = 0; !stop && i < 5000; i++) {
        const id = crypto.randomUUID();
        try {
          const res = await server.api('POST', '/v1/events', {
            id, event: 'load.event', contact: { email: `c${n}@example.com` }, event_details: { n, i },
          });
          if (res.status === 202) accepted.add(id);
        } catch {
          return; // the server died under us: this request's fate is unknown, so it is not counted
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));
    await waitFor(() => accepted.size >= 600, { timeoutMs: 30000 });
    await server.kill();
    stop = true;
    await Promise.all(clients);
    const acceptedBeforeCrash = accepted.size;
    const deliveredBeforeCrash = receiver.requests.length;

    server = await startServer({ dataDir, args: ['--retry-schedule', '0s,200ms,500ms,1s,1s,1s,1s,1s'] });
    try {
      const received = () => new Set(receiver.requests.map((r) => JSON.parse(r.body).id));
      try {
        // received() built once per check: the receiver answers from this process, and parsing
        // every body once per accepted event starves it.
        await waitFor(() => {
          const got = received();
          return [...accepted].every((id) => got.has(id));
        }, { timeoutMs: 60000 });
      } catch (e) {
        // What is still to send, and why, for whoever reads the failure.
        const got = received();
        const missing = [...accepted].filter((id) => !got.has(id));
        const open = [];
        for (const status of ['pending', 'retrying']) {
          const page = await server.api('GET', `/v1/deliveries?status=${status}&limit=20`);
          open.push(...(page.body.data ?? []));
        }
        console.log(`${missing.length} of ${accepted.size} accepted events not delivered; open deliveries:`,
          JSON.stringify(open.map((d) => ({ id: d.id, status: d.status, attempts: d.attempt_count, next: d.next_attempt_at }))),
          `now ${Date.now()}`);
        throw e;
      }
      const webhookIds = receiver.requests.map((r) => r.headers['webhook-id']);
      const duplicates = webhookIds.length - new Set(webhookIds).size;
      console.log(`accepted ${acceptedBeforeCrash} events before kill -9, ${deliveredBeforeCrash} delivered by then; received ${webhookIds.length} ` +
        `calls, ${new Set(webhookIds).size} distinct webhook-ids, ${duplicates} delivered twice`);
      const got = received();
      for (const id of accepted) assert.ok(got.has(id), `event ${id} was accepted and never delivered`);
    } finally {
      await server.stop();
    }
  } finally {
    await receiver.close();
  }
});

// A Webhook block that waits for the answer (issue 14): the contact waits at the block until the
// call succeeds (2xx, retries included) or finally fails, the answer's fields are copied onto the
// contact by the block's response_mapping, and the journey goes on by "succeeded" or "failed",
// where a Condition can test what the receiver said. The wait survives kill -9; what does not map
// is counted on the block and noted on the attempt; bad mappings are refused naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, startServer, tempDir, waitFor } from './lib/harness.mjs';

// The CRM scores a lead by its email; /crm-text answers plain text; /crm-refuses answers 400
// (final: no retry); /crm-flaky answers 503 until told otherwise.
let flakyUp = false;
const LONG_HISTORY = Array.from({ length: 200 }, (_, i) => ({ at: 1700000000000 + i, note: `visited page ${i}` }));
const env = serverAndReceiver({}, (req) => {
  if (req.url.startsWith('/crm-text')) return { status: 200, body: 'OK' };
  if (req.url.startsWith('/crm-refuses')) return { status: 400, body: 'no such lead' };
  if (req.url.startsWith('/crm-flaky') && !flakyUp) return { status: 503, body: 'later' };
  if (req.url.startsWith('/crm')) {
    const email = JSON.parse(req.body).data.contact.email;
    const score = email.startsWith('ana') ? 87 : 12;
    // /crm-long answers as a real CRM may: the whole record, the lead well past 4 KiB.
    const history = req.url.startsWith('/crm-long') ? { history: LONG_HISTORY } : {};
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...history, lead: { score, tier: score > 50 ? 'gold' : 'bronze' } }),
    };
  }
  return { status: 200 };
});
const { call, callsTo } = env;

async function webhook(server, name, path) {
  const res = await server.api('POST', '/v1/webhooks', { name, url: `${env.receiver.url}${path}` });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

// lead.created -> call the CRM, waiting for the answer (score and tier copied onto the contact)
// -> succeeded: if contact.lead_score > 50, tell sales; failed: say sorry.
function scoringJourney(crm, sales, sorry) {
  return {
    name: 'Score leads',
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'lead.created' } },
      {
        id: 'w', type: 'webhook',
        config: {
          webhook_id: crm, wait_for_response: true,
          response_mapping: [
            { from: '/lead/score', to: 'lead_score', type: 'number' },
            { from: '$.lead.tier', to: 'lead_tier', type: 'string' },
          ],
        },
      },
      { id: 'c', type: 'condition', config: { field: 'contact.lead_score', op: 'gt', value: 50 } },
      { id: 's', type: 'webhook', config: { webhook_id: sales } },
      { id: 'f', type: 'webhook', config: { webhook_id: sorry } },
    ],
    edges: [
      { source: 't', target: 'w' },
      { source: 'w', target: 'c', branch: 'succeeded' },
      { source: 'c', target: 's', branch: 'yes' },
      { source: 'w', target: 'f', branch: 'failed' },
    ],
  };
}

const emailsAt = (path) => callsTo(path).map((r) => JSON.parse(r.body).data.contact.email).sort();
const contactOf = async (email) => (await call('GET', `/v1/contacts?email=${email}`, undefined, 200)).data[0];

test('the answer is copied onto the contact and a Condition routes on it', async () => {
  const { server } = env;
  const journey = await call('POST', '/v1/journeys', scoringJourney(
    await webhook(server, 'CRM a', '/crm-a'), await webhook(server, 'Sales a', '/sales-a'),
    await webhook(server, 'Sorry a', '/sorry-a')), 201);
  assert.equal(journey.blocks[1].config.wait_for_response, true);
  assert.equal(journey.blocks[1].config.response_mapping.length, 2);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);

  for (const who of ['ana', 'bob']) {
    await call('POST', '/v1/events', { event: 'lead.created', contact: { email: `${who}@example.com` } }, 202);
  }
  // A journey completes when its last Webhook block has made its delivery; the call arrives after.
  await waitFor(async () => {
    const stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
    return stats.totals.waiting === 0 && stats.totals.completed === 2 && callsTo('/sales-a').length > 0;
  }, { timeoutMs: 10000 });
  assert.deepEqual(emailsAt('/crm-a'), ['ana@example.com', 'bob@example.com']);
  assert.deepEqual(emailsAt('/sales-a'), ['ana@example.com'], 'only the lead the CRM scored high');
  const sold = JSON.parse(callsTo('/sales-a')[0].body);
  assert.equal(sold.data.contact.lead_score, 87, 'later blocks see the mapped fields');
  assert.equal(callsTo('/sorry-a').length, 0);
  const ana = await contactOf('ana@example.com');
  assert.equal(ana.properties.lead_score, 87);
  assert.equal(ana.properties.lead_tier, 'gold');
  assert.equal((await contactOf('bob@example.com')).properties.lead_tier, 'bronze');

  const stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
  assert.deepEqual(
    { ...stats.stats.w },
    { entered: 2, waiting: 0, left: 2, ended: 0, succeeded: 2, failed: 0, unmapped: 0 },
  );
  assert.equal(stats.stats.c.yes, 1);
  assert.equal(stats.stats.c.no, 1);
});

test('an answer longer than the 4 KiB the log keeps is mapped whole; calls no journey waits for keep 4 KiB', async () => {
  const { server } = env;
  const crm = await webhook(server, 'CRM long', '/crm-long-g');
  const journey = await call('POST', '/v1/journeys', scoringJourney(
    crm, await webhook(server, 'Sales g', '/sales-g'), await webhook(server, 'Sorry g', '/sorry-g')), 201);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);
  // The same receiver called for an event, with no journey waiting for it.
  const plain = await call('POST', '/v1/webhooks', {
    name: 'CRM long, no journey', url: `${env.receiver.url}/crm-long-plain`, events: ['lead.noted'],
  }, 201);

  await call('POST', '/v1/events', { event: 'lead.created', contact: { email: 'ana.g@example.com' } }, 202);
  await call('POST', '/v1/events', { event: 'lead.noted', contact: { email: 'ana.g@example.com' } }, 202);
  await waitFor(() => callsTo('/sales-g').length === 1 && callsTo('/crm-long-plain').length === 1,
    { timeoutMs: 10000 });
  const ana = await contactOf('ana.g@example.com');
  assert.equal(ana.properties.lead_score, 87, 'mapped from past the first 4 KiB');
  assert.equal(ana.properties.lead_tier, 'gold');
  const stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
  assert.equal(stats.stats.w.unmapped, 0, JSON.stringify(stats.stats.w));

  const logged = async (webhookId) => {
    const [delivery] = (await call('GET', `/v1/deliveries?webhook_id=${webhookId}`, undefined, 200)).data;
    await waitFor(async () => (await call('GET', `/v1/deliveries/${delivery.id}`, undefined, 200)).status === 'succeeded',
      { timeoutMs: 10000 });
    return (await call('GET', `/v1/deliveries/${delivery.id}`, undefined, 200)).attempts[0].response.body;
  };
  const whole = await logged(crm);
  assert.ok(whole.length > 4096, `the awaited call's answer is kept whole (${whole.length} bytes)`);
  assert.equal(JSON.parse(whole).lead.score, 87);
  assert.equal((await logged(plain.id)).length, 4096, 'other calls keep the first 4 KiB');
});

test('a call that finally fails goes on by failed; an answer that does not map is counted and noted', async () => {
  const { server } = env;
  const refused = await call('POST', '/v1/journeys', scoringJourney(
    await webhook(server, 'CRM b', '/crm-refuses-b'), await webhook(server, 'Sales b', '/sales-b'),
    await webhook(server, 'Sorry b', '/sorry-b')), 201);
  await call('POST', `/v1/journeys/${refused.id}/activate`, undefined, 200);
  // The same journey on another event, with a CRM that answers plain text and no Condition.
  const textHook = await webhook(server, 'CRM c', '/crm-text-c');
  const sales = await webhook(server, 'Sales c', '/sales-c');
  const sorry = await webhook(server, 'Sorry c', '/sorry-c');
  const plain = scoringJourney(textHook, sales, sorry);
  plain.name = 'Scores in plain text';
  plain.blocks[0].config.event = 'lead.imported';
  plain.blocks = plain.blocks.filter((b) => b.id !== 'c' && b.id !== 's');
  plain.blocks.push({ id: 'x', type: 'exit' });
  plain.edges = [
    { source: 't', target: 'w' },
    { source: 'w', target: 'x', branch: 'succeeded' },
    { source: 'w', target: 'f', branch: 'failed' },
  ];
  const journey = await call('POST', '/v1/journeys', plain, 201);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);

  await call('POST', '/v1/events', { event: 'lead.created', contact: { email: 'cai@example.com' } }, 202);
  await call('POST', '/v1/events', { event: 'lead.imported', contact: { email: 'dora@example.com' } }, 202);
  await waitFor(() => callsTo('/sorry-b').length === 1, { timeoutMs: 10000 });
  assert.deepEqual(emailsAt('/sorry-b'), ['cai@example.com']);
  assert.equal(callsTo('/sales-b').length, 0);
  let stats = await call('GET', `/v1/journeys/${refused.id}`, undefined, 200);
  assert.equal(stats.stats.w.failed, 1, JSON.stringify(stats.stats.w));
  assert.equal(stats.stats.w.succeeded, 0);

  await waitFor(async () => {
    stats = await call('GET', `/v1/journeys/${journey.id}`, undefined, 200);
    return stats.totals.exited === 1;
  }, { timeoutMs: 10000 });
  assert.equal(stats.stats.w.succeeded, 1, JSON.stringify(stats.stats.w));
  assert.equal(stats.stats.w.unmapped, 1);
  assert.equal((await contactOf('dora@example.com')).properties.lead_score, undefined);
  const deliveries = (await call('GET', `/v1/deliveries?webhook_id=${textHook}`, undefined, 200)).data;
  assert.equal(deliveries.length, 1);
  const detail = await call('GET', `/v1/deliveries/${deliveries[0].id}`, undefined, 200);
  assert.equal(detail.status, 'succeeded');
  assert.match(detail.attempts[0].note, /^response mapping: the answer is not a JSON object or array$/);
  assert.equal(detail.attempts[0].error, null);
});

test('a contact waiting for the answer survives kill -9 and goes on when the retry succeeds', async () => {
  const dataDir = tempDir();
  let node = await startServer({ dataDir, args: ['--retry-schedule', '0s,2s,2s,2s,2s,2s'] });
  try {
    const made = await node.api('POST', '/v1/journeys', scoringJourney(
      await webhook(node, 'CRM d', '/crm-flaky-d'), await webhook(node, 'Sales d', '/sales-d'),
      await webhook(node, 'Sorry d', '/sorry-d')));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await node.api('POST', `/v1/journeys/${made.body.id}/activate`);
    const started = await node.api('POST', '/v1/events', { event: 'lead.created', contact: { email: 'ana.d@example.com' } });
    assert.equal(started.status, 202);
    await waitFor(() => callsTo('/crm-flaky-d').length >= 1, { timeoutMs: 10000 });
    await node.kill();
    flakyUp = true;
    node = await startServer({ dataDir, args: ['--retry-schedule', '0s,2s,2s,2s,2s,2s'] });
    await waitFor(() => callsTo('/sales-d').length === 1, { timeoutMs: 30000 });
    assert.deepEqual(emailsAt('/sales-d'), ['ana.d@example.com']);
    const stats = (await node.api('GET', `/v1/journeys/${made.body.id}`)).body;
    assert.equal(stats.stats.w.succeeded, 1, JSON.stringify(stats.stats.w));
    assert.equal(stats.totals.waiting, 0);
  } finally {
    await node.stop();
  }
});

test('a response mapping that cannot work is refused with the field named', async () => {
  const { server } = env;
  const crm = await webhook(server, 'CRM e', '/crm-e');
  const count = (await server.api('GET', '/v1/journeys?limit=250')).body.data.length;
  const cases = [
    [{ webhook_id: crm, response_mapping: [{ from: '/a', to: 'a' }] }, 'blocks.w.config.response_mapping'],
    [{ webhook_id: crm, wait_for_response: true, response_mapping: [{ from: 'lead.score', to: 'a' }] },
      'blocks.w.config.response_mapping[0].from'],
    [{ webhook_id: crm, wait_for_response: true, response_mapping: [{ from: '/a', to: 'email' }] },
      'blocks.w.config.response_mapping[0].to'],
    [{ webhook_id: crm, wait_for_response: true, response_mapping: [{ from: '/a', to: 'a', type: 'date' }] },
      'blocks.w.config.response_mapping[0].type'],
  ];
  for (const [config, field] of cases) {
    const body = scoringJourney(crm, crm, crm);
    body.blocks[1].config = config;
    if (!config.wait_for_response) body.edges = [{ source: 't', target: 'w' }];
    const res = await server.api('POST', '/v1/journeys', body);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.field, field, JSON.stringify(res.body));
    assert.match(res.body.error.message, /^block w: /);
  }
  const plain = scoringJourney(crm, crm, crm);
  plain.edges[1] = { source: 'w', target: 'c' }; // a block that waits names its outputs
  const res = await server.api('POST', '/v1/journeys', plain);
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.match(res.body.error.message, /block w: .*succeeded or failed/);
  assert.equal((await server.api('GET', '/v1/journeys?limit=250')).body.data.length, count, 'nothing was made');
});

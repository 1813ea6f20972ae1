// /metrics as Prometheus reads it (issue 13): a well-formed text exposition (each family declared
// once, before its samples; histogram buckets cumulative up to +Inf = _count), and the series an
// operator graphs: try durations and end-to-end latency, tries by webhook and outcome, API
// requests by route pattern, the store writer's batches, and the age of the oldest due delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receiverByPath, serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver({ args: ['--retry-schedule', '0s,100ms'] });
const { call } = env;
const routes = receiverByPath({ '/fail': 500 });

// Every sample as {name, labels, value}, checking the format on the way.
function parse(text) {
  const types = new Map();
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const declared = /^# TYPE (\w+) (counter|gauge|histogram)$/.exec(line);
    if (declared) {
      assert.ok(!types.has(declared[1]), `${declared[1]} is declared twice`);
      types.set(declared[1], declared[2]);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const sample = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a sample line: ${line}`);
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const family = sample[1].replace(/_(bucket|sum|count)$/, '');
    const type = types.get(sample[1]) ?? types.get(family);
    assert.ok(type, `${sample[1]} has no # TYPE before it`);
    if (type !== 'histogram') assert.equal(family === sample[1] || types.has(sample[1]), true);
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

function value(samples, name, labels = {}) {
  const found = samples.filter((s) => s.name === name &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.length === 0 ? undefined : found.reduce((n, s) => n + s.value, 0);
}

function checkHistograms({ types, samples }) {
  for (const [name, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map();
    for (const s of samples.filter((x) => x.name === `${name}_bucket`)) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(rest);
      if (!series.has(key)) series.set(key, []);
      series.get(key).push({ le, value: s.value });
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) {
        assert.ok(buckets[i].value >= buckets[i - 1].value, `${name}${key} buckets go down`);
      }
      assert.equal(buckets.at(-1).le, '+Inf', `${name}${key} ends without +Inf`);
      const count = value(samples, `${name}_count`, JSON.parse(key));
      assert.equal(buckets.at(-1).value, count, `${name}${key}: +Inf bucket is not _count`);
    }
  }
}

test('the exposition is well formed and has the series operators graph', async () => {
  const ok = await call('POST', '/v1/webhooks', { name: 'Ok', url: `${routes.receiver.url}/ok`, events: ['m.order'] }, 201);
  const failing = await call('POST', '/v1/webhooks', { name: 'Fail', url: `${routes.receiver.url}/fail`, events: ['m.order'] }, 201);
  await call('POST', '/v1/events', { event: 'm.order', contact: { email: 'm@example.com' } }, 202);
  await call('GET', '/v1/webhooks', undefined, 200);
  await call('GET', `/v1/webhooks/${ok.id}`, undefined, 200);
  await call('GET', '/v1/no-such-route', undefined, 404);

  let parsed;
  await waitFor(async () => {
    const res = await fetch(`${env.server.baseUrl}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    parsed = parse(await res.text());
    // Both webhooks' tries are over: the failing one died, and the working one's try is counted
    // (under load it may finish after the other's second try).
    return value(parsed.samples, 'hookline_webhook_attempts_total', { webhook: failing.id, outcome: 'dead' }) === 1 &&
      value(parsed.samples, 'hookline_webhook_attempts_total', { webhook: ok.id, outcome: 'succeeded' }) === 1 &&
      value(parsed.samples, 'hookline_store_batches_total', { durability: 'redoable' }) >= 1;
  });
  checkHistograms(parsed);
  const { samples } = parsed;

  // Tries: one to the working webhook, two to the failing one (then it died).
  assert.equal(value(samples, 'hookline_attempt_duration_seconds_count'), 3);
  assert.equal(value(samples, 'hookline_delivery_latency_seconds_count'), 1);
  assert.equal(value(samples, 'hookline_webhook_attempts_total', { webhook: ok.id, outcome: 'succeeded' }), 1);
  assert.equal(value(samples, 'hookline_webhook_attempts_total', { webhook: ok.id, outcome: 'failed' }), 0);
  assert.equal(value(samples, 'hookline_webhook_attempts_total', { webhook: failing.id, outcome: 'failed' }), 2);

  // API requests by route pattern (an id never becomes a label), and the unrouted as "other".
  assert.equal(value(samples, 'hookline_http_requests_total', { method: 'POST', route: '/v1/events', code: '2xx' }), 1);
  assert.equal(value(samples, 'hookline_http_requests_total', { method: 'GET', route: '/v1/webhooks/{id}', code: '2xx' }), 1);
  assert.equal(value(samples, 'hookline_http_requests_total', { route: 'other', code: '4xx' }), 1);
  assert.ok(!samples.some((s) => s.labels.route?.includes(ok.id)));
  assert.equal(value(samples, 'hookline_http_request_duration_seconds_count', { method: 'GET', route: '/v1/webhooks' }), 1);

  // The writer's batches, and the queue: nothing due, so the oldest due waits 0 s.
  assert.ok(value(samples, 'hookline_store_batch_jobs_count') >= 2);
  assert.ok(value(samples, 'hookline_store_batch_jobs_sum') >= value(samples, 'hookline_store_batch_jobs_count'));
  assert.ok(value(samples, 'hookline_store_batch_seconds_count') >= 2);
  // The event waited for the disk; the outcomes of its tries did not need to (waited for above).
  assert.ok(value(samples, 'hookline_store_batches_total', { durability: 'acknowledged' }) >= 1);
  assert.equal(value(samples, 'hookline_queue_oldest_due_seconds'), 0);
  assert.equal(value(samples, 'hookline_breaker_transitions_total', { to: 'open' }), 0);
  // One custom event was sent (m.order); no system one (contact.create, email.click, ...).
  assert.equal(value(samples, 'hookline_events_ingested_total', { class: 'custom' }), 1);
  assert.equal(value(samples, 'hookline_events_ingested_total', { class: 'system' }), 0);

  // The allocator the binary runs on: jemalloc in a release build, the sanitizers' own in the
  // test build. scripts/test.sh runs this file against the release binary too, saying which.
  const build = samples.filter((s) => s.name === 'hookline_build_info');
  assert.equal(build.length, 1);
  assert.match(build[0].labels.allocator, /^(system|jemalloc \d+\.\d+\.\d+)$/);
  if (process.env.HOOKLINE_TEST_ALLOCATOR) {
    assert.ok(build[0].labels.allocator.startsWith(process.env.HOOKLINE_TEST_ALLOCATOR),
      `allocator ${build[0].labels.allocator}, expected ${process.env.HOOKLINE_TEST_ALLOCATOR}`);
  }
});

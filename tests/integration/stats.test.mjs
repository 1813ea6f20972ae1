// The console's numbers, kept by the server (issue 13): GET /v1/stats counts every try of the
// workspace's deliveries per webhook and minute, and reads them back over the last hour, day or
// week, in total, per step of time and per webhook. A webhook whose only delivery failed every
// try has a success rate of 0, not none; Test calls are not counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receiverByPath, serverAndReceiver, waitFor } from './lib/harness.mjs';

// Two tries a delivery: a failing receiver's deliveries die fast, before its breaker opens.
const env = serverAndReceiver({ args: ['--retry-schedule', '0s,100ms'] });
const { call } = env;
const routes = receiverByPath({ '/fail': 500 });

const sum = (series, field) => series.reduce((n, point) => n + point[field], 0);

test('every try counts, per webhook and per step, with success rate and latency', async () => {
  const ok = await call('POST', '/v1/webhooks', {
    name: 'Works', url: `${routes.receiver.url}/ok`, events: ['stats.order'],
  }, 201);
  // Every try fails.
  const failing = await call('POST', '/v1/webhooks', {
    name: 'Broken', url: `${routes.receiver.url}/fail`, events: ['stats.order'],
  }, 201);
  for (const email of ['a@example.com', 'b@example.com']) {
    await call('POST', '/v1/events', { event: 'stats.order', contact: { email } }, 202);
  }

  let stats;
  await waitFor(async () => {
    stats = await call('GET', '/v1/stats', undefined, 200);
    return stats.totals.attempts === 6 && stats.totals.dead === 2;
  });
  assert.equal(stats.window, '24h');
  assert.equal(stats.step_ms, 15 * 60_000);
  assert.equal(stats.series.length, 96);
  assert.equal(stats.until - stats.from, 24 * 3600_000);
  assert.equal(stats.from % stats.step_ms, 0);
  assert.ok(stats.until > Date.now() - 60_000 && stats.until <= Date.now() + stats.step_ms);
  assert.deepEqual(stats.series.map((p) => p.at), stats.series.map((_, i) => stats.from + i * stats.step_ms));
  assert.equal(sum(stats.series, 'attempts'), 6);
  assert.equal(sum(stats.series, 'succeeded'), 2);

  assert.deepEqual(
    { ...stats.totals, latency_p50_ms: null, latency_p95_ms: null },
    { attempts: 6, succeeded: 2, failed: 4, dead: 2, success_rate: 0.3333, latency_p50_ms: null, latency_p95_ms: null });
  assert.ok(Number.isInteger(stats.totals.latency_p50_ms) && stats.totals.latency_p50_ms >= 0);
  assert.ok(stats.totals.latency_p95_ms >= stats.totals.latency_p50_ms);

  const byId = Object.fromEntries(stats.webhooks.map((w) => [w.webhook_id, w]));
  assert.equal(byId[ok.id].name, 'Works');
  assert.equal(byId[ok.id].attempts, 2);
  assert.equal(byId[ok.id].success_rate, 1);
  assert.equal(byId[failing.id].name, 'Broken');
  assert.equal(byId[failing.id].attempts, 4);
  assert.equal(byId[failing.id].dead, 2);
  // Its only deliveries failed every try: a rate of 0, not "no data".
  assert.equal(byId[failing.id].success_rate, 0);

  // One webhook's window: its tries only, and the hour's 60 steps of a minute.
  const one = await call('GET', `/v1/stats?window=1h&webhook_id=${failing.id}`, undefined, 200);
  assert.equal(one.webhook_id, failing.id);
  assert.equal(one.webhooks, undefined);
  assert.equal(one.series.length, 60);
  assert.equal(one.step_ms, 60_000);
  assert.equal(one.totals.attempts, 4);
  assert.equal(one.totals.success_rate, 0);
  const week = await call('GET', '/v1/stats?window=7d', undefined, 200);
  assert.equal(week.series.length, 168);
  assert.equal(week.totals.attempts, 6);

  // Test calls are not deliveries: not counted.
  const report = await call('POST', `/v1/webhooks/${ok.id}/test`, undefined, 200);
  assert.equal(report.success, true);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await call('GET', '/v1/stats', undefined, 200)).totals.attempts, 6);
});

test('a window other than 1h, 24h or 7d, or an unknown webhook, is refused', async () => {
  const bad = await call('GET', '/v1/stats?window=2h', undefined, 400);
  assert.equal(bad.error.code, 'validation_error');
  assert.equal(bad.error.field, 'window');
  assert.match(bad.error.message, /1h, 24h or 7d/);
  const unknown = await call('GET', '/v1/stats?webhook_id=no-such-webhook', undefined, 404);
  assert.equal(unknown.error.code, 'not_found');
});

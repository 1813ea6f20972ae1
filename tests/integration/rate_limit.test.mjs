// The management API's rate limit per API key (--api-rate-limit): a 429 with Retry-After over it,
// ingest never counted, and the key gets in again once the time it was told has passed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';

let server;
before(async () => {
  server = await startServer({ args: ['--api-rate-limit', '5'] });
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0);
});

test('a key over its rate is told when to come back; events are never refused for it', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, () => server.api('GET', '/v1/webhooks')));
  const ok = answers.filter((a) => a.status === 200).length;
  const refused = answers.filter((a) => a.status === 429);
  assert.ok(ok >= 5 && ok <= 15, `a second's burst of 5, and what refilled meanwhile, went through: ${ok}`);
  assert.equal(ok + refused.length, 20);
  for (const answer of refused) {
    assert.equal(answer.body.error.code, 'rate_limited');
    assert.equal(answer.headers.get('retry-after'), '1');
  }

  const events = await Promise.all(Array.from({ length: 30 }, (_, i) => server.api('POST', '/v1/events', {
    event: 'limits.rate', contact: { email: `rate${i}@example.com` },
  })));
  assert.deepEqual([...new Set(events.map((e) => e.status))], [202], 'ingest is not rate limited');

  await new Promise((resolve) => setTimeout(resolve, 1100));
  const again = await server.api('GET', '/v1/webhooks');
  assert.equal(again.status, 200, 'after Retry-After the key gets in');
});

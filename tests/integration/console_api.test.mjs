// What the console needs from the API (issue 13): Test of an edited, unsaved version of a saved
// webhook (secrets left masked keep the stored ones, the stored secret signs); the journeys list
// with its counts; Test samples the event the webhook listens to, and a journey when the
// templates speak of one; the same webhook-id form on a test as on a delivery; header values
// outside ASCII sent percent-encoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedSignature, serverAndReceiver, startReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('Test sends the form\'s edits of a saved webhook, with the stored password and signing secret', async () => {
  const saved = await call('POST', '/v1/webhooks', {
    name: 'CRM', url: `${env.receiver.url}/saved`, auth: { type: 'basic', username: 'ana', password: 'stored-pass-123' },
  }, 201);
  const shown = await call('GET', `/v1/webhooks/${saved.id}`, undefined, 200);
  const before = env.receiver.requests.length;
  const report = await call('POST', `/v1/webhooks/${saved.id}/test`, {
    webhook: { url: `${env.receiver.url}/edited`, auth: shown.auth, headers: [{ name: 'X-Edit', value: 'yes' }] },
  }, 200);
  assert.equal(report.success, true);
  const got = env.receiver.requests[before];
  assert.equal(got.url, '/edited');
  assert.equal(got.headers['x-edit'], 'yes');
  assert.equal(got.headers.authorization, `Basic ${Buffer.from('ana:stored-pass-123').toString('base64')}`);
  assert.equal(got.headers['webhook-signature'],
    expectedSignature(saved.secret, got.headers['webhook-id'], got.headers['webhook-timestamp'], got.body));
  // Nothing was saved.
  assert.equal((await call('GET', `/v1/webhooks/${saved.id}`, undefined, 200)).url, `${env.receiver.url}/saved`);
  const bad = await call('POST', `/v1/webhooks/${saved.id}/test`, { webhook: { url: 'not a url' } }, 400);
  assert.equal(bad.error.field, 'webhook.url');

  // Edits aimed at another host get neither the stored password nor the stored signing secret.
  const elsewhere = await startReceiver();
  try {
    const other = await call('POST', `/v1/webhooks/${saved.id}/test`, {
      webhook: { url: `${elsewhere.url}/steal`, auth: shown.auth },
      sample: { contact: { first_name: 'Ana' } },
    }, 200);
    assert.equal(other.success, true);
    const stolen = elsewhere.requests[0];
    assert.equal(stolen.headers.authorization, `Basic ${Buffer.from('ana:').toString('base64')}`);
    assert.notEqual(stolen.headers['webhook-signature'],
      expectedSignature(saved.secret, stolen.headers['webhook-id'], stolen.headers['webhook-timestamp'], stolen.body));
  } finally {
    await elsewhere.close();
  }
});

test('the journeys list carries each journey\'s counts', async () => {
  const journey = await call('POST', '/v1/journeys', {
    name: 'Counted',
    blocks: [{ id: 't', type: 'trigger', config: { event: 'counted.event' } }, { id: 'x', type: 'exit' }],
    edges: [{ source: 't', target: 'x' }],
  }, 201);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);
  for (const email of ['a@example.com', 'b@example.com']) {
    await call('POST', '/v1/events', { event: 'counted.event', contact: { email } }, 202);
  }
  await waitFor(async () => {
    const list = await call('GET', '/v1/journeys', undefined, 200);
    return list.data.find((j) => j.id === journey.id)?.stats?.t?.entered === 2;
  });
});

test('Test samples the event the webhook listens to, and a journey when its templates use one', async () => {
  const clicks = await call('POST', '/v1/webhooks', {
    name: 'Clicks', url: `${env.receiver.url}/clicks`, events: ['email.click'],
    custom_payload: { campaign: '{{event.campaign_name}}' },
  }, 201);
  const report = await call('POST', `/v1/webhooks/${clicks.id}/test`, undefined, 200);
  assert.deepEqual(report.warnings, []);
  const body = JSON.parse(report.request.body);
  assert.equal(body.event, 'email.click');
  assert.equal(body.data.custom_data.campaign, 'Sample');
  assert.equal(body.data.event_details.campaign_name, 'Sample');

  const inJourney = await call('POST', '/v1/webhooks', {
    name: 'From a journey', url: `${env.receiver.url}/journey`,
    headers: [{ name: 'X-Journey', value: '{{journey.name}}' }],
  }, 201);
  const journeyReport = await call('POST', `/v1/webhooks/${inJourney.id}/test`, undefined, 200);
  assert.deepEqual(journeyReport.warnings, []);
  assert.equal(journeyReport.request.headers['X-Journey'], 'Sample journey');
});

test('a test and a delivery carry the same form of webhook-id; header values outside ASCII go percent-encoded', async () => {
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Ids', url: `${env.receiver.url}/ids`, events: ['ids.event'],
    headers: [{ name: 'X-Name', value: '{{contact.first_name}} → CRM' }],
  }, 201);
  const report = await call('POST', `/v1/webhooks/${hook.id}/test`, { sample: { contact: { first_name: 'João' } } }, 200);
  const tested = env.receiver.requests.at(-1);
  assert.match(tested.headers['webhook-id'], UUID);
  assert.equal(tested.headers['x-name'], 'Jo%C3%A3o %E2%86%92 CRM');
  assert.equal(decodeURIComponent(tested.headers['x-name']), 'João → CRM');
  assert.ok(report.warnings.some((w) => w.includes('X-Name') && w.includes('percent-encoded')), JSON.stringify(report.warnings));

  const before = env.receiver.requests.length;
  await call('POST', '/v1/events', { event: 'ids.event', contact: { email: 'ids@example.com', first_name: 'João' } }, 202);
  await waitFor(() => env.receiver.requests.length > before);
  const delivered = env.receiver.requests[before];
  assert.match(delivered.headers['webhook-id'], UUID);
  assert.equal(delivered.headers['x-name'], 'Jo%C3%A3o %E2%86%92 CRM');
});

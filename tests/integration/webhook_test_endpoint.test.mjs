// The Test button (SPEC 6) against real receivers: what the receiver gets, and what the report says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver, expectedSignature } from './lib/harness.mjs';

let server;
const receivers = {};

before(async () => {
  server = await startServer();
  receivers.ok = await startReceiver(() => ({ status: 200, headers: { 'x-receiver': 'yes' }, body: 'thanks' }));
  receivers.created = await startReceiver(() => ({ status: 201, body: 'created' }));
  receivers.failing = await startReceiver(() => ({ status: 500, body: 'boom' }));
  receivers.silent = await startReceiver(() => null);
});

after(async () => {
  await server.stop();
  for (const r of Object.values(receivers)) await r.close();
});

const webhookFor = (receiver, extra = {}) => ({
  name: 'Billing',
  url: `${receiver.url}/hooks/{{contact.id}}?email={{contact.email}}&city={{contact.city}}`,
  auth: { type: 'basic', username: 'ana', password: 's3cret-pass' },
  headers: [{ name: 'X-Shop', value: 'loja-{{contact.first_name | upcase}}' }],
  custom_payload: { name: '{{contact.first_name}}', 'salário': '{{contact.salary}}', idade: '{{contact.age}}' },
  ...extra,
});

test('a saved webhook test reaches the receiver with auth, headers, placeholders and a valid signature', async () => {
  const created = await server.api('POST', '/v1/webhooks', webhookFor(receivers.ok));
  assert.equal(created.status, 201);
  const secret = created.body.secret;
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);

  const before = receivers.ok.requests.length;
  const res = await server.api('POST', `/v1/webhooks/${created.body.id}/test`, {
    sample: { contact: { id: '42', email: 'maria@example.com', first_name: 'Maria', city: 'São Paulo', salary: 1234.5, age: 31 } },
  });
  assert.equal(res.status, 200);
  const report = res.body;
  assert.equal(report.success, true);
  assert.equal(report.status, 200);
  assert.equal(report.error, null);
  assert.equal(report.response.status, 200);
  assert.equal(report.response.body, 'thanks');
  assert.equal(report.response.headers['x-receiver'] ?? report.response.headers['X-Receiver'], 'yes');
  assert.ok(report.duration_ms >= 0);

  assert.equal(receivers.ok.requests.length, before + 1);
  const got = receivers.ok.requests.at(-1);
  assert.equal(got.method, 'POST');
  assert.equal(got.url, '/hooks/42?email=maria@example.com&city=S%C3%A3o%20Paulo');
  assert.equal(got.headers.authorization, 'Basic ' + Buffer.from('ana:s3cret-pass').toString('base64'));
  assert.equal(got.headers['x-shop'], 'loja-MARIA');
  assert.equal(got.headers['content-type'], 'application/json;charset=UTF-8');
  assert.match(got.headers['user-agent'], /^Hookline\//);

  const body = JSON.parse(got.body);
  assert.equal(body.event, 'list.add_contact');
  assert.equal(body.event_category, 'system');
  assert.equal(body.event_type, 'List');
  assert.equal(typeof body.event_time, 'number');
  assert.equal(body.data.contact.email, 'maria@example.com');
  assert.deepEqual(body.data.custom_data, { name: 'Maria', 'salário': 1234.5, idade: 31 });

  // Standard Webhooks: the receiver verifies with the secret it got at creation.
  const id = got.headers['webhook-id'];
  const timestamp = got.headers['webhook-timestamp'];
  assert.ok(id);
  assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60);
  assert.equal(got.headers['webhook-signature'], expectedSignature(secret, id, timestamp, got.body));

  // The report shows the request exactly as sent, with the password masked.
  assert.equal(report.request.method, 'POST');
  assert.equal(report.request.url, receivers.ok.url + got.url);
  assert.equal(report.request.body, got.body);
  assert.equal(report.request.headers['X-Shop'], 'loja-MARIA');
  assert.equal(report.request.headers.Authorization, 'Basic ****');
  assert.equal(report.request.headers['webhook-signature'], got.headers['webhook-signature']);
  assert.ok(!JSON.stringify(report).includes('s3cret-pass'));
  assert.deepEqual(report.warnings, []);
});

test('the default sample is the source document contact and missing values are warnings', async () => {
  const res = await server.api('POST', '/v1/webhooks/test', webhookFor(receivers.ok));
  assert.equal(res.status, 200);
  assert.equal(res.body.success, true);
  const got = receivers.ok.requests.at(-1);
  assert.equal(got.url, '/hooks/200?email=testuser@example.com&city=');
  const body = JSON.parse(got.body);
  assert.equal(body.data.contact.first_name, 'test_contact_fname');
  assert.equal(body.data.contact.mobile, '1234567890');
  assert.deepEqual(body.data.event_details, { list_id: '100', contact_id: '200' });
  assert.deepEqual(body.data.custom_data, { name: 'test_contact_fname', 'salário': '', idade: '' });
  assert.ok(res.body.warnings.some((w) => w.includes('contact.city')));
  assert.ok(res.body.warnings.some((w) => w.includes('contact.salary')));
});

test('token authentication goes in its header, with or without a prefix', async () => {
  await server.api('POST', '/v1/webhooks/test', {
    name: 'Bearer', url: `${receivers.ok.url}/t`, auth: { type: 'token', token: 'tok_123456789' },
  });
  assert.equal(receivers.ok.requests.at(-1).headers.authorization, 'Bearer tok_123456789');

  const res = await server.api('POST', '/v1/webhooks/test', {
    name: 'Key', url: `${receivers.ok.url}/t`, auth: { type: 'token', token: 'key_abcdefgh', header: 'X-Api-Key' },
  });
  const got = receivers.ok.requests.at(-1);
  assert.equal(got.headers['x-api-key'], 'key_abcdefgh');
  assert.equal(got.headers.authorization, undefined);
  assert.equal(res.body.request.headers['X-Api-Key'], '****');
});

test('201 is not a success for the Test button, 500 neither', async () => {
  const created = await server.api('POST', '/v1/webhooks/test', webhookFor(receivers.created));
  assert.equal(created.body.success, false);
  assert.equal(created.body.status, 201);
  assert.equal(created.body.response.body, 'created');

  const failed = await server.api('POST', '/v1/webhooks/test', webhookFor(receivers.failing));
  assert.equal(failed.body.success, false);
  assert.equal(failed.body.status, 500);
  assert.equal(failed.body.response.body, 'boom');
  assert.equal(receivers.failing.requests.length, 1, 'a test is never retried');
});

test('no answer within the timeout is a timeout error', async () => {
  const res = await server.api('POST', '/v1/webhooks/test', { ...webhookFor(receivers.silent), timeout_ms: 500 });
  assert.equal(res.status, 200);
  assert.equal(res.body.success, false);
  assert.equal(res.body.response, null);
  assert.equal(res.body.error.code, 'timeout');
});

test('a closed port is connect_refused', async () => {
  const gone = await startReceiver();
  const url = gone.url;
  await gone.close();
  const res = await server.api('POST', '/v1/webhooks/test', { name: 'Gone', url: `${url}/x` });
  assert.equal(res.body.success, false);
  assert.equal(res.body.error.code, 'connect_refused');
});

test('an unknown contact as sample is a 422 naming the field', async () => {
  const res = await server.api('POST', '/v1/webhooks/test', { ...webhookFor(receivers.ok), sample: { contact_id: 'nope' } });
  assert.equal(res.status, 422);
  assert.equal(res.body.error.field, 'sample.contact_id');
});

test('testing an unknown webhook id is a 404', async () => {
  const res = await server.api('POST', '/v1/webhooks/0190a3d2-0000-7000-8000-000000000000/test', {});
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'not_found');
});

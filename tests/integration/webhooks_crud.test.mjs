// Webhooks over the management API (SPEC 2, 9): create, list with paging, read, change, delete, and
// secrets that are shown once and masked afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startReceiver } from './lib/harness.mjs';

let server;
let receiver;

before(async () => {
  server = await startServer();
  receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
});

after(async () => {
  await server?.stop();
  await receiver?.close();
});

const PASSWORD = 's3cret-pass-4321';
const TOKEN = 'tok_live_abcdefghijklmnop';
const UNKNOWN_ID = '0190a3d2-0000-7000-8000-000000000000';

const billing = (extra = {}) => ({
  name: 'Billing',
  url: `${receiver.url}/hooks/{{contact.id}}?email={{contact.email}}`,
  method: 'PUT',
  auth: { type: 'basic', username: 'ana', password: PASSWORD },
  headers: [{ name: 'X-Shop', value: 'loja-1' }],
  custom_payload: { name: '{{contact.first_name}}', 'salário': '{{contact.salary}}' },
  events: ['list.add_contact', 'contact.create'],
  enabled: false,
  timeout_ms: 5000,
  ...extra,
});

async function create(body) {
  const res = await server.api('POST', '/v1/webhooks', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

// Every webhook, following next_cursor with the given page size.
async function listAll(limit) {
  const pages = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const query = `?limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const res = await server.api('GET', `/v1/webhooks${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(Array.isArray(res.body.data));
    assert.ok('next_cursor' in res.body, 'a page always says next_cursor, null at the end');
    pages.push(res.body);
    cursor = res.body.next_cursor;
    if (cursor === null) return pages;
    assert.equal(typeof cursor, 'string');
  }
  throw new Error('paging never ended');
}

function assertNoSecretsIn(value, ...secrets) {
  const text = JSON.stringify(value);
  for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} leaked in ${text}`);
}

test('create answers 201 with the webhook as saved and its signing secret', async () => {
  const before = Date.now();
  const res = await server.api('POST', '/v1/webhooks', billing());
  assert.equal(res.status, 201);
  const w = res.body;
  assert.equal(typeof w.id, 'string');
  assert.ok(w.id.length > 0);
  assert.equal(w.name, 'Billing');
  assert.equal(w.url, `${receiver.url}/hooks/{{contact.id}}?email={{contact.email}}`);
  assert.equal(w.method, 'PUT');
  assert.equal(w.auth.type, 'basic');
  assert.equal(w.auth.username, 'ana');
  assert.deepEqual(w.headers, [{ name: 'X-Shop', value: 'loja-1' }]);
  assert.deepEqual(w.custom_payload, { name: '{{contact.first_name}}', 'salário': '{{contact.salary}}' });
  assert.deepEqual(w.events, ['list.add_contact', 'contact.create']);
  assert.equal(w.enabled, false);
  assert.equal(w.timeout_ms, 5000);
  assert.match(w.secret, /^whsec_[A-Za-z0-9+/]{20,}=*$/);
  assert.ok(w.created_at >= before - 1000 && w.created_at <= Date.now() + 1000);
  // The password was given by the user: the answer need not (and should not) echo it.
  assertNoSecretsIn(w, PASSWORD);
});

test('defaults: POST, no auth, no headers, no custom payload, no events, enabled, 15 s timeout', async () => {
  const w = await create({ name: 'Minimal', url: 'https://example.com/hook' });
  assert.equal(w.method, 'POST');
  assert.equal(w.auth.type, 'none');
  assert.deepEqual(w.headers, []);
  assert.equal(w.custom_payload, null);
  assert.deepEqual(w.events, []);
  assert.equal(w.enabled, true);
  assert.equal(w.timeout_ms, 15000);
  assert.match(w.secret, /^whsec_/);
});

test('two webhooks get different ids and different secrets', async () => {
  const a = await create({ name: 'A', url: 'https://example.com/a' });
  const b = await create({ name: 'B', url: 'https://example.com/b' });
  assert.notEqual(a.id, b.id);
  assert.notEqual(a.secret, b.secret);
});

test('after creation the secret, the password and the token are never shown in full', async () => {
  const basic = await create(billing({ name: 'Masked basic' }));
  const token = await create({
    name: 'Masked token', url: 'https://example.com/t',
    auth: { type: 'token', token: TOKEN, header: 'X-Api-Key' },
  });
  const fullSecrets = [basic.secret, token.secret, PASSWORD, TOKEN];
  const secretBody = (s) => s.replace(/^whsec_/, '');

  for (const created of [basic, token]) {
    const got = await server.api('GET', `/v1/webhooks/${created.id}`);
    assert.equal(got.status, 200);
    assert.equal(typeof got.body.secret, 'string', 'GET still says there is a secret, masked');
    assert.notEqual(got.body.secret, created.secret);
    assert.ok(!got.body.secret.includes(secretBody(created.secret)));
    assertNoSecretsIn(got.body, ...fullSecrets.map(secretBody));
  }
  const gotBasic = (await server.api('GET', `/v1/webhooks/${basic.id}`)).body;
  assert.equal(gotBasic.auth.username, 'ana', 'the username is not a secret');
  assert.notEqual(gotBasic.auth.password, PASSWORD);
  const gotToken = (await server.api('GET', `/v1/webhooks/${token.id}`)).body;
  assert.equal(gotToken.auth.type, 'token');
  assert.equal(gotToken.auth.header, 'X-Api-Key');
  assert.notEqual(gotToken.auth.token, TOKEN);

  const pages = await listAll(250);
  const listed = pages.flatMap((p) => p.data);
  assert.ok(listed.some((w) => w.id === basic.id));
  assert.ok(listed.some((w) => w.id === token.id));
  assertNoSecretsIn(listed, ...fullSecrets.map(secretBody));

  // A PATCH answer is no way around it either.
  const patched = await server.api('PATCH', `/v1/webhooks/${basic.id}`, { name: 'Masked basic 2' });
  assert.equal(patched.status, 200);
  assertNoSecretsIn(patched.body, ...fullSecrets.map(secretBody));
});

test('the list pages with limit and cursor, every webhook once, next_cursor null at the end', async () => {
  const made = [];
  for (let i = 0; i < 5; i++) made.push((await create({ name: `Page ${i}`, url: `https://example.com/p${i}` })).id);

  const all = (await listAll(250)).flatMap((p) => p.data.map((w) => w.id));
  assert.equal(new Set(all).size, all.length, 'no webhook twice');
  for (const id of made) assert.ok(all.includes(id));
  const total = all.length;
  assert.ok(total >= 5);

  const pages = await listAll(2);
  assert.equal(pages.length, Math.ceil(total / 2));
  pages.forEach((p, i) => {
    const last = i === pages.length - 1;
    if (!last) assert.equal(p.data.length, 2);
    else assert.ok(p.data.length >= 1 && p.data.length <= 2);
    assert.equal(p.next_cursor === null, last);
  });
  assert.deepEqual(pages.flatMap((p) => p.data.map((w) => w.id)), all, 'the same webhooks in the same order');

  // A page that ends exactly at the last webhook says so.
  const exact = await server.api('GET', `/v1/webhooks?limit=${total}`);
  assert.equal(exact.status, 200);
  assert.equal(exact.body.data.length, total);
  assert.equal(exact.body.next_cursor, null);

  // limit=1 walks one at a time.
  const ones = await listAll(1);
  assert.equal(ones.length, total);
  assert.ok(ones.every((p) => p.data.length === 1));
});

test('the default page size is 50', async () => {
  const fresh = await startServer();
  try {
    for (let i = 0; i < 51; i++) {
      const res = await fresh.api('POST', '/v1/webhooks', { name: `W${i}`, url: `https://example.com/${i}` });
      assert.equal(res.status, 201);
    }
    const first = await fresh.api('GET', '/v1/webhooks');
    assert.equal(first.status, 200);
    assert.equal(first.body.data.length, 50);
    assert.equal(typeof first.body.next_cursor, 'string');
    const second = await fresh.api('GET', `/v1/webhooks?cursor=${encodeURIComponent(first.body.next_cursor)}`);
    assert.equal(second.body.data.length, 1);
    assert.equal(second.body.data[0].name, 'W50');
    assert.equal(second.body.next_cursor, null);
  } finally {
    await fresh.stop();
  }
});

test('GET one returns what was created, secret masked', async () => {
  const created = await create(billing({ name: 'Get me' }));
  const got = await server.api('GET', `/v1/webhooks/${created.id}`);
  assert.equal(got.status, 200);
  const { secret: _s1, auth: a1, ...restCreated } = created;
  const { secret: _s2, auth: a2, ...restGot } = got.body;
  assert.deepEqual(restGot, restCreated);
  assert.equal(a2.type, a1.type);
  assert.equal(a2.username, a1.username);
});

test('PATCH changes the name and leaves every other field as it was', async () => {
  const created = await create(billing({ name: 'Old name' }));
  const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, { name: 'New name' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.id, created.id);
  assert.equal(res.body.name, 'New name');
  assert.ok(res.body.updated_at >= created.updated_at);
  assert.equal(res.body.created_at, created.created_at);

  const got = (await server.api('GET', `/v1/webhooks/${created.id}`)).body;
  assert.equal(got.name, 'New name');
  for (const key of ['url', 'method', 'headers', 'custom_payload', 'events', 'enabled', 'timeout_ms']) {
    assert.deepEqual(got[key], created[key], key);
  }
  assert.equal(got.auth.username, 'ana');
});

test('PATCH of several fields at once, including emptying headers and events', async () => {
  const created = await create(billing({ name: 'Several' }));
  const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, {
    url: 'https://example.com/new/{{contact.id}}', method: 'PATCH', enabled: true, timeout_ms: 60000,
    headers: [], events: [], custom_payload: null,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const got = (await server.api('GET', `/v1/webhooks/${created.id}`)).body;
  assert.equal(got.url, 'https://example.com/new/{{contact.id}}');
  assert.equal(got.method, 'PATCH');
  assert.equal(got.enabled, true);
  assert.equal(got.timeout_ms, 60000);
  assert.deepEqual(got.headers, []);
  assert.deepEqual(got.events, []);
  assert.equal(got.custom_payload, null);
  assert.equal(got.name, 'Several');
});

test('PATCH of the auth username without the password keeps the stored password', async () => {
  const created = await create(billing({ name: 'Keep password', method: 'POST' }));
  const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, { auth: { type: 'basic', username: 'bob' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.auth.username, 'bob');
  assertNoSecretsIn(res.body, PASSWORD);

  const n = receiver.requests.length;
  const run = await server.api('POST', `/v1/webhooks/${created.id}/test`, {});
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.success, true, JSON.stringify(run.body));
  assert.equal(receiver.requests.length, n + 1);
  const got = receiver.requests.at(-1);
  assert.equal(got.headers.authorization, 'Basic ' + Buffer.from(`bob:${PASSWORD}`).toString('base64'));
  assertNoSecretsIn(run.body, PASSWORD);

  // A PATCH that does send a password replaces it.
  const changed = await server.api('PATCH', `/v1/webhooks/${created.id}`, {
    auth: { type: 'basic', username: 'bob', password: 'another-pass-999' },
  });
  assert.equal(changed.status, 200);
  await server.api('POST', `/v1/webhooks/${created.id}/test`, {});
  assert.equal(receiver.requests.at(-1).headers.authorization,
    'Basic ' + Buffer.from('bob:another-pass-999').toString('base64'));
});

test('PATCH with the webhook exactly as GET showed it keeps the real password, not the mask', async () => {
  // What a form does: load the webhook, change the name, send the whole object back.
  const created = await create(billing({ name: 'Round trip', method: 'POST' }));
  const shown = (await server.api('GET', `/v1/webhooks/${created.id}`)).body;
  const { id: _id, secret: _secret, created_at: _c, updated_at: _u, ...editable } = shown;
  const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, { ...editable, name: 'Round trip 2' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await server.api('POST', `/v1/webhooks/${created.id}/test`, {});
  assert.equal(receiver.requests.at(-1).headers.authorization,
    'Basic ' + Buffer.from(`ana:${PASSWORD}`).toString('base64'),
    `the masked password ${JSON.stringify(shown.auth.password)} was stored as the password`);
});

test('PATCH of the token header without the token keeps the stored token', async () => {
  const created = await create({
    name: 'Keep token', url: `${receiver.url}/t`, auth: { type: 'token', token: TOKEN },
  });
  const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, {
    auth: { type: 'token', header: 'X-Api-Key', prefix: '' },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const run = await server.api('POST', `/v1/webhooks/${created.id}/test`, {});
  assert.equal(run.status, 200);
  const got = receiver.requests.at(-1);
  assert.equal(got.headers['x-api-key'], TOKEN);
  assert.equal(got.headers.authorization, undefined);
});

test('switching auth to none drops the credentials', async () => {
  const created = await create(billing({ name: 'To none', method: 'POST' }));
  const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, { auth: { type: 'none' } });
  assert.equal(res.status, 200);
  assert.equal(res.body.auth.type, 'none');
  await server.api('POST', `/v1/webhooks/${created.id}/test`, {});
  assert.equal(receiver.requests.at(-1).headers.authorization, undefined);
});

test('a PATCH with one invalid field is refused and changes nothing', async () => {
  const created = await create(billing({ name: 'Unchanged' }));
  const stored = (await server.api('GET', `/v1/webhooks/${created.id}`)).body;

  const cases = [
    [{ name: 'Should not stick', timeout_ms: 0 }, 'timeout_ms'],
    [{ name: 'Should not stick', url: 'ftp://example.com/x' }, 'url'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ name: 'Should not stick', headers: [{ name: 'Host', value: 'evil.example' }] }, 'headers[0].name'],
    [{ name: 'Should not stick', events: ['Bad Event'] }, 'events[0]'],
    [{ name: 'Should not stick', method: 'DELETE' }, 'method'],
    [{ name: '' }, 'name'],
    [{ name: null }, 'name'],
  ];
  for (const [patch, field] of cases) {
    const res = await server.api('PATCH', `/v1/webhooks/${created.id}`, patch);
    assert.equal(res.status, 400, `${JSON.stringify(patch)} -> ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'validation_error');
    assert.equal(res.body.error.field, field);
    const after = (await server.api('GET', `/v1/webhooks/${created.id}`)).body;
    assert.deepEqual(after, stored, `${JSON.stringify(patch)} changed the webhook`);
  }

  const bad = await server.api('PATCH', `/v1/webhooks/${created.id}`, undefined, { raw: '{"name": "x"' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_json');
  assert.deepEqual((await server.api('GET', `/v1/webhooks/${created.id}`)).body, stored);
});

test('DELETE answers 204, then the webhook is gone', async () => {
  const created = await create({ name: 'Doomed', url: 'https://example.com/d' });
  const res = await server.api('DELETE', `/v1/webhooks/${created.id}`);
  assert.equal(res.status, 204);
  assert.equal(res.body, null, 'a 204 has no body');

  const got = await server.api('GET', `/v1/webhooks/${created.id}`);
  assert.equal(got.status, 404);
  assert.equal(got.body.error.code, 'not_found');
  const again = await server.api('DELETE', `/v1/webhooks/${created.id}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, 'not_found');
  const listed = (await listAll(250)).flatMap((p) => p.data.map((w) => w.id));
  assert.ok(!listed.includes(created.id));
  const tested = await server.api('POST', `/v1/webhooks/${created.id}/test`, {});
  assert.equal(tested.status, 404);
});

test('an unknown id is a 404 not_found on GET, PATCH and DELETE', async () => {
  for (const id of [UNKNOWN_ID, 'nope', 'x%20y']) {
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']]) {
      const res = await server.api(method, `/v1/webhooks/${id}`, body);
      assert.equal(res.status, 404, `${method} ${id}`);
      assert.equal(res.body.error.code, 'not_found');
      assert.equal(typeof res.body.error.message, 'string');
    }
  }
});

test('webhooks of the API answer JSON', async () => {
  const res = await server.api('GET', '/v1/webhooks?limit=1');
  assert.match(res.headers.get('content-type'), /^application\/json/);
});

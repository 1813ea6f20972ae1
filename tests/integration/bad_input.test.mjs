// Bad input to the management API (SPEC 4, 9): each is refused with the right status, error code and
// field, and leaves the store exactly as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, startReceiver, API_KEY } from './lib/harness.mjs';

let server;
let receiver;
let webhook; // a stored webhook, target of PATCH cases
let contact; // a stored contact
let list; // a stored list, with no members

before(async () => {
  server = await startServer();
  receiver = await startReceiver();
  const w = await server.api('POST', '/v1/webhooks', {
    name: 'Existing', url: `${receiver.url}/existing`, auth: { type: 'basic', username: 'ana', password: 'pw-123456789' },
    headers: [{ name: 'X-Shop', value: 'loja-1' }], events: ['contact.create'],
  });
  assert.equal(w.status, 201);
  webhook = w.body;
  const c = await server.api('POST', '/v1/contacts', { email: 'existing@example.com', first_name: 'Ex', properties: { a: 1 } });
  assert.equal(c.status, 201);
  contact = c.body;
  const l = await server.api('POST', '/v1/lists', { name: 'Existing list' });
  assert.equal(l.status, 201);
  list = l.body;
});

after(async () => {
  await server?.stop();
  await receiver?.close();
});

const UNKNOWN_ID = '0190a3d2-0000-7000-8000-000000000000';

async function listAll(srv, path) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await srv.api('GET', `${path}${sep}limit=250` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    assert.equal(res.status, 200, `GET ${path}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.data);
    cursor = res.body.next_cursor;
    if (cursor === null) return items;
  }
  throw new Error('paging never ended');
}

// Everything the store holds, as the API shows it.
async function snapshot(srv = server) {
  const lists = await listAll(srv, '/v1/lists');
  const members = {};
  for (const l of lists) members[l.id] = await listAll(srv, `/v1/lists/${l.id}/contacts`);
  return {
    webhooks: await listAll(srv, '/v1/webhooks'),
    contacts: await listAll(srv, '/v1/contacts'),
    lists,
    members,
  };
}

function assertError(res, { status, code, field, message }, what) {
  const context = `${what}: got ${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, context);
  assert.equal(typeof res.body, 'object', context);
  assert.ok(res.body?.error, context);
  assert.equal(res.body.error.code, code, context);
  assert.equal(typeof res.body.error.message, 'string', context);
  assert.ok(res.body.error.message.length > 0, context);
  if (field !== undefined) {
    if (Array.isArray(field)) assert.ok(field.includes(res.body.error.field), context);
    else assert.equal(res.body.error.field, field, context);
  }
  if (message) assert.match(res.body.error.message, message, context);
}

// Sends the request and checks both the error and that nothing in the store changed.
async function expectRefused(method, path, body, expected, { raw, srv = server, ...opts } = {}) {
  const before = await snapshot(srv);
  const res = await srv.api(method, path, raw === undefined ? body : undefined, { raw, ...opts });
  assertError(res, expected, `${method} ${path} ${raw ?? JSON.stringify(body)}`);
  assert.deepEqual(await snapshot(srv), before, `${method} ${path} changed the store`);
  return res;
}

const validWebhook = () => ({ name: 'Valid', url: `${receiver.url}/ok` });
const validation = (field, message) => ({ status: 400, code: 'validation_error', field, message });
const invalidJson = { status: 400, code: 'invalid_json', field: null };

// --- webhooks: each case is tried on create, on the unsaved Test, and (unless it is about a missing
// field) as a PATCH of the stored webhook.

const webhookCases = [
  // Not JSON, or not an object.
  { title: 'malformed JSON', raw: '{"name": "Billing", "url": ', expect: invalidJson },
  { title: 'JSON with trailing garbage', raw: () => JSON.stringify(validWebhook()) + ' x', expect: invalidJson },
  { title: 'a JSON array body', raw: () => JSON.stringify([validWebhook()]), expect: invalidJson },
  { title: 'a JSON string body', raw: '"Billing"', expect: invalidJson },
  { title: 'an empty body', raw: '', expect: invalidJson },
  // Wrong types.
  { title: 'name: 5', body: { name: 5 }, expect: validation('name') },
  { title: 'url: 5', body: { url: 5 }, expect: validation('url') },
  { title: 'enabled: "yes"', body: { enabled: 'yes' }, expect: validation('enabled') },
  { title: 'enabled: 1', body: { enabled: 1 }, expect: validation('enabled') },
  { title: 'timeout_ms: "x"', body: { timeout_ms: 'x' }, expect: validation('timeout_ms') },
  { title: 'timeout_ms: "5000"', body: { timeout_ms: '5000' }, expect: validation('timeout_ms') },
  { title: 'timeout_ms: 1500.5', body: { timeout_ms: 1500.5 }, expect: validation('timeout_ms') },
  { title: 'headers is an object', body: { headers: { 'X-Shop': '1' } }, expect: validation('headers') },
  { title: 'headers is a string', body: { headers: 'X-Shop: 1' }, expect: validation('headers') },
  { title: 'a header row is a string', body: { headers: ['X-Shop: 1'] }, expect: validation('headers[0]') },
  { title: 'a header value is a number', body: { headers: [{ name: 'X-Shop', value: 5 }] }, expect: validation('headers[0].value') },
  { title: 'events is a string', body: { events: 'list.add_contact' }, expect: validation('events') },
  { title: 'an event is a number', body: { events: [5] }, expect: validation('events[0]') },
  { title: 'auth is a string', body: { auth: 'basic' }, expect: validation('auth') },
  { title: 'custom_payload is an array', body: { custom_payload: ['a'] }, expect: validation('custom_payload') },
  { title: 'method: 5', body: { method: 5 }, expect: validation('method') },
  // Missing required fields.
  { title: 'no name', body: { name: undefined }, expect: validation('name'), patch: false },
  { title: 'no url', body: { url: undefined }, expect: validation('url'), patch: false },
  { title: 'empty name', body: { name: '' }, expect: validation('name') },
  { title: 'null name', body: { name: null }, expect: validation('name') },
  { title: 'empty url', body: { url: '' }, expect: validation('url') },
  { title: 'a 10,000 character name', body: { name: 'n'.repeat(10000) }, expect: validation('name') },
  // URLs that are not absolute http(s).
  ...['ftp://example.com/x', 'javascript:alert(1)', '/x', 'not a url', 'http://', 'mailto:a@example.com',
    'file:///etc/passwd', 'example.com/hook', '//example.com/hook'].map((url) => (
    { title: `url ${JSON.stringify(url)}`, body: { url }, expect: validation('url') })),
  // Placeholders where they would choose the destination.
  { title: 'a placeholder as the URL host', body: { url: 'http://{{contact.domain}}/x' }, expect: validation('url', /position 7\b/) },
  { title: 'a placeholder in the URL host', body: { url: 'https://shop-{{contact.id}}.example.com/x' }, expect: validation('url', /position 13\b/) },
  { title: 'a placeholder as the URL port', body: { url: 'http://example.com:{{contact.port}}/x' }, expect: validation('url', /position 19\b/) },
  { title: 'a placeholder in the URL user', body: { url: 'http://{{contact.user}}@example.com/x' }, expect: validation('url', /position 7\b/) },
  { title: 'the whole URL a placeholder', body: { url: '{{contact.url}}' }, expect: validation('url') },
  // Header rules.
  { title: 'CR LF in a header value', body: { headers: [{ name: 'X-Shop', value: 'a\r\nX-Injected: 1' }] }, expect: validation('headers[0].value') },
  { title: 'LF in a header value', body: { headers: [{ name: 'X-Shop', value: 'a\nb' }] }, expect: validation('headers[0].value') },
  { title: 'CR in a header value', body: { headers: [{ name: 'X-Shop', value: 'a\rb' }] }, expect: validation('headers[0].value') },
  { title: 'header name "X Shop"', body: { headers: [{ name: 'X Shop', value: '1' }] }, expect: validation('headers[0].name') },
  { title: 'header name "X-Shop:"', body: { headers: [{ name: 'X-Shop:', value: '1' }] }, expect: validation('headers[0].name') },
  { title: 'header name with CR LF', body: { headers: [{ name: 'X-A\r\nX-B', value: '1' }] }, expect: validation('headers[0].name') },
  { title: 'header name not ASCII', body: { headers: [{ name: 'X-Ünicode', value: '1' }] }, expect: validation('headers[0].name') },
  { title: 'empty header name', body: { headers: [{ name: '', value: '1' }] }, expect: validation('headers[0].name') },
  { title: 'header without a name', body: { headers: [{ value: '1' }] }, expect: validation('headers[0].name') },
  ...['Host', 'host', 'Content-Length', 'CONTENT-LENGTH', 'Transfer-Encoding', 'transfer-encoding',
    'webhook-signature', 'Webhook-Signature', 'WEBHOOK-ID', 'webhook-timestamp'].map((name) => (
    { title: `reserved header ${name}`, body: { headers: [{ name: 'X-Ok', value: '1' }, { name, value: 'x' }] }, expect: validation('headers[1].name') })),
  { title: 'a repeated header (any case)', body: { headers: [{ name: 'X-Shop', value: 'a' }, { name: 'x-shop', value: 'b' }] }, expect: validation('headers[1].name') },
  { title: 'a header clashing with basic auth', body: { auth: { type: 'basic', username: 'u', password: 'p' }, headers: [{ name: 'authorization', value: 'x' }] }, expect: validation('headers[0].name') },
  { title: 'a header clashing with token auth', body: { auth: { type: 'token', token: 't0k3n' }, headers: [{ name: 'Authorization', value: 'x' }] }, expect: validation('headers[0].name') },
  { title: 'a header clashing with a custom token header', body: { auth: { type: 'token', token: 't0k3n', header: 'X-Api-Key' }, headers: [{ name: 'x-api-key', value: 'x' }] }, expect: validation('headers[0].name') },
  { title: 'token auth in a reserved header', body: { auth: { type: 'token', token: 't0k3n', header: 'Host' } }, expect: validation('auth.header') },
  { title: 'token auth in an invalid header', body: { auth: { type: 'token', token: 't0k3n', header: 'X Key' } }, expect: validation('auth.header') },
  // Template syntax errors name the field and the position.
  { title: 'an unclosed placeholder in the url', body: { url: 'http://example.com/{{contact.id' }, expect: validation('url', /position 19\b/) },
  { title: 'an empty placeholder in the url', body: { url: 'http://example.com/a/{{ }}' }, expect: validation('url', /position 21\b/) },
  { title: 'an unknown filter in the url', body: { url: 'http://example.com/{{ contact.id | shout }}' }, expect: validation('url', /position 35\b/) },
  { title: 'an unclosed placeholder in a header value', body: { headers: [{ name: 'X-Shop', value: 'loja-{{contact.first_name' }] }, expect: validation('headers[0].value', /position 5\b/) },
  { title: 'an unknown filter in a header value', body: { headers: [{ name: 'X-A', value: 'a' }, { name: 'X-B', value: '{{contact.x|bogus}}' }] }, expect: validation('headers[1].value', /position 12\b/) },
  { title: 'an unclosed placeholder in a custom_payload value', body: { custom_payload: { ok: '{{contact.id}}', name: 'Hi {{contact.first_name' } }, expect: validation('custom_payload.name', /position 3\b/) },
  { title: 'an unterminated default in a custom_payload value (UTF-8 key)', body: { custom_payload: { 'salário': 'R$ {{contact.salary | default: "0}}' } }, expect: validation('custom_payload.salário', /position 31\b/) },
  // Event names.
  { title: 'event "Bad Event"', body: { events: ['Bad Event'] }, expect: validation('events[0]') },
  { title: 'event "a..b"', body: { events: ['list.add_contact', 'a..b'] }, expect: validation('events[1]') },
  ...['Contact.Create', '.a', 'a.', '', 'a-b', 'e'.repeat(300)].map((name) => (
    { title: `event ${JSON.stringify(name.slice(0, 20))}`, body: { events: [name] }, expect: validation('events[0]') })),
  // Ranges and choices.
  ...[0, 60001, -1, 1e12].map((timeout) => (
    { title: `timeout_ms ${timeout}`, body: { timeout_ms: timeout }, expect: validation('timeout_ms') })),
  ...['DELETE', 'GET', 'get', 'HEAD', 'CONNECT', ''].map((method) => (
    { title: `method ${JSON.stringify(method)}`, body: { method }, expect: validation('method') })),
  { title: 'an unknown auth type', body: { auth: { type: 'oauth2' } }, expect: validation('auth.type') },
  { title: 'auth without a type', body: { auth: { username: 'ana', password: 'x' } }, expect: validation('auth.type') },
  { title: 'basic auth without a username', body: { auth: { type: 'basic', password: 'x' } }, expect: validation('auth.username') },
  { title: 'basic auth with an empty username', body: { auth: { type: 'basic', username: '', password: 'x' } }, expect: validation('auth.username') },
  { title: 'basic auth with a colon in the username', body: { auth: { type: 'basic', username: 'a:b', password: 'x' } }, expect: validation('auth.username') },
  { title: 'basic auth with CR LF in the password', body: { auth: { type: 'basic', username: 'a', password: 'x\r\nX-Evil: 1' } }, expect: validation(['auth', 'auth.password']) },
  { title: 'token auth without a token', body: { auth: { type: 'token' } }, expect: validation('auth.token') },
  { title: 'token auth with an empty token', body: { auth: { type: 'token', token: '' } }, expect: validation('auth.token') },
];

function caseRequest(c) {
  if (c.raw !== undefined) return { raw: typeof c.raw === 'function' ? c.raw() : c.raw };
  const body = { ...validWebhook(), ...c.body };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body };
}

for (const c of webhookCases) {
  test(`webhook: ${c.title} is refused and stores nothing`, async () => {
    const { raw, body } = caseRequest(c);
    await expectRefused('POST', '/v1/webhooks', body, c.expect, { raw });

    // The Test button takes the same form: the same refusal, and no request goes out.
    const sent = receiver.requests.length;
    await expectRefused('POST', '/v1/webhooks/test', body, c.expect, { raw });
    assert.equal(receiver.requests.length, sent, 'a refused webhook was called');

    if (c.patch !== false) {
      const patch = raw !== undefined ? undefined : c.body;
      await expectRefused('PATCH', `/v1/webhooks/${webhook.id}`, patch, c.expect, { raw });
    }
  });
}

test('webhook: an unknown id is a 404 on GET, PATCH, DELETE and test', async () => {
  for (const [method, suffix, body] of [['GET', ''], ['PATCH', '', { name: 'x' }], ['DELETE', ''], ['POST', '/test', {}]]) {
    for (const id of [UNKNOWN_ID, 'not-an-id']) {
      await expectRefused(method, `/v1/webhooks/${id}${suffix}`, body, { status: 404, code: 'not_found' });
    }
  }
});

// --- contacts

const contactCases = [
  { title: 'malformed JSON', raw: '{"email": ', expect: invalidJson },
  { title: 'a JSON array body', raw: '[{"email": "new@example.com"}]', expect: invalidJson },
  { title: 'no email', body: { first_name: 'Maria' }, expect: validation('email'), patch: false },
  { title: 'email: 5', body: { email: 5 }, expect: validation('email') },
  ...['not-an-email', 'a@', '@example.com', 'a b@example.com', 'a@b@example.com', '', ' ', 'x'.repeat(300) + '@example.com'].map((email) => (
    { title: `email ${JSON.stringify(email.slice(0, 30))}`, body: { email }, expect: validation('email') })),
  { title: 'first_name: 5', body: { first_name: 5 }, expect: validation('first_name') },
  { title: 'mobile: 5', body: { mobile: 5 }, expect: validation('mobile') },
  { title: 'properties is a string', body: { properties: 'x' }, expect: validation('properties') },
  { title: 'properties is an array', body: { properties: [1] }, expect: validation('properties') },
  { title: 'an empty property name', body: { properties: { '': 1 } }, expect: validation('properties') },
];

for (const c of contactCases) {
  test(`contact: ${c.title} is refused and stores nothing`, async () => {
    const raw = c.raw;
    let createBody;
    if (raw === undefined) {
      createBody = 'email' in c.body || c.patch === false ? c.body : { email: 'brand-new@example.com', ...c.body };
    }
    await expectRefused('POST', '/v1/contacts', createBody, c.expect, { raw });
    // Upserting onto an existing contact must not change it either.
    if (raw === undefined && !('email' in c.body) && c.patch !== false) {
      await expectRefused('POST', '/v1/contacts', { email: contact.email, ...c.body }, c.expect);
    }
    if (c.patch !== false) {
      await expectRefused('PATCH', `/v1/contacts/${contact.id}`, raw === undefined ? c.body : undefined, c.expect, { raw });
    }
  });
}

test('contact: an invalid email in a lookup is a 400', async () => {
  await expectRefused('GET', '/v1/contacts?email=not-an-email', undefined, validation('email'));
});

test('contact: an unknown id is a 404 on GET, PATCH and DELETE', async () => {
  for (const [method, body] of [['GET'], ['PATCH', { first_name: 'x' }], ['DELETE']]) {
    await expectRefused(method, `/v1/contacts/${UNKNOWN_ID}`, body, { status: 404, code: 'not_found' });
  }
});

// --- lists

test('list: bad bodies on create are refused and store nothing', async () => {
  await expectRefused('POST', '/v1/lists', undefined, invalidJson, { raw: '{"name": ' });
  await expectRefused('POST', '/v1/lists', undefined, invalidJson, { raw: '[{"name": "A"}]' });
  await expectRefused('POST', '/v1/lists', {}, validation('name'));
  await expectRefused('POST', '/v1/lists', { name: '' }, validation('name'));
  await expectRefused('POST', '/v1/lists', { name: 5 }, validation('name'));
  await expectRefused('POST', '/v1/lists', { name: 'n'.repeat(10000) }, validation('name'));
});

test('list: an unknown id is a 404 on GET, DELETE and membership', async () => {
  await expectRefused('GET', `/v1/lists/${UNKNOWN_ID}`, undefined, { status: 404, code: 'not_found' });
  await expectRefused('DELETE', `/v1/lists/${UNKNOWN_ID}`, undefined, { status: 404, code: 'not_found' });
  await expectRefused('GET', `/v1/lists/${UNKNOWN_ID}/contacts`, undefined, { status: 404, code: 'not_found' });
  await expectRefused('POST', `/v1/lists/${UNKNOWN_ID}/contacts`, { contact_ids: [contact.id] }, { status: 404, code: 'not_found' });
  await expectRefused('DELETE', `/v1/lists/${UNKNOWN_ID}/contacts/${contact.id}`, undefined, { status: 404, code: 'not_found' });
  await expectRefused('DELETE', `/v1/lists/${list.id}/contacts/${UNKNOWN_ID}`, undefined, { status: 404, code: 'not_found' });
});

test('list: unknown contact_ids are a 422 and no member is added, not even the valid ones', async () => {
  const res = await expectRefused('POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id, UNKNOWN_ID] },
    { status: 422, code: 'unprocessable', field: 'contact_ids' });
  assert.match(res.body.error.message, new RegExp(UNKNOWN_ID));
  const got = await server.api('GET', `/v1/lists/${list.id}`);
  assert.equal(got.body.member_count, 0);
  const members = await server.api('GET', `/v1/lists/${list.id}/contacts`);
  assert.deepEqual(members.body.data, []);
});

test('list: bad membership bodies are refused and add nothing', async () => {
  const path = `/v1/lists/${list.id}/contacts`;
  await expectRefused('POST', path, undefined, invalidJson, { raw: '{"contact_ids": [' });
  await expectRefused('POST', path, undefined, invalidJson, { raw: JSON.stringify([contact.id]) });
  await expectRefused('POST', path, {}, validation(['contact_ids', 'emails']));
  await expectRefused('POST', path, { contact_ids: [contact.id], emails: ['x@example.com'] }, validation(['contact_ids', 'emails']));
  await expectRefused('POST', path, { contact_ids: contact.id }, validation('contact_ids'));
  await expectRefused('POST', path, { contact_ids: [] }, validation('contact_ids'));
  await expectRefused('POST', path, { contact_ids: [5] }, validation('contact_ids[0]'));
  await expectRefused('POST', path, { emails: 'x@example.com' }, validation('emails'));
  await expectRefused('POST', path, { emails: ['not-an-email'] }, validation('emails[0]'));
});

test('list: an invalid email among valid ones creates no contact and adds no member', async () => {
  await expectRefused('POST', `/v1/lists/${list.id}/contacts`,
    { emails: ['first-valid@example.com', 'second-valid@example.com', 'not an email'] }, validation('emails[2]'));
  const found = await server.api('GET', '/v1/contacts?email=first-valid@example.com');
  assert.deepEqual(found.body.data, []);
});

// --- keys

const protectedRoutes = () => [
  ['GET', '/v1/webhooks'], ['POST', '/v1/webhooks', validWebhook()], ['GET', `/v1/webhooks/${webhook.id}`],
  ['PATCH', `/v1/webhooks/${webhook.id}`, { name: 'Hijacked' }], ['DELETE', `/v1/webhooks/${webhook.id}`],
  ['POST', '/v1/webhooks/test', validWebhook()], ['POST', `/v1/webhooks/${webhook.id}/test`, {}],
  ['GET', '/v1/contacts'], ['POST', '/v1/contacts', { email: 'intruder@example.com' }],
  ['GET', `/v1/contacts/${contact.id}`], ['PATCH', `/v1/contacts/${contact.id}`, { first_name: 'Hijacked' }],
  ['DELETE', `/v1/contacts/${contact.id}`],
  ['GET', '/v1/lists'], ['POST', '/v1/lists', { name: 'Intruders' }], ['GET', `/v1/lists/${list.id}`],
  ['POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id] }], ['DELETE', `/v1/lists/${list.id}`],
];

for (const [title, opts] of [
  ['a missing API key', { key: null }],
  ['a wrong API key', { key: 'hk_wrong_key_123456' }],
  ['the right key with a prefix added', { key: null, headers: () => ({ authorization: 'Bearer x' + 'hk_test_key_for_integration' }) }],
  ['a Basic authorization', { key: null, headers: () => ({ authorization: 'Basic ' + Buffer.from('hk_test_key_for_integration:').toString('base64') }) }],
  ['an empty Bearer', { key: null, headers: () => ({ authorization: 'Bearer ' }) }],
  ['the key without a scheme', { key: null, headers: () => ({ authorization: 'hk_test_key_for_integration' }) }],
]) {
  test(`auth: ${title} is a 401 everywhere under /v1 and changes nothing`, async () => {
    const sent = receiver.requests.length;
    for (const [method, path, body] of protectedRoutes()) {
      const res = await expectRefused(method, path, body, { status: 401, code: 'unauthorized' },
        { key: opts.key, headers: opts.headers ? opts.headers() : {} });
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/i, `${method} ${path}`);
      assert.ok(!JSON.stringify(res.body).includes(webhook.name), 'a 401 shows no data');
    }
    assert.equal(receiver.requests.length, sent, 'an unauthenticated test call went out');
  });
}

// --- paging parameters

for (const limit of ['0', '1000', 'abc', '-1', '1.5', '', '10abc']) {
  test(`paging: limit=${JSON.stringify(limit)} is a 400 naming limit`, async () => {
    for (const path of ['/v1/webhooks', '/v1/contacts', '/v1/lists', `/v1/lists/${list.id}/contacts`]) {
      await expectRefused('GET', `${path}?limit=${encodeURIComponent(limit)}`, undefined, validation('limit'));
    }
  });
}

// --- body size

test('bodies over --max-body are a 413 and store nothing', async () => {
  const small = await startServer({ args: ['--max-body', '2048'] });
  try {
    const pad = (n, make) => {
      let body = make('');
      const text = JSON.stringify(body);
      body = make('x'.repeat(n - text.length));
      assert.equal(JSON.stringify(body).length, n);
      return body;
    };
    const bigWebhook = pad(4096, (p) => ({ name: 'Big', url: `${receiver.url}/big`, custom_payload: { pad: p } }));
    const bigContact = pad(4096, (p) => ({ email: 'big@example.com', properties: { pad: p } }));
    const bigList = pad(4096, (p) => ({ name: 'Big', pad: p }));
    const tooLarge = { status: 413, code: 'payload_too_large' };
    await expectRefused('POST', '/v1/webhooks', bigWebhook, tooLarge, { srv: small });
    await expectRefused('POST', '/v1/contacts', bigContact, tooLarge, { srv: small });
    await expectRefused('POST', '/v1/lists', bigList, tooLarge, { srv: small });
    const sent = receiver.requests.length;
    await expectRefused('POST', '/v1/webhooks/test', bigWebhook, tooLarge, { srv: small });
    assert.equal(receiver.requests.length, sent);

    // Under the limit the same request is taken: the limit is the one configured, not lower.
    const fits = pad(2000, (p) => ({ name: 'Fits', url: `${receiver.url}/fits`, custom_payload: { pad: p } }));
    const ok = await small.api('POST', '/v1/webhooks', fits);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal((await snapshot(small)).webhooks.length, 1);
  } finally {
    await small.stop();
  }
});

test('the default limit is 1 MiB', async () => {
  const body = { email: 'huge@example.com', properties: { pad: 'x'.repeat(1024 * 1024 + 100) } };
  await expectRefused('POST', '/v1/contacts', body, { status: 413, code: 'payload_too_large' });
  const near = { email: 'near@example.com', properties: { pad: 'x'.repeat(1000 * 1024) } };
  const res = await server.api('POST', '/v1/contacts', near);
  assert.equal(res.status, 201);
  assert.equal(res.body.properties.pad.length, 1000 * 1024);
  assert.equal((await server.api('DELETE', `/v1/contacts/${res.body.id}`)).status, 204);
});

// --- the request path: ids are split on the slashes sent, and decoded afterwards

test('path: an encoded slash is part of an id, not a separator', async () => {
  // Decoded first, /v1/webhooks/%2F was /v1/webhooks/ and answered with the whole list.
  await expectRefused('GET', '/v1/webhooks/%2F', undefined, { status: 404, code: 'not_found' });
  await expectRefused('GET', `/v1/webhooks/${webhook.id}%2Ftest`, undefined, { status: 404, code: 'not_found' });
  // L%2Fcontacts is one id: neither the members of L, nor a way to add one.
  await expectRefused('GET', `/v1/lists/${list.id}%2Fcontacts`, undefined, { status: 404, code: 'not_found' });
  await expectRefused('POST', `/v1/lists/${list.id}%2Fcontacts`, { contact_ids: [contact.id] },
    { status: 405, code: 'method_not_allowed' });
  await expectRefused('DELETE', `/v1/lists/${list.id}%2Fcontacts%2F${contact.id}`, undefined, { status: 404, code: 'not_found' });
});

test('path: other escapes are still decoded, and empty segments still ignored', async () => {
  const escaped = await server.api('GET', `/v1/%77ebhooks/${webhook.id.replace(/-/g, '%2D')}`);
  assert.equal(escaped.status, 200, JSON.stringify(escaped.body));
  assert.equal(escaped.body.id, webhook.id);
  const slashes = await server.api('GET', `//v1//webhooks//${webhook.id}/`);
  assert.equal(slashes.status, 200, JSON.stringify(slashes.body));
  assert.equal(slashes.body.id, webhook.id);
});

// --- error bodies are valid UTF-8 JSON, whatever bytes the path carried

// fetch's text() would quietly repair the bytes; the test must see them as sent.
async function strictUtf8Body(path) {
  const res = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${API_KEY}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);  // throws on invalid UTF-8
  return { status: res.status, body: JSON.parse(text) };
}

test('errors: invalid UTF-8 from the path comes back as U+FFFD in a valid JSON body', async () => {
  // An id (a route's parameter) and a path no route knows; a surrogate and an overlong '/'.
  for (const path of ['/v1/webhooks/%ff%fe', '/v1/%ff%fe', '/v1/lists/%ED%A0%80/contacts', '/v1/%C0%AF']) {
    const res = await strictUtf8Body(path);
    assert.equal(res.status, 404, `${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'not_found', path);
    assert.match(res.body.error.message, /\uFFFD/, path);
  }
  // Text that is valid UTF-8 is kept as it is.
  const valid = await strictUtf8Body('/v1/sal%C3%A1rio');
  assert.equal(valid.status, 404);
  assert.match(valid.body.error.message, /salário/);
});

// --- HEAD: the answer GET would give, without a body (RFC 9110 9.3.2)

// Sends the requests pipelined on one connection and splits what comes back by hand: a body sent
// after a HEAD answer would be read as the start of the next answer.
async function pipelined(requests) {
  const { hostname, port } = new URL(server.baseUrl);
  const text = requests.map(({ method, path, key }, i) => [
    `${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`,
    ...(key ? [`Authorization: Bearer ${API_KEY}`] : []),
    ...(i === requests.length - 1 ? ['Connection: close'] : []), '', ''].join('\r\n')).join('');
  const raw = await new Promise((resolve, reject) => {
    const chunks = [];
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(text));
    socket.setTimeout(10000, () => socket.destroy(new Error('no complete answer in 10 s')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => {
      socket.end();
      resolve(Buffer.concat(chunks));
    });
    socket.on('error', reject);
  });
  return splitResponses(raw, requests.map((r) => r.method));
}

function splitResponses(raw, methods) {
  const responses = [];
  let rest = raw;
  for (const method of methods) {
    const end = rest.indexOf('\r\n\r\n');
    assert.ok(end >= 0, `no complete answer to ${method} in ${JSON.stringify(rest.toString('latin1'))}`);
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    assert.match(statusLine, /^HTTP\/1\.1 \d{3} /, `the answer to ${method} starts with ${JSON.stringify(statusLine)}`);
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = method === 'HEAD' ? 0 : Number(headers['content-length'] ?? 0);
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.subarray(end + 4, end + 4 + length) });
    rest = rest.subarray(end + 4 + length);
  }
  assert.equal(rest.length, 0, `bytes after the last answer: ${JSON.stringify(rest.toString('latin1'))}`);
  return responses;
}

test('HEAD: a GET route answers as GET would, with no body, and the next answer on the connection is intact', async () => {
  const [head, get] = await pipelined([{ method: 'HEAD', path: '/healthz' }, { method: 'GET', path: '/healthz' }]);
  assert.equal(head.status, 200);
  assert.equal(get.status, 200);
  assert.equal(JSON.parse(get.body.toString('utf8')).status, 'ok');
  assert.equal(head.headers['content-type'], get.headers['content-type']);

  // The length announced is the length GET sends.
  const [headDoc, getDoc] = await pipelined([{ method: 'HEAD', path: '/openapi.json' }, { method: 'GET', path: '/openapi.json' }]);
  assert.equal(headDoc.status, 200);
  assert.ok(getDoc.body.length > 0);
  assert.equal(Number(headDoc.headers['content-length']), getDoc.body.length);
});

test('HEAD: API routes need the key as GET does, and answer as GET does', async () => {
  const [headOk, headNoKey, get] = await pipelined([
    { method: 'HEAD', path: `/v1/webhooks/${webhook.id}`, key: true },
    { method: 'HEAD', path: `/v1/webhooks/${webhook.id}` },
    { method: 'GET', path: `/v1/webhooks/${webhook.id}`, key: true },
  ]);
  assert.equal(headOk.status, 200);
  assert.equal(headNoKey.status, 401);
  assert.equal(get.status, 200);
  assert.equal(JSON.parse(get.body.toString('utf8')).id, webhook.id);
  const [headMissing, after] = await pipelined([
    { method: 'HEAD', path: `/v1/webhooks/${UNKNOWN_ID}`, key: true }, { method: 'GET', path: '/healthz' }]);
  assert.equal(headMissing.status, 404);
  assert.equal(after.status, 200);
});

test('HEAD: the web UI answers as GET would, without a body', async () => {
  for (const path of ['/', '/webhooks/some-page', '/assets/missing.js']) {
    const [head, get] = await pipelined([{ method: 'HEAD', path }, { method: 'GET', path }]);
    assert.equal(head.status, get.status, path);
    assert.equal(head.headers['content-type'], get.headers['content-type'], path);
    assert.equal(Number(head.headers['content-length']), get.body.length, path);
  }
});

test('HEAD on a route without GET is a 405 with no body', async () => {
  const [onTest, onEvents, onRotate, after] = await pipelined([
    { method: 'HEAD', path: `/v1/webhooks/${webhook.id}/test`, key: true },
    { method: 'HEAD', path: '/v1/events', key: true },
    { method: 'HEAD', path: `/v1/webhooks/${webhook.id}/rotate-secret`, key: true },
    { method: 'GET', path: '/healthz' },
  ]);
  for (const answer of [onTest, onEvents, onRotate]) {
    assert.equal(answer.status, 405);
    assert.equal(answer.headers['content-type'], 'application/json');
  }
  assert.equal(after.status, 200);
  assert.equal(JSON.parse(after.body.toString('utf8')).status, 'ok');
});

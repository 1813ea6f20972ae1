// Workspaces and keys with scopes (issue 12): an instance key makes workspaces and keys inside
// them; a key sees only its own workspace (another workspace's ids are 404 on every route, and
// its lists are empty); each scope is held to what it allows (403 forbidden_scope); a revoked
// key is refused at once and an expired one from its expiry (401, saying which); every change
// is in the audit log with the key that made it, secrets masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

async function makeKey(scope, extra = {}, key = API_KEY) {
  return call('POST', '/v1/api-keys', { name: `${scope} key`, scope, ...extra }, 201, key);
}

test('an instance key makes workspaces and keys in them; each key sees only its own workspace', async () => {
  const me = await call('GET', '/v1/me', undefined, 200);
  assert.equal(me.instance, true);
  assert.equal(me.scope, 'admin');

  const shop = await call('POST', '/v1/workspaces', { name: 'Loja 2' }, 201);
  assert.equal(shop.name, 'Loja 2');
  const workspaces = await call('GET', '/v1/workspaces', undefined, 200);
  assert.deepEqual(workspaces.data.map((w) => w.name).sort(), ['Default', 'Loja 2']);
  const theirs = await call('POST', `/v1/workspaces/${shop.id}/api-keys`, { name: 'Loja admin', scope: 'admin' }, 201);
  assert.match(theirs.key, /^hk_/);
  assert.equal(theirs.workspace_id, shop.id);
  assert.equal(theirs.instance, false);
  assert.equal(theirs.prefix, theirs.key.slice(0, 8));
  await call('POST', '/v1/workspaces/no-such-workspace/api-keys', { name: 'x', scope: 'read' }, 404);

  // The key is shown once: the list has its prefix, never the key.
  const listed = await call('GET', '/v1/api-keys', undefined, 200, theirs.key);
  assert.equal(listed.data.length, 1);
  assert.equal(listed.data[0].id, theirs.id);
  assert.equal(listed.data[0].key, undefined);
  assert.ok(!JSON.stringify(listed).includes(theirs.key));
  const theirMe = await call('GET', '/v1/me', undefined, 200, theirs.key);
  assert.equal(theirMe.workspace_name, 'Loja 2');
  assert.equal(theirMe.instance, false);
  // A workspace's admin does not manage workspaces.
  const refused = await call('GET', '/v1/workspaces', undefined, 403, theirs.key);
  assert.equal(refused.error.code, 'forbidden_scope');
  await call('POST', '/v1/workspaces', { name: 'Mine' }, 403, theirs.key);

  // Everything of the default workspace...
  const hook = await call('POST', '/v1/webhooks', { name: 'CRM', url: `${env.receiver.url}/crm`, events: ['order.paid'] }, 201);
  const contact = await call('POST', '/v1/contacts', { email: 'maria@example.com' }, 201);
  const list = await call('POST', '/v1/lists', { name: 'VIP' }, 201);
  await call('POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id] }, 200);
  const journey = await call('POST', '/v1/journeys', {
    name: 'Welcome',
    blocks: [{ id: 't', type: 'trigger', config: { event: 'signup' } }, { id: 'x', type: 'exit' }],
    edges: [{ source: 't', target: 'x' }],
  }, 201);
  await call('POST', '/v1/events', { event: 'order.paid', contact_id: contact.id }, 202);
  await waitFor(() => env.receiver.requests.length === 1);
  const deliveries = await call('GET', '/v1/deliveries', undefined, 200);
  const delivery = deliveries.data[0];
  await waitFor(async () => (await env.server.api('GET', `/v1/deliveries/${delivery.id}`)).body.status === 'succeeded');

  // ...is "not found" to the other workspace's key, on every route.
  const other = theirs.key;
  const routes = [
    ['GET', `/v1/webhooks/${hook.id}`], ['PATCH', `/v1/webhooks/${hook.id}`, { name: 'Mine now' }],
    ['POST', `/v1/webhooks/${hook.id}/test`, {}], ['POST', `/v1/webhooks/${hook.id}/rotate-secret`],
    ['POST', `/v1/webhooks/${hook.id}/recover`, { since: 0 }], ['DELETE', `/v1/webhooks/${hook.id}`],
    ['GET', `/v1/contacts/${contact.id}`], ['PATCH', `/v1/contacts/${contact.id}`, { first_name: 'X' }],
    ['DELETE', `/v1/contacts/${contact.id}`],
    ['GET', `/v1/lists/${list.id}`], ['GET', `/v1/lists/${list.id}/contacts`],
    ['POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id] }],
    ['DELETE', `/v1/lists/${list.id}/contacts/${contact.id}`], ['DELETE', `/v1/lists/${list.id}`],
    ['GET', `/v1/journeys/${journey.id}`], ['PUT', `/v1/journeys/${journey.id}`, { name: 'x', blocks: [], edges: [] }],
    ['POST', `/v1/journeys/${journey.id}/activate`], ['POST', `/v1/journeys/${journey.id}/pause`],
    ['DELETE', `/v1/journeys/${journey.id}`],
    ['GET', `/v1/deliveries/${delivery.id}`], ['POST', `/v1/deliveries/${delivery.id}/retry`],
  ];
  for (const [method, path, body] of routes) {
    const res = await env.server.api(method, path, body, { key: other });
    assert.equal(res.status, 404, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  for (const path of ['/v1/webhooks', '/v1/contacts', '/v1/lists', '/v1/journeys', '/v1/deliveries',
    `/v1/deliveries?webhook_id=${hook.id}`]) {
    const page = await call('GET', path, undefined, 200, other);
    assert.deepEqual(page.data, [], `${path} shows another workspace's data`);
  }
  // Its audit log has its own history only: made, and its key made in it.
  const history = await call('GET', '/v1/audit-log', undefined, 200, other);
  assert.deepEqual(history.data.map((e) => [e.action, e.resource_type, e.resource_id]).sort(),
    [['create', 'api_key', theirs.id], ['create', 'workspace', shop.id]]);
  // An event in the other workspace naming this one's contact is not taken, and reaches no
  // webhook of this workspace.
  const stray = await env.server.api('POST', '/v1/events', { event: 'order.paid', contact_id: contact.id }, { key: other });
  assert.ok(stray.status >= 400 && stray.status < 500, JSON.stringify(stray.body));
  await call('POST', '/v1/events', { event: 'order.paid', contact: { email: 'maria@example.com' } }, 202, other);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(env.receiver.requests.length, 1);
  // Nothing was changed by the refused calls.
  assert.equal((await call('GET', `/v1/webhooks/${hook.id}`, undefined, 200)).name, 'CRM');
  assert.equal((await call('GET', `/v1/lists/${list.id}`, undefined, 200)).member_count, 1);
});

test('each scope is held to what it allows', async () => {
  const read = await makeKey('read');
  const ingest = await makeKey('ingest');
  const write = await makeKey('write');

  await call('GET', '/v1/webhooks', undefined, 200, read.key);
  await call('GET', '/v1/me', undefined, 200, read.key);
  for (const [method, path, body] of [['POST', '/v1/webhooks', { name: 'x', url: `${env.receiver.url}/x` }],
    ['POST', '/v1/events', { event: 'a.b', contact: { email: 'a@example.com' } }], ['GET', '/v1/api-keys'],
    ['POST', '/v1/api-keys', { name: 'x', scope: 'admin' }]]) {
    const res = await env.server.api(method, path, body, { key: read.key });
    assert.equal(res.status, 403, `read ${method} ${path}`);
    assert.equal(res.body.error.code, 'forbidden_scope');
    assert.match(res.body.error.message, /scope is read/);
  }

  await call('POST', '/v1/events', { event: 'a.b', contact: { email: 'a@example.com' } }, 202, ingest.key);
  await call('POST', '/v1/events/batch', { events: [{ event: 'a.b', contact: { email: 'b@example.com' } }] }, 202, ingest.key);
  for (const [method, path] of [['GET', '/v1/webhooks'], ['GET', '/v1/contacts'], ['POST', '/v1/lists']]) {
    const res = await env.server.api(method, path, method === 'GET' ? undefined : { name: 'x' }, { key: ingest.key });
    assert.equal(res.status, 403, `ingest ${method} ${path}`);
    assert.equal(res.body.error.code, 'forbidden_scope');
  }

  const made = await call('POST', '/v1/webhooks', { name: 'By write', url: `${env.receiver.url}/w` }, 201, write.key);
  await call('DELETE', `/v1/webhooks/${made.id}`, undefined, 204, write.key);
  await call('GET', '/v1/api-keys', undefined, 403, write.key);
  await call('DELETE', `/v1/api-keys/${read.id}`, undefined, 403, write.key);

  const bad = await call('POST', '/v1/api-keys', { name: 'x', scope: 'owner' }, 400);
  assert.equal(bad.error.field, 'scope');
  const past = await call('POST', '/v1/api-keys', { name: 'x', scope: 'read', expires_at: Date.now() - 1000 }, 400);
  assert.equal(past.error.field, 'expires_at');
  const nameless = await call('POST', '/v1/api-keys', { scope: 'read' }, 400);
  assert.equal(nameless.error.field, 'name');
});

test('a revoked key is refused at once, an expired one from its expiry, and both say why', async () => {
  const doomed = await makeKey('read');
  await call('GET', '/v1/webhooks', undefined, 200, doomed.key);
  await call('DELETE', `/v1/api-keys/${doomed.id}`, undefined, 204);
  const revoked = await call('GET', '/v1/webhooks', undefined, 401, doomed.key);
  assert.equal(revoked.error.code, 'unauthorized');
  assert.match(revoked.error.message, /revoked/);
  await call('DELETE', `/v1/api-keys/${doomed.id}`, undefined, 404);
  assert.ok(!(await call('GET', '/v1/api-keys', undefined, 200)).data.some((k) => k.id === doomed.id));

  // A key cannot revoke itself (a browser signed in with it would lock itself out).
  const admin = await makeKey('admin');
  const self = await call('DELETE', `/v1/api-keys/${admin.id}`, undefined, 409, admin.key);
  assert.equal(self.error.code, 'conflict');
  // A workspace admin does not revoke the instance key.
  const me = await call('GET', '/v1/me', undefined, 200);
  await call('DELETE', `/v1/api-keys/${me.id}`, undefined, 404, admin.key);

  const shortLived = await makeKey('read', { expires_at: Date.now() + 1500 });
  await call('GET', '/v1/webhooks', undefined, 200, shortLived.key);
  await waitFor(async () => (await env.server.api('GET', '/v1/webhooks', undefined, { key: shortLived.key })).status === 401,
    { timeoutMs: 5000, intervalMs: 100 });
  const expired = await call('GET', '/v1/webhooks', undefined, 401, shortLived.key);
  assert.match(expired.error.message, /expired at \d{4}-\d\d-\d\dT/);
  const unknown = await call('GET', '/v1/webhooks', undefined, 401, 'hk_never_made');
  assert.match(unknown.error.message, /not valid/);
});

test('the audit log has every change with the key that made it, secrets masked', async () => {
  const writer = await makeKey('write');
  const hook = await call('POST', '/v1/webhooks', {
    name: 'Billing', url: `${env.receiver.url}/billing`,
    auth: { type: 'basic', username: 'ana', password: 'super-secret-password' },
  }, 201, writer.key);
  await call('PATCH', `/v1/webhooks/${hook.id}`, { name: 'Billing v2', auth: { type: 'basic', username: 'ana', password: 'another-secret-password' } }, 200, writer.key);
  await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, undefined, 200, writer.key);
  await call('DELETE', `/v1/webhooks/${hook.id}`, undefined, 204, writer.key);

  const log = await call('GET', `/v1/audit-log?resource_id=${hook.id}`, undefined, 200);
  assert.deepEqual(log.data.map((e) => e.action), ['delete', 'rotate_secret', 'update', 'create']);
  for (const entry of log.data) {
    assert.equal(entry.key_id, writer.id);
    assert.equal(entry.key_name, 'write key');
    assert.equal(entry.resource_type, 'webhook');
    assert.ok(entry.time > 0);
  }
  const update = log.data[2];
  assert.deepEqual(update.changes.name, { from: 'Billing', to: 'Billing v2' });
  const text = JSON.stringify(log);
  for (const secret of ['super-secret-password', 'another-secret-password', hook.secret]) {
    assert.ok(!text.includes(secret), `the audit log shows a secret: ${secret}`);
  }

  const keys = await call('GET', '/v1/audit-log?resource_type=api_key&action=create&limit=2', undefined, 200);
  assert.equal(keys.data.length, 2);
  assert.ok(keys.next_cursor);
  const more = await call('GET', `/v1/audit-log?resource_type=api_key&action=create&limit=2&cursor=${keys.next_cursor}`, undefined, 200);
  assert.ok(more.data.length > 0);
  assert.ok(more.data[0].time <= keys.data[1].time);
  const revokes = await call('GET', '/v1/audit-log?action=revoke', undefined, 200);
  assert.ok(revokes.data.length >= 1);
  assert.equal(revokes.data[0].resource_type, 'api_key');
  // Admin only: it names every key and what each did.
  for (const scope of ['read', 'write', 'ingest']) {
    const key = await makeKey(scope);
    const refused = await call('GET', '/v1/audit-log', undefined, 403, key.key);
    assert.equal(refused.error.code, 'forbidden_scope');
  }
});

// Contacts and lists over the management API (SPEC 2, 9): contacts upserted by email with free-form
// UTF-8 properties, lists and their members.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

const UNKNOWN_ID = '0190a3d2-0000-7000-8000-000000000000';

async function pages(path, limit) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await server.api('GET', `${path}${sep}limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(Array.isArray(res.body.data));
    assert.ok('next_cursor' in res.body);
    out.push(res.body);
    cursor = res.body.next_cursor;
    if (cursor === null) return out;
  }
  throw new Error('paging never ended');
}
const listAll = async (path) => (await pages(path, 250)).flatMap((p) => p.data);

async function createContact(body, status = 201) {
  const res = await server.api('POST', '/v1/contacts', body);
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function createList(name) {
  const res = await server.api('POST', '/v1/lists', { name });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

// ---- contacts

test('POST /v1/contacts creates a contact: 201 with every field', async () => {
  const before = Date.now();
  const c = await createContact({
    email: 'maria@example.com', first_name: 'Maria', last_name: 'Silva', mobile: '+55 11 91234-5678',
    properties: { 'salário': 123, idade: '12', vip: true, tags: ['a', 'b'], address: { city: 'São Paulo' } },
  });
  assert.equal(typeof c.id, 'string');
  assert.ok(c.id.length > 0);
  assert.equal(c.email, 'maria@example.com');
  assert.equal(c.first_name, 'Maria');
  assert.equal(c.last_name, 'Silva');
  assert.equal(c.mobile, '+55 11 91234-5678');
  assert.deepEqual(c.properties, { 'salário': 123, idade: '12', vip: true, tags: ['a', 'b'], address: { city: 'São Paulo' } });
  assert.ok(c.created_at >= before - 1000 && c.created_at <= Date.now() + 1000);

  const got = await server.api('GET', `/v1/contacts/${c.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, c);
});

test('POST with a known email upserts: 200, same id, email case-insensitive, properties merged', async () => {
  const first = await createContact({ email: 'Joao.Upsert@Example.COM', first_name: 'João', properties: { 'salário': '123', idade: '12' } });
  assert.equal(first.email.toLowerCase(), 'joao.upsert@example.com');

  const second = await createContact({ email: 'JOAO.UPSERT@example.com', mobile: '1234567890', properties: { idade: '13', 'cidade natal': 'Recife' } }, 200);
  assert.equal(second.id, first.id);
  assert.equal(second.created_at, first.created_at);
  assert.ok(second.updated_at >= first.updated_at);
  assert.equal(second.first_name, 'João', 'a field not sent is kept');
  assert.equal(second.mobile, '1234567890');
  assert.deepEqual(second.properties, { 'salário': '123', idade: '13', 'cidade natal': 'Recife' });

  const got = (await server.api('GET', `/v1/contacts/${first.id}`)).body;
  assert.deepEqual(got, second);
  const withEmail = (await listAll('/v1/contacts')).filter((c) => c.email.toLowerCase() === 'joao.upsert@example.com');
  assert.equal(withEmail.length, 1, 'one contact per email');
});

test('UTF-8 property keys and values round-trip exactly', async () => {
  const properties = { 'salário': 'R$ 1.234,56', '名前': '太郎', 'emoji 🎉': '✓', 'ünïcödé.key': 1.5, 'a"b\\c': 'quote' };
  const c = await createContact({ email: 'utf8@example.com', first_name: 'Zoë', properties });
  assert.deepEqual(c.properties, properties);
  assert.equal(c.first_name, 'Zoë');
  const got = (await server.api('GET', `/v1/contacts/${c.id}`)).body;
  assert.deepEqual(got.properties, properties);
  assert.equal(got.first_name, 'Zoë');
  const listed = (await listAll('/v1/contacts')).find((x) => x.id === c.id);
  assert.deepEqual(listed.properties, properties);
});

test('GET /v1/contacts?email= finds a contact by email, in any case', async () => {
  const c = await createContact({ email: 'findme@example.com', first_name: 'Find' });
  for (const email of ['findme@example.com', 'FindMe@Example.com']) {
    const res = await server.api('GET', `/v1/contacts?email=${encodeURIComponent(email)}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 1);
    assert.equal(res.body.data[0].id, c.id);
    assert.equal(res.body.next_cursor, null);
  }
  const none = await server.api('GET', '/v1/contacts?email=nobody%40example.com');
  assert.equal(none.status, 200);
  assert.deepEqual(none.body.data, []);
  assert.equal(none.body.next_cursor, null);
});

test('GET /v1/contacts?q= searches emails and names, ignoring case', async () => {
  const joana = await createContact({ email: 'joana.searched@example.com', first_name: 'Joana', last_name: 'Prado' });
  const pedro = await createContact({ email: 'pedro.s@example.net', first_name: 'Pedro', last_name: 'Joanópolis' });
  const found = async (q) => {
    const res = await server.api('GET', `/v1/contacts?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data.map((c) => c.id);
  };
  assert.deepEqual(await found('JOAN'), [joana.id, pedro.id]);
  assert.deepEqual(await found('joana prado'), [joana.id]);
  assert.deepEqual(await found('example.net'), [pedro.id]);
  assert.deepEqual(await found('zzz-nobody'), []);
  // Spaces around it are not part of it; a search of spaces alone is no search.
  assert.deepEqual(await found('  joana prado '), [joana.id]);
  assert.ok((await found('   ')).length >= 2);
  const tooLong = await server.api('GET', `/v1/contacts?q=${'a'.repeat(201)}`);
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.error.field, 'q');
});

test('the contact list pages with limit and cursor', async () => {
  for (let i = 0; i < 5; i++) await createContact({ email: `page${i}@example.com` });
  const all = (await listAll('/v1/contacts')).map((c) => c.id);
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.length >= 5);

  const byTwo = await pages('/v1/contacts', 2);
  assert.equal(byTwo.length, Math.ceil(all.length / 2));
  byTwo.forEach((p, i) => {
    const last = i === byTwo.length - 1;
    assert.equal(p.data.length, last ? all.length - 2 * i : 2);
    assert.equal(p.next_cursor === null, last);
  });
  assert.deepEqual(byTwo.flatMap((p) => p.data.map((c) => c.id)), all);

  const exact = await server.api('GET', `/v1/contacts?limit=${all.length}`);
  assert.equal(exact.body.data.length, all.length);
  assert.equal(exact.body.next_cursor, null);
});

test('PATCH merges properties, null removes a key, other fields stay', async () => {
  const c = await createContact({ email: 'patch@example.com', first_name: 'Ana', mobile: '555', properties: { a: 1, b: 2, 'salário': 10 } });
  const res = await server.api('PATCH', `/v1/contacts/${c.id}`, { first_name: 'Ana Maria', properties: { b: null, c: 3, 'salário': 20 } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.id, c.id);
  assert.equal(res.body.first_name, 'Ana Maria');
  assert.equal(res.body.mobile, '555');
  assert.equal(res.body.email, 'patch@example.com');
  assert.deepEqual(res.body.properties, { a: 1, c: 3, 'salário': 20 });
  const got = (await server.api('GET', `/v1/contacts/${c.id}`)).body;
  assert.deepEqual(got, res.body);
});

test('PATCH to a free email changes it; lookups follow', async () => {
  const c = await createContact({ email: 'old-address@example.com' });
  const res = await server.api('PATCH', `/v1/contacts/${c.id}`, { email: 'New-Address@example.com' });
  assert.equal(res.status, 200);
  assert.equal(res.body.email.toLowerCase(), 'new-address@example.com');
  const byNew = await server.api('GET', '/v1/contacts?email=new-address%40example.com');
  assert.equal(byNew.body.data[0]?.id, c.id);
  const byOld = await server.api('GET', '/v1/contacts?email=old-address%40example.com');
  assert.deepEqual(byOld.body.data, []);
});

test('PATCH to an email another contact has is a 409 conflict and changes nothing', async () => {
  const a = await createContact({ email: 'taken@example.com', first_name: 'A' });
  const b = await createContact({ email: 'other@example.com', first_name: 'B', properties: { x: 1 } });
  for (const email of ['taken@example.com', 'TAKEN@example.com']) {
    const res = await server.api('PATCH', `/v1/contacts/${b.id}`, { email, first_name: 'Changed', properties: { y: 2 } });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'conflict');
    assert.equal(res.body.error.field, 'email');
  }
  assert.deepEqual((await server.api('GET', `/v1/contacts/${a.id}`)).body, a);
  assert.deepEqual((await server.api('GET', `/v1/contacts/${b.id}`)).body, b);
});

test('DELETE removes a contact: 204, then 404', async () => {
  const c = await createContact({ email: 'delete-me@example.com' });
  const res = await server.api('DELETE', `/v1/contacts/${c.id}`);
  assert.equal(res.status, 204);
  assert.equal(res.body, null);
  const got = await server.api('GET', `/v1/contacts/${c.id}`);
  assert.equal(got.status, 404);
  assert.equal(got.body.error.code, 'not_found');
  assert.equal((await server.api('DELETE', `/v1/contacts/${c.id}`)).status, 404);
  assert.equal((await server.api('PATCH', `/v1/contacts/${c.id}`, { first_name: 'x' })).status, 404);
  const byEmail = await server.api('GET', '/v1/contacts?email=delete-me%40example.com');
  assert.deepEqual(byEmail.body.data, []);
  // The email is free again: a new POST creates a new contact.
  const again = await createContact({ email: 'delete-me@example.com' });
  assert.notEqual(again.id, c.id);
});

// ---- lists

test('POST /v1/lists creates a list: 201, then GET shows it with member_count 0', async () => {
  const l = await createList('Test');
  assert.equal(typeof l.id, 'string');
  assert.equal(l.name, 'Test');
  assert.equal(l.member_count, 0);
  const got = await server.api('GET', `/v1/lists/${l.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, l);
  const listed = await listAll('/v1/lists');
  assert.ok(listed.some((x) => x.id === l.id && x.name === 'Test'));
});

test('the lists page with limit and cursor', async () => {
  for (let i = 0; i < 3; i++) await createList(`Paged ${i}`);
  const all = (await listAll('/v1/lists')).map((l) => l.id);
  assert.ok(all.length >= 3);
  const ones = await pages('/v1/lists', 1);
  assert.equal(ones.length, all.length);
  assert.deepEqual(ones.flatMap((p) => p.data.map((l) => l.id)), all);
  assert.equal(ones.at(-1).next_cursor, null);
  assert.ok(ones.slice(0, -1).every((p) => typeof p.next_cursor === 'string'));
});

test('adding by contact_ids answers 200 with the newly added ids; adding again adds none', async () => {
  const l = await createList('Members by id');
  const c1 = await createContact({ email: 'm1@example.com' });
  const c2 = await createContact({ email: 'm2@example.com' });
  const c3 = await createContact({ email: 'm3@example.com' });

  const first = await server.api('POST', `/v1/lists/${l.id}/contacts`, { contact_ids: [c1.id, c2.id] });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual([...first.body.added].sort(), [c1.id, c2.id].sort());
  assert.equal((await server.api('GET', `/v1/lists/${l.id}`)).body.member_count, 2);

  const again = await server.api('POST', `/v1/lists/${l.id}/contacts`, { contact_ids: [c1.id, c2.id] });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body.added, []);

  const mixed = await server.api('POST', `/v1/lists/${l.id}/contacts`, { contact_ids: [c2.id, c3.id, c3.id] });
  assert.equal(mixed.status, 200);
  assert.deepEqual(mixed.body.added, [c3.id]);
  assert.equal((await server.api('GET', `/v1/lists/${l.id}`)).body.member_count, 3);

  const members = await listAll(`/v1/lists/${l.id}/contacts`);
  assert.deepEqual(members.map((m) => m.id).sort(), [c1.id, c2.id, c3.id].sort());
  const m1 = members.find((m) => m.id === c1.id);
  assert.equal(m1.email, 'm1@example.com', 'members are shown as contacts');
});

test('adding by emails creates the missing contacts and reuses the known ones', async () => {
  const l = await createList('Members by email');
  const known = await createContact({ email: 'known-member@example.com', first_name: 'Known' });
  const res = await server.api('POST', `/v1/lists/${l.id}/contacts`, {
    emails: ['Known-Member@example.com', 'fresh-member@example.com'],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.added.length, 2);
  assert.ok(res.body.added.includes(known.id));

  const fresh = await server.api('GET', '/v1/contacts?email=fresh-member%40example.com');
  assert.equal(fresh.body.data.length, 1);
  const freshId = fresh.body.data[0].id;
  assert.ok(res.body.added.includes(freshId));
  const knownAfter = (await server.api('GET', `/v1/contacts/${known.id}`)).body;
  assert.equal(knownAfter.first_name, 'Known', 'adding by email does not wipe the contact');

  const members = await listAll(`/v1/lists/${l.id}/contacts`);
  assert.deepEqual(members.map((m) => m.id).sort(), [known.id, freshId].sort());
  assert.equal((await server.api('GET', `/v1/lists/${l.id}`)).body.member_count, 2);

  const again = await server.api('POST', `/v1/lists/${l.id}/contacts`, { emails: ['fresh-member@example.com'] });
  assert.deepEqual(again.body.added, []);
});

test('members page with limit and cursor', async () => {
  const l = await createList('Many members');
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await createContact({ email: `many${i}@example.com` })).id);
  await server.api('POST', `/v1/lists/${l.id}/contacts`, { contact_ids: ids });
  const byTwo = await pages(`/v1/lists/${l.id}/contacts`, 2);
  assert.deepEqual(byTwo.map((p) => p.data.length), [2, 2, 1]);
  assert.deepEqual(byTwo.flatMap((p) => p.data.map((c) => c.id)).sort(), [...ids].sort());
});

test('a contact can be in several lists; removing a member: 204, again 404', async () => {
  const a = await createList('Remove A');
  const b = await createList('Remove B');
  const c = await createContact({ email: 'remove-member@example.com' });
  await server.api('POST', `/v1/lists/${a.id}/contacts`, { contact_ids: [c.id] });
  await server.api('POST', `/v1/lists/${b.id}/contacts`, { contact_ids: [c.id] });

  const res = await server.api('DELETE', `/v1/lists/${a.id}/contacts/${c.id}`);
  assert.equal(res.status, 204);
  assert.equal(res.body, null);
  const again = await server.api('DELETE', `/v1/lists/${a.id}/contacts/${c.id}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, 'not_found');

  assert.equal((await server.api('GET', `/v1/lists/${a.id}`)).body.member_count, 0);
  assert.deepEqual(await listAll(`/v1/lists/${a.id}/contacts`), []);
  assert.equal((await server.api('GET', `/v1/lists/${b.id}`)).body.member_count, 1, 'the other list keeps it');
  assert.equal((await server.api('GET', `/v1/contacts/${c.id}`)).status, 200, 'the contact itself stays');
});

test('deleting a contact removes it from its lists', async () => {
  const l = await createList('Loses a member');
  const c = await createContact({ email: 'leaving@example.com' });
  const stays = await createContact({ email: 'staying@example.com' });
  await server.api('POST', `/v1/lists/${l.id}/contacts`, { contact_ids: [c.id, stays.id] });
  assert.equal((await server.api('DELETE', `/v1/contacts/${c.id}`)).status, 204);
  assert.equal((await server.api('GET', `/v1/lists/${l.id}`)).body.member_count, 1);
  assert.deepEqual((await listAll(`/v1/lists/${l.id}/contacts`)).map((m) => m.id), [stays.id]);
});

test('DELETE of a list: 204, then 404; its contacts remain', async () => {
  const l = await createList('Doomed list');
  const c = await createContact({ email: 'survivor@example.com' });
  await server.api('POST', `/v1/lists/${l.id}/contacts`, { contact_ids: [c.id] });
  const res = await server.api('DELETE', `/v1/lists/${l.id}`);
  assert.equal(res.status, 204);
  assert.equal((await server.api('GET', `/v1/lists/${l.id}`)).status, 404);
  assert.equal((await server.api('GET', `/v1/lists/${l.id}/contacts`)).status, 404);
  assert.equal((await server.api('DELETE', `/v1/lists/${l.id}`)).status, 404);
  assert.ok(!(await listAll('/v1/lists')).some((x) => x.id === l.id));
  assert.equal((await server.api('GET', `/v1/contacts/${c.id}`)).status, 200);
});

test('unknown contact and list ids are 404', async () => {
  for (const [method, path, body] of [
    ['GET', `/v1/contacts/${UNKNOWN_ID}`], ['PATCH', `/v1/contacts/${UNKNOWN_ID}`, { first_name: 'x' }],
    ['DELETE', `/v1/contacts/${UNKNOWN_ID}`], ['GET', `/v1/lists/${UNKNOWN_ID}`], ['DELETE', `/v1/lists/${UNKNOWN_ID}`],
    ['GET', `/v1/lists/${UNKNOWN_ID}/contacts`],
  ]) {
    const res = await server.api(method, path, body);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.error.code, 'not_found');
  }
});

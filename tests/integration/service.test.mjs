// The service as an operator runs it (SPEC 9 operations, SPEC 10): health, the API description, keys
// made on first start and by `api-key create`, restarts, SIGTERM, `migrate`, JSON logs, and startup
// failures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startServer, startReceiver, runHookline, tempDir, waitFor, API_KEY } from './lib/harness.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

// Bounds a wait: the promise's value, or a failure after ms.
function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); }),
  ]);
}

const stopped = (srv) => within(30000, srv.stop(), 'stopping hookline');

function createdKey(stdout) {
  const m = stdout.match(/Created an API key[^\n]*?\b(hk_[A-Za-z0-9_-]+)/);
  return m ? m[1] : null;
}

// `hookline <args>` with extra environment variables, bounded.
function runWithEnv(args, env, timeoutMs = 20000) {
  return within(timeoutMs, new Promise((resolve) => {
    const child = spawn(process.env.HOOKLINE_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  }), `hookline ${args.join(' ')}`);
}

test('/healthz and /readyz answer 200 without a key', async () => {
  for (const path of ['/healthz', '/readyz']) {
    const res = await server.api('GET', path, undefined, { key: null });
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(typeof res.body.status, 'string');
    // A wrong key does not get in the way of a probe either.
    const withBadKey = await server.api('GET', path, undefined, { key: 'hk_wrong' });
    assert.equal(withBadKey.status, 200, path);
  }
  assert.equal((await server.api('GET', '/healthz', undefined, { key: null })).body.status, 'ok');
  assert.equal((await server.api('GET', '/readyz', undefined, { key: null })).body.status, 'ready');
});

test('/healthz and /metrics name the node that answered: --node-id, or host name and port', async () => {
  const named = await startServer({ args: ['--node-id', 'web-1.eu:8080'] });
  try {
    assert.equal((await named.api('GET', '/healthz', undefined, { key: null })).body.node, 'web-1.eu:8080');
    const metrics = await fetch(named.baseUrl + '/metrics');
    assert.match(await metrics.text(), /^hookline_node_info\{node="web-1\.eu:8080"\} 1$/m);
  } finally {
    await named.stop();
  }
  // The harness listens on port 0: the default is the host name and that port as given.
  const { node } = (await server.api('GET', '/healthz', undefined, { key: null })).body;
  assert.equal(node, `${hostname()}:0`);
});

test('a --node-id with spaces or other signs makes serve exit non-zero naming --node-id', async () => {
  for (const id of ['web 1', 'a/b', 'x'.repeat(129)]) {
    await expectServeFails(['--node-id', id, '--listen', '127.0.0.1:0', '--data-dir', tempDir()], /--node-id/);
  }
});

test('/openapi.json is an OpenAPI document, open without a key', async () => {
  const res = await server.api('GET', '/openapi.json', undefined, { key: null });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /json/);
  assert.equal(typeof res.body, 'object', 'the body parses as JSON');
  assert.match(res.body.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof res.body.paths, 'object');
  assert.ok(res.body.paths !== null && !Array.isArray(res.body.paths));
  assert.equal(typeof res.body.info?.title, 'string');
});

test('/openapi.json describes the management routes', async () => {
  const { body } = await server.api('GET', '/openapi.json', undefined, { key: null });
  for (const path of ['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/test', '/v1/contacts', '/v1/contacts/{id}', '/v1/lists',
    '/v1/me', '/v1/api-keys', '/v1/api-keys/{id}', '/v1/workspaces', '/v1/workspaces/{id}/api-keys', '/v1/audit-log']) {
    assert.ok(path in body.paths, `${path} is missing from the paths of /openapi.json: ${JSON.stringify(Object.keys(body.paths))}`);
  }
  assert.ok('post' in body.paths['/v1/webhooks'] && 'get' in body.paths['/v1/webhooks']);
});

test('an unknown route under /v1 is a 404 with a key and a 401 without one', async () => {
  for (const path of ['/v1/nope', '/v1/webhooks/a/b/c', '/v1/', '/v1/contacts/x/y']) {
    const withKey = await server.api('GET', path);
    assert.equal(withKey.status, 404, path);
    assert.equal(withKey.body.error.code, 'not_found');
    const withoutKey = await server.api('GET', path, undefined, { key: null });
    assert.equal(withoutKey.status, 401, path);
    assert.equal(withoutKey.body.error.code, 'unauthorized');
    const wrongKey = await server.api('GET', path, undefined, { key: 'hk_wrong' });
    assert.equal(wrongKey.status, 401, path);
  }
  // A known path with a method it does not take.
  const put = await server.api('PUT', '/v1/webhooks', {});
  assert.equal(put.status, 405);
  assert.equal(put.body.error.code, 'method_not_allowed');
  assert.equal((await server.api('PUT', '/v1/webhooks', {}, { key: null })).status, 401);
});

test('a first start without --api-key prints a key once; a second start prints none and the key still works', async () => {
  const dataDir = tempDir('hookline-firstkey-');
  const first = await startServer({ dataDir, apiKey: null });
  let key;
  let created;
  try {
    key = createdKey(first.stdout);
    assert.ok(key, `no key on stdout: ${first.stdout}`);
    assert.equal(first.stdout.match(/Created an API key/g).length, 1);
    assert.equal((await first.api('GET', '/v1/webhooks', undefined, { key })).status, 200);
    assert.equal((await first.api('GET', '/v1/webhooks', undefined, { key: null })).status, 401);
    assert.equal((await first.api('GET', '/v1/webhooks', undefined, { key: key + 'x' })).status, 401);
    created = await first.api('POST', '/v1/webhooks', { name: 'Kept', url: 'https://example.com/kept' }, { key });
    assert.equal(created.status, 201);
    assert.ok(!first.stderr.includes(key), 'the key is printed once, not logged');
  } finally {
    assert.deepEqual(await stopped(first), { code: 0, signal: null });
  }

  const second = await startServer({ dataDir, apiKey: null });
  try {
    assert.ok(!second.stdout.includes('Created an API key'), second.stdout);
    assert.equal(createdKey(second.stdout), null);
    const got = await second.api('GET', `/v1/webhooks/${created.body.id}`, undefined, { key });
    assert.equal(got.status, 200);
    assert.equal(got.body.name, 'Kept');
  } finally {
    assert.deepEqual(await stopped(second), { code: 0, signal: null });
  }
});

test('a start with --api-key prints no generated key, and that key opens the API', async () => {
  assert.ok(!server.stdout.includes('Created an API key'));
  assert.equal((await server.api('GET', '/v1/contacts', undefined, { key: API_KEY })).status, 200);
});

test('data survives a restart', async () => {
  const dataDir = tempDir('hookline-restart-');
  const first = await startServer({ dataDir });
  let webhook;
  let contact;
  let list;
  try {
    webhook = (await first.api('POST', '/v1/webhooks', {
      name: 'Durable', url: 'https://example.com/durable/{{contact.id}}', auth: { type: 'basic', username: 'ana', password: 'pw-durable-1' },
      headers: [{ name: 'X-Shop', value: 'loja-1' }], events: ['contact.create'], custom_payload: { 'salário': '{{contact.salary}}' },
    })).body;
    assert.ok(webhook.id);
    contact = (await first.api('POST', '/v1/contacts', { email: 'durable@example.com', properties: { 'salário': 1 } })).body;
    list = (await first.api('POST', '/v1/lists', { name: 'Durable list' })).body;
    assert.equal((await first.api('POST', `/v1/lists/${list.id}/contacts`, { contact_ids: [contact.id] })).status, 200);
  } finally {
    assert.deepEqual(await stopped(first), { code: 0, signal: null });
  }

  const second = await startServer({ dataDir });
  try {
    const w = await second.api('GET', `/v1/webhooks/${webhook.id}`);
    assert.equal(w.status, 200);
    const { secret: _a, ...expected } = webhook;
    const { secret: _b, ...actual } = w.body;
    assert.deepEqual(actual, expected);
    // The secret is the same one: its masked form ends like the original.
    assert.ok(webhook.secret.endsWith(w.body.secret.slice(-4)));
    assert.deepEqual((await second.api('GET', `/v1/contacts/${contact.id}`)).body, contact);
    assert.equal((await second.api('GET', `/v1/lists/${list.id}`)).body.member_count, 1);
  } finally {
    await stopped(second);
  }
});

test('SIGTERM exits 0', async () => {
  const srv = await startServer();
  assert.equal((await srv.api('GET', '/healthz')).status, 200);
  const result = await stopped(srv);
  assert.deepEqual(result, { code: 0, signal: null });
  await assert.rejects(fetch(srv.baseUrl + '/healthz'), 'no longer listening after exit');
});

test('SIGTERM lets a request in flight finish, then exits 0', async () => {
  let release;
  const gate = new Promise((r) => { release = r; });
  const slow = await startReceiver(async () => { await gate; return { status: 200, body: 'late' }; });
  const srv = await startServer();
  try {
    const inFlight = srv.api('POST', '/v1/webhooks/test', { name: 'Slow', url: `${slow.url}/slow` });
    await waitFor(() => slow.requests.length > 0, { timeoutMs: 10000 });
    srv.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(srv.child.exitCode, null, 'exited with a request in flight');
    release();
    const res = await within(15000, inFlight, 'the request in flight');
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.equal(res.body.response.body, 'late');
    // It exits on its own: no second signal.
    await waitFor(() => srv.child.exitCode !== null || srv.child.signalCode !== null, { timeoutMs: 30000 });
    assert.deepEqual(await srv.stop(), { code: 0, signal: null });
  } finally {
    release();
    await srv.kill();
    await slow.close();
  }
});

test('hookline migrate --data-dir D exits 0, creates the store, and can run again', async () => {
  const dataDir = join(tempDir('hookline-migrate-'), 'nested', 'data');
  const first = await runHookline(['migrate', '--data-dir', dataDir]);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(existsSync(join(dataDir, 'hookline.db')));
  const again = await runHookline(['migrate', '--data-dir', dataDir]);
  assert.equal(again.code, 0, again.stderr);
  const srv = await startServer({ dataDir });
  try {
    assert.equal((await srv.api('GET', '/v1/webhooks')).status, 200);
  } finally {
    await stopped(srv);
  }
});

test('HOOKLINE_DATA_DIR stands for --data-dir, and the flag wins over it', async () => {
  const base = tempDir('hookline-env-');
  const fromEnv = join(base, 'env');
  const fromFlag = join(base, 'flag');
  const viaEnv = await runWithEnv(['migrate'], { HOOKLINE_DATA_DIR: fromEnv });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.ok(existsSync(join(fromEnv, 'hookline.db')));
  const both = await runWithEnv(['migrate', '--data-dir', fromFlag], { HOOKLINE_DATA_DIR: join(base, 'ignored') });
  assert.equal(both.code, 0, both.stderr);
  assert.ok(existsSync(join(fromFlag, 'hookline.db')));
  assert.ok(!existsSync(join(base, 'ignored', 'hookline.db')));
});

test('hookline api-key create prints a key that opens the API of a server on that data dir', async () => {
  const dataDir = tempDir('hookline-apikey-');
  const made = await runHookline(['api-key', 'create', '--name', 'ci', '--data-dir', dataDir]);
  assert.equal(made.code, 0, made.stderr);
  const key = made.stdout.trim();
  assert.match(key, /^hk_[A-Za-z0-9_-]{16,}$/);
  const other = (await runHookline(['api-key', 'create', '--name', 'ci-2', '--data-dir', dataDir])).stdout.trim();
  assert.match(other, /^hk_/);
  assert.notEqual(other, key);

  const srv = await startServer({ dataDir, apiKey: null });
  try {
    assert.ok(!srv.stdout.includes('Created an API key'), 'a key exists: none is generated');
    assert.equal((await srv.api('GET', '/v1/webhooks', undefined, { key })).status, 200);
    assert.equal((await srv.api('GET', '/v1/lists', undefined, { key: other })).status, 200);
    assert.equal((await srv.api('GET', '/v1/webhooks', undefined, { key: 'hk_' + 'x'.repeat(32) })).status, 401);
    assert.equal((await srv.api('GET', '/v1/webhooks', undefined, { key: API_KEY })).status, 401, 'the test key was never given here');
  } finally {
    await stopped(srv);
  }
});

test('hookline api-key create without --name fails', async () => {
  const res = await runHookline(['api-key', 'create', '--data-dir', tempDir('hookline-noname-')]);
  assert.notEqual(res.code, 0);
  assert.match(res.stdout + res.stderr, /--name/);
});

test('serve logs JSON lines on stderr with level and msg, and no secrets', async () => {
  const srv = await startServer();
  try {
    await srv.api('GET', '/healthz');
    await srv.api('POST', '/v1/webhooks', {
      name: 'Logged', url: 'https://example.com/x', auth: { type: 'basic', username: 'u', password: 'pw-never-logged' },
    });
    await srv.api('GET', '/v1/nope', undefined, { key: null });
    await new Promise((r) => setTimeout(r, 200));
    const lines = srv.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length >= 3, srv.stderr);
    for (const line of lines) {
      let record;
      assert.doesNotThrow(() => { record = JSON.parse(line); }, `not JSON: ${line}`);
      assert.equal(typeof record, 'object');
      assert.equal(typeof record.level, 'string', line);
      assert.equal(typeof record.msg, 'string', line);
    }
    const records = lines.map((l) => JSON.parse(l));
    assert.ok(records.some((r) => r.msg.includes('/healthz')), 'requests are logged');
    assert.ok(records.every((r) => ['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical'].includes(r.level)));
    assert.ok(!srv.stderr.includes(API_KEY), 'the API key is not logged');
    assert.ok(!srv.stderr.includes('pw-never-logged'), 'a webhook password is not logged');
  } finally {
    await stopped(srv);
  }
});

async function serveFailure(args, pattern) {
  const res = await runHookline(['serve', '--api-key', API_KEY, ...args], { timeoutMs: 20000 });
  const context = `serve ${args.join(' ')}: code ${res.code}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`;
  if (res.code === 0) return `exited 0: ${context}`;
  if (res.stdout.includes('hookline ready on')) return `became ready: ${context}`;
  if (!pattern.test(res.stderr)) return `stderr does not match ${pattern}: ${context}`;
  return null;
}

async function expectServeFails(args, pattern) {
  const problem = await serveFailure(args, pattern);
  assert.equal(problem, null, problem ?? '');
}

test('a malformed --listen makes serve exit non-zero with a message naming --listen and the value', async () => {
  const problems = [];
  for (const listen of ['nonsense', '127.0.0.1:99999', '127.0.0.1:http', '127.0.0.1:', '999.1.1.1:8080', '[::1:8080']) {
    const escaped = listen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const problem = await serveFailure(['--listen', listen, '--data-dir', tempDir()],
      new RegExp(`--listen[^\\n]*${escaped}|${escaped}[^\\n]*--listen`));
    if (problem) problems.push(problem);
  }
  assert.deepEqual(problems, []);
});

test('serve --listen on a port already taken exits non-zero with a message', async () => {
  const blocker = createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address();
  try {
    await expectServeFails(['--listen', `127.0.0.1:${port}`, '--data-dir', tempDir()], new RegExp(`in use|${port}`, 'i'));
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

test('serve --listen localhost:0 is accepted: HOST may be a name', async () => {
  // The harness always passes --listen 127.0.0.1:0, so this start is done by hand.
  const child = spawn(process.env.HOOKLINE_BIN, ['serve', '--listen', 'localhost:0', '--data-dir', tempDir(),
    '--api-key', API_KEY], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const outcome = await within(20000, Promise.race([
      exited.then((r) => ({ exited: r })),
      (async () => {
        while (!/hookline ready on (http:\/\/\S+)/.test(stdout)) {
          if (child.exitCode !== null || child.signalCode !== null) return {};
          await new Promise((r) => setTimeout(r, 20));
        }
        return { baseUrl: stdout.match(/hookline ready on (http:\/\/\S+)/)[1] };
      })(),
    ]), 'serve --listen localhost:0');
    assert.ok(outcome.baseUrl, `serve --listen localhost:0 exited ${JSON.stringify(outcome.exited)}: ${stderr}`);
    const url = new URL(outcome.baseUrl);
    assert.ok(['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname), outcome.baseUrl);
    assert.equal((await fetch(`${outcome.baseUrl}/healthz`)).status, 200);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await within(30000, exited, 'stopping hookline');
  }
});

test('serve with a store it cannot create exits non-zero with a message', async () => {
  const base = tempDir('hookline-unwritable-');
  const file = join(base, 'a-file');
  writeFileSync(file, 'not a directory');
  await expectServeFails(['--listen', '127.0.0.1:0', '--data-dir', join(file, 'data')], /a-file/);
  await expectServeFails(['--listen', '127.0.0.1:0', '--store', `sqlite://${join(file, 'x.db')}`], /a-file/);
  await expectServeFails(['--listen', '127.0.0.1:0', '--data-dir', base, '--store', 'mysql://db/hookline'], /store/);
});

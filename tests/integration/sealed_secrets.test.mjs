// Secrets sealed at rest (docs/SECURITY.md): every secret a webhook is configured with (signing
// secrets before and after a rotation, a Basic password, a token, credential headers) is absent
// from the store's bytes (SQLite's file, its WAL and a copy of both; a pg_dump of PostgreSQL),
// while deliveries still carry them and are signed as before; a wrong key stops the start with a
// clear message; `hookline secrets rotate-key` moves the store to a new key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  API_KEY, STORE, expectedSignature, keyFileForStore, keyId, makeKeyFile, postgresStoreFor, runHookline,
  startReceiver, startServer, tempDir, waitFor,
} from './lib/harness.mjs';

const unique = (prefix) => `${prefix}-${randomBytes(9).toString('hex')}`;
const PASSWORD = unique('pw');
const TOKEN = unique('tok');
const API_HEADER = unique('hdr');
const COOKIE = `session=${unique('ck')}`;
const ARGS = ['--retry-schedule', '0s,300ms'];

// The key bytes in a key file.
const keyIn = (file) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');

// Every form in which a configured secret could sit in the store's bytes.
function needles(secrets) {
  const out = [PASSWORD, TOKEN, API_HEADER, COOKIE.split('=')[1], Buffer.from(`ana:${PASSWORD}`).toString('base64')];
  for (const secret of secrets) out.push(secret, secret.replace(/^whsec_/, ''));
  return out;
}

// The store's bytes: SQLite's file and WAL, and a copy of both taken while the server runs;
// PostgreSQL's pg_dump, a backup.
function storeBytes(dataDir) {
  if (STORE === 'postgres') {
    return { 'pg_dump': execFileSync('pg_dump', [postgresStoreFor(dataDir)], { maxBuffer: 256 * 1024 * 1024 }) };
  }
  const backup = join(dataDir, 'backup');
  mkdirSync(backup, { recursive: true });
  const files = {};
  for (const name of ['hookline.db', 'hookline.db-wal']) {
    const path = join(dataDir, name);
    if (!existsSync(path)) continue;
    copyFileSync(path, join(backup, name));
    files[name] = readFileSync(path);
    files[`backup/${name}`] = readFileSync(join(backup, name));
  }
  assert.ok(files['hookline.db'], 'the database file exists');
  return files;
}

function assertNoneFound(dataDir, secrets, when) {
  const found = [];
  const files = Object.entries(storeBytes(dataDir));
  for (const [file, bytes] of files) {
    for (const needle of needles(secrets)) {
      if (bytes.includes(needle)) found.push(`${needle} in ${file}`);
    }
  }
  assert.deepEqual(found, [], `secrets readable in the store ${when}`);
  // The search sees the webhooks' rows: what is not secret is there to find, and sealed values.
  assert.ok(files.some(([, bytes]) => bytes.includes('loja-1') && bytes.includes('sealed:v1:')), `the rows are in the bytes searched ${when}`);
}

// The command-line arguments that name this data directory's store.
const storeArgs = (dataDir) => ['--data-dir', dataDir, ...(STORE === 'postgres' ? ['--store', postgresStoreFor(dataDir)] : [])];

// The file holding the key the store's secrets are sealed with now (before any rotation).
const keyFileOf = (dataDir) => (STORE === 'postgres' ? keyFileForStore(postgresStoreFor(dataDir)) : join(dataDir, 'secrets.key'));

const serveOnce = (dataDir, extra = [], options = {}) =>
  runHookline(['serve', '--listen', '127.0.0.1:0', '--api-key', API_KEY, ...storeArgs(dataDir), ...extra], options);

async function deliveredAll(server, hooks, count) {
  await waitFor(async () => {
    for (const hook of hooks) {
      const res = await server.api('GET', `/v1/deliveries?webhook_id=${hook.id}&limit=250`);
      if (res.body.data.filter((d) => d.status === 'succeeded').length < count) return false;
    }
    return true;
  }, { timeoutMs: 15000 });
}

// What the receivers got last: the credentials as configured, signatures by the signing secrets.
function assertSentRight(basicReceiver, tokenReceiver, secrets) {
  const basic = basicReceiver.requests.at(-1);
  assert.equal(basic.headers.authorization, `Basic ${Buffer.from(`ana:${PASSWORD}`).toString('base64')}`);
  assert.equal(basic.headers['x-api-key'], API_HEADER);
  const [current, previous] = basic.headers['webhook-signature'].split(' ');
  const id = basic.headers['webhook-id'];
  const ts = basic.headers['webhook-timestamp'];
  assert.equal(current, expectedSignature(secrets.rotated, id, ts, basic.body));
  assert.equal(previous, expectedSignature(secrets.first, id, ts, basic.body), 'the previous secret signs too');

  const token = tokenReceiver.requests.at(-1);
  assert.equal(token.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(token.headers.cookie, COOKIE);
  assert.equal(token.headers['webhook-signature'],
    expectedSignature(secrets.token, token.headers['webhook-id'], token.headers['webhook-timestamp'], token.body));
}

test('no configured secret is in the store\'s bytes; a wrong key stops the start; rotate-key moves to a new key', async () => {
  // Fails each webhook-id's first try, so an attempt with its request headers is stored failed.
  const tried = new Set();
  const basicReceiver = await startReceiver((req) => {
    const first = !tried.has(req.headers['webhook-id']);
    tried.add(req.headers['webhook-id']);
    return { status: first ? 500 : 200 };
  });
  const tokenReceiver = await startReceiver();
  const dataDir = tempDir('hookline-sealed-');
  let server = await startServer({ dataDir, args: ARGS });
  try {
    const basic = await server.api('POST', '/v1/webhooks', {
      name: 'Basic', url: `${basicReceiver.url}/in`, events: ['order.paid'],
      auth: { type: 'basic', username: 'ana', password: PASSWORD },
      headers: [{ name: 'X-Api-Key', value: API_HEADER }, { name: 'X-Shop', value: 'loja-1' }],
    });
    assert.equal(basic.status, 201, JSON.stringify(basic.body));
    const rotated = await server.api('POST', `/v1/webhooks/${basic.body.id}/rotate-secret`);
    assert.equal(rotated.status, 200);
    const token = await server.api('POST', '/v1/webhooks', {
      name: 'Token', url: `${tokenReceiver.url}/in`, events: ['order.paid'],
      auth: { type: 'token', token: TOKEN, header: 'Authorization', prefix: 'Bearer' },
      headers: [{ name: 'Cookie', value: COOKIE }],
    });
    assert.equal(token.status, 201, JSON.stringify(token.body));
    const secrets = { first: basic.body.secret, rotated: rotated.body.secret, token: token.body.secret };
    const all = Object.values(secrets);
    const hooks = [basic.body, token.body];

    assert.equal((await server.api('POST', '/v1/events', { event: 'order.paid', contact: { email: 'a@example.com' } })).status, 202);
    await deliveredAll(server, hooks, 1);
    const [delivery] = (await server.api('GET', `/v1/deliveries?webhook_id=${basic.body.id}`)).body.data;
    const shown = (await server.api('GET', `/v1/deliveries/${delivery.id}`)).body;
    assert.deepEqual(shown.attempts.map((a) => a.response.status), [500, 200], 'a failed attempt is stored');
    assertSentRight(basicReceiver, tokenReceiver, secrets);
    assertNoneFound(dataDir, all, 'while the server runs');

    assert.equal((await server.stop()).code, 0);
    assertNoneFound(dataDir, all, 'after it stopped');

    // A wrong key, a key file others may read: the start stops, with a message, exit code 1.
    const rightKey = keyIn(keyFileOf(dataDir));
    const wrongFile = makeKeyFile(join(tempDir('hookline-wrong-key-'), 'wrong.key'));
    const wrong = await serveOnce(dataDir, ['--secrets-key-file', wrongFile]);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.ok(!wrong.stdout.includes('hookline ready'));
    assert.match(wrong.stderr, new RegExp(`the secrets key does not open the stored webhook secrets \\(key id ${keyId(keyIn(wrongFile))}, stored with ${keyId(rightKey)}\\): start with the key they were sealed with`));
    const loose = join(tempDir('hookline-loose-key-'), 'loose.key');
    copyFileSync(keyFileOf(dataDir), loose);
    chmodSync(loose, 0o644);
    const refused = await serveOnce(dataDir, ['--secrets-key-file', loose]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /may be read by group or others \(mode 0644\).*chmod 600/);
    if (STORE === 'postgres') {
      const keyless = await serveOnce(dataDir, [], { withKey: false });
      assert.equal(keyless.code, 1, keyless.stderr);
      assert.match(keyless.stderr, /a PostgreSQL store needs the key that seals webhook secrets/);
    }

    // The right key: deliveries carry the credentials and are signed as before.
    server = await startServer({ dataDir, args: ARGS });
    assert.equal((await server.api('POST', '/v1/events', { event: 'order.paid', contact: { email: 'b@example.com' } })).status, 202);
    await deliveredAll(server, hooks, 2);
    assertSentRight(basicReceiver, tokenReceiver, secrets);
    assert.equal((await server.stop()).code, 0);

    // Rotating the key: made when missing, every value re-sealed; running it again finds nothing
    // left to do; the old key no longer starts the server, the new one does.
    const newKeyFile = join(tempDir('hookline-new-key-'), 'new.key');
    const rotation = await runHookline(['secrets', 'rotate-key', '--new-key-file', newKeyFile, ...storeArgs(dataDir)]);
    assert.equal(rotation.code, 0, rotation.stderr);
    const newId = keyId(keyIn(newKeyFile));
    assert.match(rotation.stdout, new RegExp(`Made .*new\\.key with a new secrets key \\(id ${newId}\\)`));
    assert.match(rotation.stdout, new RegExp(`Sealed the secrets of 2 webhooks with key ${newId}: 7 re-sealed from key ${keyId(rightKey)}`));
    assert.match(rotation.stdout, /Next: start every node with --secrets-key-file/);
    const again = await runHookline(['secrets', 'rotate-key', '--new-key-file', newKeyFile, ...storeArgs(dataDir)]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /: 0 re-sealed from key .*, 0 sealed from plaintext, 7 already sealed with the new key/);
    const old = await serveOnce(dataDir);
    assert.equal(old.code, 1, old.stderr);
    assert.match(old.stderr, new RegExp(`key id ${keyId(rightKey)}, stored with ${newId}`));

    server = await startServer({ dataDir, args: [...ARGS, '--secrets-key-file', newKeyFile] });
    assert.equal((await server.api('POST', '/v1/events', { event: 'order.paid', contact: { email: 'c@example.com' } })).status, 202);
    await deliveredAll(server, hooks, 3);
    assertSentRight(basicReceiver, tokenReceiver, secrets);
    assertNoneFound(dataDir, all, 'after the rotation');
  } finally {
    await server.stop();
    await basicReceiver.close();
    await tokenReceiver.close();
  }
});

test('HOOKLINE_SECRETS_KEY holds the key itself; a malformed one stops the start', async () => {
  const dataDir = tempDir('hookline-env-key-');
  const key = randomBytes(32).toString('base64');
  const server = await startServer({ dataDir, env: { HOOKLINE_SECRETS_KEY: key } });
  try {
    const made = await server.api('POST', '/v1/webhooks', { name: 'Env', url: 'http://127.0.0.1:9/x', auth: { type: 'basic', username: 'u', password: PASSWORD } });
    assert.equal(made.status, 201);
  } finally {
    await server.stop();
  }
  assert.ok(!existsSync(join(dataDir, 'secrets.key')), 'no key file is made when the key is given');
  const other = await serveOnce(dataDir, [], { env: { HOOKLINE_SECRETS_KEY: randomBytes(32).toString('base64') } });
  assert.equal(other.code, 1, other.stderr);
  assert.match(other.stderr, /does not open the stored webhook secrets/);
  const bad = await serveOnce(dataDir, [], { env: { HOOKLINE_SECRETS_KEY: 'c2hvcnQ=' } });
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /HOOKLINE_SECRETS_KEY does not hold a key/);
});

// On PostgreSQL the harness names each store's key with a flag, which beats a config file.
test('a --config file may name the key file; a key made by a start that then fails is removed', { skip: STORE === 'postgres' && 'the harness gives a PostgreSQL store its key as a flag' }, async () => {
  const dir = tempDir('hookline-config-key-');
  const keyFile = makeKeyFile(join(dir, 'from-config.key'));
  const config = join(dir, 'hookline.toml');
  writeFileSync(config, `[serve]\nsecrets-key-file = "${keyFile}"\n`);
  const dataDir = join(dir, 'data');
  const server = await startServer({ dataDir, args: ['--config', config] });
  try {
    const made = await server.api('POST', '/v1/webhooks', { name: 'Configured', url: 'http://127.0.0.1:9/x' });
    assert.equal(made.status, 201);
  } finally {
    await server.stop();
  }
  assert.ok(!existsSync(join(dataDir, 'secrets.key')), 'the key named in the file was used');
  // Without it, a start makes secrets.key, finds it does not open what is stored, and removes it.
  const without = await serveOnce(dataDir);
  assert.equal(without.code, 1, without.stderr);
  assert.match(without.stderr, new RegExp(`stored with ${keyId(keyIn(keyFile))}\\)`));
  assert.match(without.stderr, /secrets\.key was made on this start because none was there, and is removed again/);
  assert.ok(!existsSync(join(dataDir, 'secrets.key')));
});

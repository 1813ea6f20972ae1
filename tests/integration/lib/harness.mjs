// Test fixtures: the real hookline binary on a free loopback port with its own data directory, and
// real HTTP receivers on loopback that record what they get and answer as told.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

export const API_KEY = 'hk_test_key_for_integration';

const BIN = process.env.HOOKLINE_BIN;
if (!BIN) throw new Error('HOOKLINE_BIN must name the hookline binary (ctest sets it)');

export function tempDir(prefix = 'hookline-') {
  const base = process.env.HOOKLINE_TEST_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, prefix));
}

// Which store the servers run on: HOOKLINE_TEST_STORE=postgres runs every test on PostgreSQL (the
// server HOOKLINE_TEST_PG names, a database per data directory), else each on its SQLite file.
export const STORE = process.env.HOOKLINE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

// The --store of a data directory on PostgreSQL: a database of its own, made on first use, so a
// server started again on the same directory (a restart, a crash) finds its data.
export function postgresStoreFor(dataDir) {
  const server = process.env.HOOKLINE_TEST_PG;
  if (!server) throw new Error('HOOKLINE_TEST_STORE=postgres needs HOOKLINE_TEST_PG (scripts/pg_server.sh)');
  const name = ('hl_' + basename(dataDir)).toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const exists = execFileSync('psql', [server, '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${name}'`]).toString().trim();
  if (exists !== '1') execFileSync('psql', [server, '-qc', `CREATE DATABASE ${name}`]);
  const uri = new URL(server);
  uri.pathname = '/' + name;
  return uri.toString();
}

// A secrets key file (the base64 of 32 random bytes, mode 0600) at `path`, made when missing;
// returns the path.
export function makeKeyFile(path, key = randomBytes(32)) {
  if (!existsSync(path)) writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600 });
  return path;
}

// The id Hookline gives a key (and writes into each value it seals): 8 hex digits of its SHA-256.
export function keyId(key) {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

// The secrets key of a PostgreSQL store: one file per database, so every node of a test sharing
// the store, and every command run on it, seals and opens with the same key.
export function keyFileForStore(store) {
  const name = new URL(store).pathname.slice(1);
  const base = process.env.HOOKLINE_TEST_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return makeKeyFile(join(base, `${name}.secrets.key`));
}

// The store's key as --secrets-key-file, for a command on a PostgreSQL store that names none
// itself (in its arguments or `env`); SQLite makes its own beside the database.
function secretsKeyArgs(args, env = {}) {
  const store = args.indexOf('--store');
  if (store < 0 || !/^postgres(ql)?:\/\//.test(args[store + 1])) return [];
  if (args.includes('--secrets-key-file') || env.HOOKLINE_SECRETS_KEY || env.HOOKLINE_SECRETS_KEY_FILE) return [];
  return ['--secrets-key-file', keyFileForStore(args[store + 1])];
}

// Runs `hookline <args>` to completion; resolves {code, stdout, stderr}. withKey: false runs a
// command on PostgreSQL without the store's secrets key.
export function runHookline(args, { timeoutMs = 20000, env = {}, withKey = true } = {}) {
  // A key made for a data directory must be in the store its servers use. Other commands run
  // as given: the ones about the data directory itself (migrate, unwritable directories) test
  // the SQLite file there.
  const dataDir = args.indexOf('--data-dir');
  if (STORE === 'postgres' && args[0] === 'api-key' && dataDir >= 0 && !args.includes('--store')) {
    args = [...args, '--store', postgresStoreFor(args[dataDir + 1])];
  }
  if (withKey) args = [...args, ...secretsKeyArgs(args, env)];
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hookline ${args.join(' ')} took over ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Starts `hookline serve` and resolves once it printed its ready line.
// allowTargets: the ranges outbound calls may reach; null runs with the target guard fully on.
// env: extra environment variables for the server process.
export async function startServer({ dataDir = tempDir(), args = [], apiKey = API_KEY, allowTargets = '127.0.0.0/8', env = {} } = {}) {
  const store = STORE === 'postgres' && !args.includes('--store') ? ['--store', postgresStoreFor(dataDir)] : [];
  // Tests send the API requests back to back, faster than a person or a script would; the rate
  // limit has its own test (rate_limit.test.mjs), which sets it.
  const unlimited = args.includes('--api-rate-limit') || env.HOOKLINE_API_RATE_LIMIT ? [] : ['--api-rate-limit', '0'];
  const fullArgs = [...(args[0] === '--config' ? args.splice(0, 2) : []), 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir,
    ...store, ...(allowTargets ? ['--allow-targets', allowTargets] : []), ...(apiKey ? ['--api-key', apiKey] : []), ...unlimited, ...args];
  fullArgs.push(...secretsKeyArgs(fullArgs, env));
  const child = spawn(BIN, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (process.env.HOOKLINE_TEST_LOG) process.stderr.write(d);  // the server's log, for debugging
  });
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 20 s:\n${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/hookline ready on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hookline exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const server = {
    baseUrl,
    dataDir,
    child,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    // Calls the API; resolves {status, headers, body (parsed JSON or text)}.
    async api(method, path, body, { key = apiKey, headers = {}, raw } = {}) {
      const init = { method, headers: { ...headers } };
      if (key) init.headers.authorization = `Bearer ${key}`;
      if (raw !== undefined) {
        init.body = raw;
      } else if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers['content-type'] = 'application/json';
      }
      const res = await fetch(baseUrl + path, init);
      const text = await res.text();
      let parsed = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    // SIGTERM and wait: resolves {code, signal}.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
  return server;
}

// A receiver on 127.0.0.1. `respond(req, body)` returns {status, headers, body} or a promise of it;
// the default answers 200. Every request is kept in `requests`, with when it came (`at`, ms).
export async function startReceiver(respond = () => ({ status: 200 })) {
  const requests = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record = { method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body, at: Date.now() };
      requests.push(record);
      const answer = await respond(record);
      if (answer === null) return; // never answer
      res.writeHead(answer.status ?? 200, answer.headers ?? { 'content-type': 'text/plain' });
      res.end(answer.body ?? 'ok');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// A receiver for the tests of one file, answering by path: {'/fail': 500} answers 500 on /fail
// and 200 elsewhere. Started before the file's first test and closed after its last; the
// returned object's `receiver` is it, once started.
export function receiverByPath(statuses) {
  const context = { receiver: null };
  before(async () => {
    context.receiver = await startReceiver((req) => ({ status: statuses[req.url] ?? 200 }));
  });
  after(() => context.receiver.close());
  return context;
}

// Standard Webhooks verification, written from the specification: what a receiver would run.
export function expectedSignature(secret, id, timestamp, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

export async function waitFor(predicate, { timeoutMs = 10000, intervalMs = 25 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

// For a test file that needs one server and one receiver for all its tests: starts both before
// the first test, and after the last closes the receiver and stops the server, which must exit 0.
// Returns {server, receiver} (filled in once started), call(method, path, body, status, key),
// which asserts the answer's status and returns its body, and callsTo(path), the requests the
// receiver got on paths that start with `path`. `respond` answers as startReceiver's does.
export function serverAndReceiver(options = {}, respond = undefined) {
  const context = {
    server: null,
    receiver: null,
    async call(method, path, body, status, key = API_KEY) {
      const res = await context.server.api(method, path, body, { key });
      assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    callsTo(path) {
      return context.receiver.requests.filter((r) => r.url.startsWith(path));
    },
  };
  before(async () => {
    context.server = await startServer(options);
    context.receiver = await startReceiver(respond);
  });
  after(async () => {
    await context.receiver.close();
    const { code } = await context.server.stop();
    assert.equal(code, 0);
  });
  return context;
}

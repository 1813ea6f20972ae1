// The server serves the built UI: content types, caching, the single-page-app fallback, and no
// way out of the web root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, symlinkSync, mkdtempSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { startServer, tempDir } from '../integration/lib/harness.mjs';

const WEB_ROOT = process.env.HOOKLINE_WEB_ROOT;
if (!WEB_ROOT) throw new Error('HOOKLINE_WEB_ROOT must name the built web UI (ctest sets it)');

let server;
let root;

before(async () => {
  // A copy of the built UI, with a secret next to it and a symlink pointing out of it.
  const base = tempDir('hookline-web-');
  root = join(base, 'web');
  cpSync(WEB_ROOT, root, { recursive: true });
  writeFileSync(join(base, 'secret.txt'), 'do not serve');
  symlinkSync(join(base, 'secret.txt'), join(root, 'leak.txt'));
  server = await startServer({ args: ['--web-root', root] });
});

after(async () => {
  await server?.stop();
});

async function get(path) {
  const res = await fetch(server.baseUrl + path);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

// Sends the path as written (fetch would normalise "..").
function rawGet(path) {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
    socket.on('error', reject);
  });
}

test('index.html at / and at every page path, never cached', async () => {
  for (const path of ['/', '/webhooks', '/journeys/0192f1d0-aaaa', '/deliveries/abc?status=dead']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.body, /<div id="root"><\/div>/);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  }
});

test('hashed assets with their content types, cached for a year', async () => {
  const assets = readdirSync(join(root, 'assets'));
  const js = assets.find((f) => f.endsWith('.js'));
  const css = assets.find((f) => f.endsWith('.css'));
  const font = assets.find((f) => f.endsWith('.woff2'));
  for (const [file, type] of [
    [js, 'text/javascript; charset=utf-8'],
    [css, 'text/css; charset=utf-8'],
    [font, 'font/woff2'],
  ]) {
    assert.ok(file, `the build has a ${type} asset`);
    const res = await get(`/assets/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('content-type'), type);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }
  const icon = await get('/favicon.svg');
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
  assert.equal(icon.headers.get('cache-control'), 'no-cache');
});

test('a missing file is a 404 in JSON, and the API keeps its own answers', async () => {
  const res = await get('/assets/missing-123.js');
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(JSON.parse(res.body).error.code, 'not_found');
  const api = await get('/v1/webhooks');
  assert.equal(api.status, 401);
  const health = await get('/healthz');
  assert.equal(JSON.parse(health.body).status, 'ok');
});

test('nothing outside the web root is served', async () => {
  for (const path of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/leak.txt',
    '/..%5csecret.txt',
  ]) {
    const res = await rawGet(path);
    assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
    assert.doesNotMatch(res.text, /do not serve/, path);
  }
});

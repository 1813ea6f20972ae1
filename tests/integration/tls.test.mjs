// TLS receivers (SPEC 7): certificates are verified; --ca-file trusts an extra CA.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { startServer, tempDir } from './lib/harness.mjs';

let dir;
let receiver;
let url;

// A throw-away CA and a certificate for 127.0.0.1 that it signs, made fresh for each run.
before(async () => {
  dir = tempDir('tls-');
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Hookline Test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'san.ext', '-out', 'server.pem']);
  receiver = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) },
    (req, res) => { req.resume(); req.on('end', () => res.end('secure')); });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${receiver.address().port}/tls`;
});

after(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

test('a receiver whose CA is trusted with --ca-file succeeds', async () => {
  const server = await startServer({ args: ['--ca-file', join(dir, 'ca.pem')] });
  try {
    const res = await server.api('POST', '/v1/webhooks/test', { name: 'TLS', url });
    assert.equal(res.body.success, true, JSON.stringify(res.body.error));
    assert.equal(res.body.response.body, 'secure');
  } finally {
    await server.stop();
  }
});

test('a receiver with an untrusted self-signed CA is a tls error', async () => {
  const server = await startServer();
  try {
    const res = await server.api('POST', '/v1/webhooks/test', { name: 'TLS', url });
    assert.equal(res.body.success, false);
    assert.equal(res.body.error.code, 'tls');
  } finally {
    await server.stop();
  }
});

// Hostile input at the HTTP level, sent as an attacker would, on raw sockets: every answer is a
// 4xx, the server stays up, and deliveries of healthy events go on meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { startServer, startReceiver, waitFor, API_KEY } from './lib/harness.mjs';

let server;
let receiver;
let port;
before(async () => {
  server = await startServer({ args: ['--max-body', '65536'] });
  receiver = await startReceiver();
  port = Number(new URL(server.baseUrl).port);
  const hook = await server.api('POST', '/v1/webhooks', { name: 'Healthy', url: `${receiver.url}/ok`, events: ['hostile.healthy'] });
  assert.equal(hook.status, 201);
});
after(async () => {
  await receiver.close();
  const { code } = await server.stop();
  assert.equal(code, 0);
});

// Sends `bytes` (in pieces when given several) and resolves with everything the server answered
// before it closed the connection or 2 s passed.
function raw(...pieces) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    socket.setTimeout(2000, () => { socket.destroy(); done(); });
    socket.on('data', (d) => chunks.push(d));
    socket.on('close', done);
    socket.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? done() : reject(e)));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        if (socket.destroyed) break;
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
  });
}

function statusOf(answer) {
  const m = answer.match(/^HTTP\/1\.1 (\d{3}) /);
  return m ? Number(m[1]) : null;
}

async function stillHealthy(label) {
  const health = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(health.status, 200, `${label}: /healthz`);
  const id = randomUUID();
  const posted = await server.api('POST', '/v1/events', { id, event: 'hostile.healthy', contact: { email: 'healthy@example.com' } });
  assert.equal(posted.status, 202, `${label}: ${JSON.stringify(posted.body)}`);
  await waitFor(() => receiver.requests.some((r) => JSON.parse(r.body).id === id), { timeoutMs: 10000 });
}

const auth = `Authorization: Bearer ${API_KEY}\r\n`;

test('malformed requests are 4xx and leave the server healthy', async () => {
  const cases = [
    ['garbage request line', 'HELLO THERE\r\n\r\n'],
    ['no HTTP version', 'GET /healthz\r\n\r\n'],
    ['a header without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'],
    ['a control byte in a header value', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n'],
    ['an absolute-form target', 'GET http://evil.example/v1/webhooks HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a bad Content-Length', `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: -5\r\n\r\n`],
    ['two Content-Lengths that disagree', `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`],
    ['broken chunked encoding', `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`],
    ['a body that is not JSON', `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{nope`],
  ];
  for (const [label, request] of cases) {
    const answer = await raw(request);
    const status = statusOf(answer);
    assert.ok(status >= 400 && status < 500, `${label}: ${JSON.stringify(answer.slice(0, 200))}`);
  }
  await stillHealthy('malformed');
});

test('huge headers, bodies over the limit and deep nesting are refused with 4xx', async () => {
  const hugeHeader = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
  const hugeStatus = statusOf(hugeHeader);
  assert.ok(hugeStatus === null || (hugeStatus >= 400 && hugeStatus < 500), JSON.stringify(hugeHeader.slice(0, 200)));

  // Small headers, but over the 64 KiB that a request's headers may take together.
  const manyHeaders = Array.from({ length: 8000 }, (_, i) => `X-H${i}: v\r\n`).join('');
  const many = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\n${manyHeaders}\r\n`);
  const manyStatus = statusOf(many);
  assert.ok(manyStatus === null || (manyStatus >= 400 && manyStatus < 500), JSON.stringify(many.slice(0, 200)));

  const announced = await raw(`POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{`);
  assert.equal(statusOf(announced), 413);

  const body = JSON.stringify({ event: 'hostile.big', contact: { email: 'big@example.com' }, event_details: { pad: 'x'.repeat(80 * 1024) } });
  const chunked = `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const chunks = [];
  for (let at = 0; at < body.length; at += 8192) {
    const part = body.slice(at, at + 8192);
    chunks.push(`${part.length.toString(16)}\r\n${part}\r\n`);
  }
  const overChunked = await raw(chunked, ...chunks, '0\r\n\r\n');
  assert.equal(statusOf(overChunked), 413, 'a chunked body is held to the limit too');

  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const nested = await server.api('POST', '/v1/events', undefined, { raw: `{"event":"hostile.deep","contact":{"email":"d@example.com"},"event_details":{"a":${deep}}}` });
  assert.equal(nested.status, 400);
  assert.equal(nested.body.error.code, 'invalid_json');
  await stillHealthy('limits');
});

test('slow clients holding connections open do not stop anyone else', async () => {
  // 100 connections that send half a request and then nothing: each holds a socket until the
  // server's idle timeout, and meanwhile everyone else is served.
  const stalled = [];
  for (let i = 0; i < 100; i += 1) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('connect', () => socket.write(`POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 100\r\n\r\n{"ev`));
    stalled.push(socket);
  }
  // One that trickles its header a byte at a time.
  const trickle = net.connect(port, '127.0.0.1');
  trickle.on('error', () => {});
  const header = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ';
  let sent = 0;
  const timer = setInterval(() => { if (!trickle.destroyed) trickle.write(header[sent++ % header.length]); }, 20);
  try {
    await new Promise((r) => setTimeout(r, 200));
    await stillHealthy('slow clients');
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.baseUrl}/healthz`)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.ok(Date.now() - started < 5000, 'the others are answered while the slow ones hang');
  } finally {
    clearInterval(timer);
    trickle.destroy();
    for (const socket of stalled) socket.destroy();
  }
  await stillHealthy('after slow clients');
});

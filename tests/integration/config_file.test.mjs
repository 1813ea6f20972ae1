// Settings from a --config file (TOML or JSON), the environment and flags: flag > environment >
// file (SPEC 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir } from './lib/harness.mjs';

async function opens(server, key) {
  return (await server.api('GET', '/v1/webhooks', undefined, { key })).status === 200;
}

test('a JSON config file supplies settings', async () => {
  const file = join(tempDir('cfg-'), 'hookline.json');
  writeFileSync(file, JSON.stringify({ serve: { 'api-key': 'key-from-json', 'retry-schedule': '0s,1s' } }));
  const server = await startServer({ apiKey: null, args: ['--config', file] });
  try {
    assert.ok(await opens(server, 'key-from-json'));
    assert.ok(!server.stdout.includes('Created an API key'));
  } finally {
    await server.stop();
  }
});

test('the environment beats the TOML file, and a flag beats both', async () => {
  const file = join(tempDir('cfg-'), 'hookline.toml');
  writeFileSync(file, '[serve]\napi-key = "key-from-toml"\n');
  const fromEnv = await startServer({ apiKey: null, args: ['--config', file], env: { HOOKLINE_API_KEY: 'key-from-env' } });
  try {
    assert.ok(await opens(fromEnv, 'key-from-env'));
    assert.ok(!(await opens(fromEnv, 'key-from-toml')), 'the file lost to the environment');
  } finally {
    await fromEnv.stop();
  }
  const fromFlag = await startServer({ apiKey: 'key-from-flag', args: ['--config', file], env: { HOOKLINE_API_KEY: 'key-from-env' } });
  try {
    assert.ok(await opens(fromFlag, 'key-from-flag'));
    assert.ok(!(await opens(fromFlag, 'key-from-env')));
  } finally {
    await fromFlag.stop();
  }
});

test('a config file that is not valid JSON stops the start with a message', async () => {
  const file = join(tempDir('cfg-'), 'broken.json');
  writeFileSync(file, '{"serve": ');
  await assert.rejects(startServer({ args: ['--config', file] }), /not a JSON object|exited/);
});

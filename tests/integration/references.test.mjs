// What a running journey uses cannot be deleted from under it (issue 12): a webhook or a list used
// by an active or paused journey is refused with a 409 naming the journeys, and stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

function graph(name, hookId, conditionList, addList) {
  return {
    name,
    blocks: [
      { id: 't', type: 'trigger', config: { event: 'refs.event' } },
      { id: 'c', type: 'condition', config: { in_list: conditionList } },
      { id: 'a', type: 'add_to_list', config: { list_id: addList } },
      { id: 'w', type: 'webhook', config: { webhook_id: hookId } },
      { id: 'x', type: 'exit' },
    ],
    edges: [
      { source: 't', target: 'c' }, { source: 'c', target: 'w', branch: 'yes' },
      { source: 'c', target: 'a', branch: 'no' }, { source: 'a', target: 'w' }, { source: 'w', target: 'x' },
    ],
  };
}

test('a webhook or a list an active or paused journey uses is not deleted; a draft holds nothing', async () => {
  const hook = await call('POST', '/v1/webhooks', { name: 'CRM', url: `${env.receiver.url}/crm` }, 201);
  const members = await call('POST', '/v1/lists', { name: 'Members' }, 201);
  const added = await call('POST', '/v1/lists', { name: 'Added' }, 201);
  const journey = await call('POST', '/v1/journeys', graph('Welcome → CRM', hook.id, members.id, added.id), 201);

  // A draft holds nothing: a spare webhook used only by a draft goes.
  const spare = await call('POST', '/v1/webhooks', { name: 'Spare', url: `${env.receiver.url}/spare` }, 201);
  await call('POST', '/v1/journeys', graph('Draft', spare.id, members.id, added.id), 201);
  await call('DELETE', `/v1/webhooks/${spare.id}`, undefined, 204);

  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);
  for (const status of ['active', 'paused']) {
    for (const [path, what, id] of [['/v1/webhooks', 'webhook', hook.id], ['/v1/lists', 'list', members.id], ['/v1/lists', 'list', added.id]]) {
      const refused = await call('DELETE', `${path}/${id}`, undefined, 409);
      assert.equal(refused.error.code, 'conflict');
      assert.ok(refused.error.message.includes(`the ${what} ${id} is used by a journey that is active or paused`), refused.error.message);
      assert.ok(refused.error.message.includes(`"Welcome → CRM" (${journey.id})`), `${status}: ${refused.error.message}`);
      await call('GET', `${path}/${id}`, undefined, 200);
    }
    if (status === 'active') await call('POST', `/v1/journeys/${journey.id}/pause`, undefined, 200);
  }

  // The journey still works with all it uses: a contact that is not a member is added, and called.
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);
  await call('POST', '/v1/events', { event: 'refs.event', contact: { email: 'refs@example.com' } }, 202);
  await waitFor(() => env.receiver.requests.some((r) => r.url === '/crm'));

  // Once the journey is gone, so may be what it used.
  await call('DELETE', `/v1/journeys/${journey.id}`, undefined, 204);
  await call('DELETE', `/v1/webhooks/${hook.id}`, undefined, 204);
  await call('DELETE', `/v1/lists/${members.id}`, undefined, 204);
  await call('DELETE', `/v1/lists/${added.id}`, undefined, 204);
});

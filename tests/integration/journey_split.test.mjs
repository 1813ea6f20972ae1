// Split blocks (issue 14): each contact takes one branch of an A/B split, always the same one,
// the shares hold over many contacts, and the journey counts the runs per branch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndReceiver, waitFor } from './lib/harness.mjs';

const env = serverAndReceiver();
const { call } = env;

function splitJourney(listA, listB, branches = [{ name: 'Offer', percent: 50 }, { name: 'Control', percent: 50 }]) {
  return {
    name: 'Promo test',
    blocks: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { event: 'promo.sent' } },
      { id: 's', type: 'split', position: { x: 0, y: 120 }, config: { branches } },
      { id: 'a', type: 'add_to_list', position: { x: -150, y: 240 }, config: { list_id: listA } },
      { id: 'b', type: 'add_to_list', position: { x: 150, y: 240 }, config: { list_id: listB } },
    ],
    edges: [
      { source: 't', target: 's' },
      { source: 's', target: 'a', branch: branches[0].name },
      { source: 's', target: 'b', branch: branches[1].name },
    ],
  };
}

const memberIds = async (listId) =>
  (await call('GET', `/v1/lists/${listId}/contacts?limit=250`, undefined, 200)).data.map((c) => c.id).sort();

test('each contact takes one branch, the same one every time, and the branches are counted', async () => {
  const offer = await call('POST', '/v1/lists', { name: 'Got the offer' }, 201);
  const control = await call('POST', '/v1/lists', { name: 'Control group' }, 201);
  const journey = await call('POST', '/v1/journeys', splitJourney(offer.id, control.id), 201);
  assert.deepEqual(journey.edges.map((e) => e.branch ?? null), [null, 'Offer', 'Control']);
  await call('POST', `/v1/journeys/${journey.id}/activate`, undefined, 200);

  const contacts = 40;
  const events = Array.from({ length: contacts }, (_, i) => ({
    event: 'promo.sent', contact: { email: `person${i}@example.com` },
  }));
  await call('POST', '/v1/events/batch', { events }, 202);
  let stats;
  await waitFor(async () => {
    stats = (await call('GET', `/v1/journeys/${journey.id}`, undefined, 200)).stats;
    return stats.t.entered === contacts;
  });
  const { Offer, Control } = stats.s.branches;
  assert.equal(Offer + Control, contacts, JSON.stringify(stats.s));
  // 50/50 over 40 contacts: fewer than 6 on a side would happen about once in a million.
  assert.ok(Offer > 5 && Control > 5, JSON.stringify(stats.s));
  const inOffer = await memberIds(offer.id);
  const inControl = await memberIds(control.id);
  assert.equal(inOffer.length, Offer);
  assert.equal(inControl.length, Control);
  assert.ok(!inOffer.some((id) => inControl.includes(id)), 'nobody is in both');

  // The same contacts again: every one goes the way it went before.
  await call('POST', '/v1/events/batch', { events }, 202);
  await waitFor(async () => (await call('GET', `/v1/journeys/${journey.id}`, undefined, 200)).stats.t.entered === 2 * contacts);
  const again = (await call('GET', `/v1/journeys/${journey.id}`, undefined, 200)).stats.s.branches;
  assert.deepEqual(again, { Offer: 2 * Offer, Control: 2 * Control });
  assert.deepEqual(await memberIds(offer.id), inOffer);
  assert.deepEqual(await memberIds(control.id), inControl);
});

test('a split that does not add up, or an edge to a branch it lacks, is refused naming the block', async () => {
  const list = await call('POST', '/v1/lists', { name: 'Anyone' }, 201);
  const uneven = await env.server.api('POST', '/v1/journeys',
    splitJourney(list.id, list.id, [{ name: 'A', percent: 60 }, { name: 'B', percent: 30 }]));
  assert.equal(uneven.status, 422, JSON.stringify(uneven.body));
  assert.equal(uneven.body.error.field, 'blocks.s.config.branches');
  assert.match(uneven.body.error.message, /add up to 100 \(they add up to 90\)/);

  const wrongEdge = splitJourney(list.id, list.id);
  wrongEdge.edges[2].branch = 'Nobody';
  const refused = await env.server.api('POST', '/v1/journeys', wrongEdge);
  assert.equal(refused.status, 422, JSON.stringify(refused.body));
  assert.equal(refused.body.error.field, 'blocks.s');
});

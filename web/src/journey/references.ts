// Which journeys use a webhook or a list. The server refuses to delete either while a journey
// that is active or paused uses it (409); the UI names those journeys.
import type { Journey, JourneyBlock } from '../api';

function usesWebhook(block: JourneyBlock, id: string): boolean {
  return block.type === 'webhook' && block.config.webhook_id === id;
}

// A condition names its list in `in_list`; the list actions in `list_id`.
function usesList(block: JourneyBlock, id: string): boolean {
  return block.config.in_list === id || block.config.list_id === id;
}

// The journeys that are not drafts and have a block that uses the resource.
export function runningJourneysUsing(
  journeys: Journey[],
  resource: { webhook: string } | { list: string },
): Journey[] {
  const uses = (b: JourneyBlock) =>
    'webhook' in resource ? usesWebhook(b, resource.webhook) : usesList(b, resource.list);
  return journeys.filter((j) => j.status !== 'draft' && j.blocks.some(uses));
}

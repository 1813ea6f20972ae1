// The journey blocks the palette offers (one Goal at most), how each one reads on the canvas, and
// the checks the builder makes before the server validates the whole journey.
import type { ReactNode } from 'react';
import type { BlockType, ContactList, Webhook } from '../api';
import { opLabel } from '../catalog';
import { MAX_WAIT_DAYS, WAIT_LIMIT_MESSAGE } from '../messages';
import {
  BoltIcon,
  BranchesIcon,
  ClockIcon,
  EditIcon,
  ExitIcon,
  FlagIcon,
  ListAddIcon,
  ListRemoveIcon,
  SplitIcon,
  WebhookIcon,
} from '../icons';
import { branchesOf, percentTotal, splitConfig, splitProblem } from './branches';
import { durationMs, durationText } from './duration';
import { eventProblem, eventSummary, valueText } from './eventText';
import { untilConfig, untilProblem, untilSummary } from './waitUntil';
import { webhookProblem } from './webhookAnswer';

export type PaletteGroup = 'Triggers' | 'Conditions' | 'Delays' | 'Actions' | 'Goal';

export interface PaletteItem {
  kind: string;
  type: BlockType;
  group: PaletteGroup;
  label: string;
  description: string;
  config: () => Record<string, unknown>;
}

export const PALETTE: PaletteItem[] = [
  {
    kind: 'trigger.email_click',
    type: 'trigger',
    group: 'Triggers',
    label: 'Email link clicked',
    description: 'A contact clicks a campaign email',
    config: () => ({ event: 'email.click', filters: [] }),
  },
  {
    kind: 'trigger.list_add',
    type: 'trigger',
    group: 'Triggers',
    label: 'Added to a list',
    description: 'A contact joins a list',
    config: () => ({ event: 'list.add_contact', filters: [] }),
  },
  {
    kind: 'trigger.form_submit',
    type: 'trigger',
    group: 'Triggers',
    label: 'Form submitted',
    description: 'A contact submits a form',
    config: () => ({ event: 'form.submit', filters: [] }),
  },
  {
    kind: 'trigger.event',
    type: 'trigger',
    group: 'Triggers',
    label: 'Any event',
    description: 'Any system or custom event',
    config: () => ({ event: 'contact.create', filters: [] }),
  },
  {
    kind: 'condition.list',
    type: 'condition',
    group: 'Conditions',
    label: 'Is in list',
    description: 'Yes if the contact is a member',
    config: () => ({ in_list: '' }),
  },
  {
    kind: 'condition.field',
    type: 'condition',
    group: 'Conditions',
    label: 'Contact field',
    description: 'Yes if a property matches',
    config: () => ({ field: 'contact.', op: 'eq', value: '' }),
  },
  {
    kind: 'split',
    type: 'split',
    group: 'Conditions',
    label: 'Split (A/B)',
    description: 'Divide contacts by percent',
    config: splitConfig,
  },
  {
    kind: 'delay',
    type: 'delay',
    group: 'Delays',
    label: 'Wait',
    description: 'Minutes, hours or days',
    config: () => ({ duration: '1d' }),
  },
  {
    kind: 'wait_until',
    type: 'wait_until',
    group: 'Delays',
    label: 'Wait until',
    description: 'An event happens, or a time of day',
    config: () => untilConfig('event'),
  },
  {
    kind: 'webhook',
    type: 'webhook',
    group: 'Actions',
    label: 'Webhook',
    description: 'Call a third-party app',
    config: () => ({ webhook_id: '' }),
  },
  {
    kind: 'add_to_list',
    type: 'add_to_list',
    group: 'Actions',
    label: 'Add to list',
    description: 'Put the contact in a list',
    config: () => ({ list_id: '' }),
  },
  {
    kind: 'remove_from_list',
    type: 'remove_from_list',
    group: 'Actions',
    label: 'Remove from list',
    description: 'Take the contact out of a list',
    config: () => ({ list_id: '' }),
  },
  {
    kind: 'update_contact',
    type: 'update_contact',
    group: 'Actions',
    label: 'Update contact',
    description: 'Set contact properties',
    config: () => ({ properties: {} }),
  },
  {
    kind: 'exit',
    type: 'exit',
    group: 'Actions',
    label: 'Exit',
    description: 'End the journey here',
    config: () => ({}),
  },
  {
    kind: 'goal',
    type: 'goal',
    group: 'Goal',
    label: 'Goal',
    description: 'Takes contacts out when an event happens (counted as converted)',
    config: () => ({ event: '', filters: [] }),
  },
];

export const PALETTE_GROUPS: PaletteGroup[] = ['Triggers', 'Conditions', 'Delays', 'Actions', 'Goal'];

// Why the palette cannot add `item` to a journey of these blocks (null: it can): a journey has
// one goal at most.
export function paletteLimit(item: PaletteItem, blocks: { id: string; data: { type: BlockType } }[]) {
  const goal = item.type === 'goal' ? blocks.find((b) => b.data.type === 'goal') : undefined;
  return goal ? `One per journey: this one has ${goal.id}` : null;
}

export const TYPE_TITLES: Record<BlockType, string> = {
  trigger: 'Trigger',
  condition: 'Condition',
  split: 'Split (A/B)',
  delay: 'Wait',
  wait_until: 'Wait until',
  webhook: 'Webhook',
  add_to_list: 'Add to list',
  remove_from_list: 'Remove from list',
  update_contact: 'Update contact',
  exit: 'Exit',
  goal: 'Goal',
};

export function typeIcon(type: BlockType, size = 16): ReactNode {
  switch (type) {
    case 'trigger':
      return <BoltIcon size={size} />;
    case 'condition':
      return <SplitIcon size={size} />;
    case 'split':
      return <BranchesIcon size={size} />;
    case 'delay':
    case 'wait_until':
      return <ClockIcon size={size} />;
    case 'webhook':
      return <WebhookIcon size={size} />;
    case 'add_to_list':
      return <ListAddIcon size={size} />;
    case 'remove_from_list':
      return <ListRemoveIcon size={size} />;
    case 'update_contact':
      return <EditIcon size={size} />;
    case 'exit':
      return <ExitIcon size={size} />;
    case 'goal':
      return <FlagIcon size={size} />;
  }
}

export function typeTone(type: BlockType): string {
  if (type === 'trigger') return 'trigger';
  // A split branches as a condition does: the same colour.
  if (type === 'condition' || type === 'split') return 'condition';
  if (type === 'delay' || type === 'wait_until') return 'delay';
  if (type === 'goal') return 'goal';
  return 'action';
}

export interface Lookups {
  webhooks: Webhook[];
  lists: ContactList[];
}

// One line that says what the block does, as the canvas shows it.
export function blockSummary(type: BlockType, config: Record<string, unknown>, lookups: Lookups): string {
  switch (type) {
    case 'trigger':
    case 'goal':
      return eventSummary(config);
    case 'condition': {
      if ('in_list' in config) {
        const list = lookups.lists.find((l) => l.id === config.in_list);
        return config.in_list
          ? `Contact is in list ${list ? `“${list.name}”` : '(deleted list)'}`
          : 'Choose a list';
      }
      const field = String(config.field ?? '');
      if (!field || field === 'contact.') return 'Choose a field';
      return `${field} ${opLabel(String(config.op ?? 'eq'))}${config.op === 'exists' ? '' : ' ' + valueText(config.value ?? '')}`;
    }
    case 'split': {
      // The shares only: the block shows each branch's name at its output.
      const branches = branchesOf(config);
      const total = percentTotal(branches);
      if (total !== 100) return `Set a split that adds up to 100% (now ${total}%)`;
      return `Splits contacts ${branches.map((b) => b.percent).join(' / ')}`;
    }
    case 'delay':
      return durationText(config.duration);
    case 'wait_until':
      return untilSummary(config);
    case 'webhook': {
      const w = lookups.webhooks.find((x) => x.id === config.webhook_id);
      return config.webhook_id ? (w ? w.name : '(deleted webhook)') : 'Choose or create a webhook';
    }
    case 'add_to_list':
    case 'remove_from_list': {
      const list = lookups.lists.find((l) => l.id === config.list_id);
      return config.list_id ? (list ? `List “${list.name}”` : '(deleted list)') : 'Choose a list';
    }
    case 'update_contact': {
      const keys = Object.keys((config.properties as Record<string, unknown>) ?? {});
      return keys.length ? `Set ${keys.join(', ')}` : 'Choose properties to set';
    }
    case 'exit':
      return 'The contact leaves the journey';
  }
}

// What is missing in one block's own settings (the server also checks the graph).
export function blockProblem(type: BlockType, config: Record<string, unknown>): string | null {
  switch (type) {
    case 'trigger':
      return eventProblem(config, 'Choose the event that starts the journey.');
    case 'goal':
      return eventProblem(config, 'Choose the event that counts as converted.');
    case 'condition':
      if ('in_list' in config) return config.in_list ? null : 'Choose the list to check.';
      if (!config.field || config.field === 'contact.') return 'Choose the contact field to check.';
      return null;
    case 'split':
      return splitProblem(config);
    case 'delay': {
      const ms = durationMs(config.duration);
      if (!ms) return 'Set how long to wait.';
      return ms > MAX_WAIT_DAYS * 86_400_000 ? WAIT_LIMIT_MESSAGE : null;
    }
    case 'wait_until':
      return untilProblem(config);
    case 'webhook':
      return webhookProblem(config);
    case 'add_to_list':
    case 'remove_from_list':
      return config.list_id ? null : 'Choose a list.';
    case 'update_contact':
      return Object.keys((config.properties as object) ?? {}).length ? null : 'Add a property to set.';
    case 'exit':
      return null;
  }
}

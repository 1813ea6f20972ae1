// Event names and placeholder properties the forms offer.
import type { EventType } from './api';

// `aboutContact: false`: Hookline's events about a webhook (disabled by Hookline, or recovered by
// a probe); their payload's contact is null, so a webhook may subscribe to them but no journey
// can start from them or wait for them.
export const EVENT_GROUPS: { label: string; events: string[]; aboutContact?: false }[] = [
  { label: 'Contact', events: ['contact.create', 'contact.update', 'contact.delete'] },
  { label: 'List', events: ['list.add_contact', 'list.remove_contact'] },
  {
    label: 'Email',
    events: ['email.send', 'email.open', 'email.click', 'email.bounce', 'email.unsubscribe'],
  },
  { label: 'Form', events: ['form.submit'] },
  { label: 'Webhook', events: ['webhook.disabled', 'webhook.recovered'], aboutContact: false },
];

// The groups a journey's trigger, goal or Wait until may pick from.
export const CONTACT_EVENT_GROUPS = EVENT_GROUPS.filter((g) => g.aboutContact !== false);

export const EVENT_LABELS: Record<string, string> = {
  'contact.create': 'Contact created',
  'contact.update': 'Contact updated',
  'contact.delete': 'Contact deleted',
  'list.add_contact': 'Contact added to list',
  'list.remove_contact': 'Contact removed from list',
  'email.send': 'Email sent',
  'email.open': 'Email opened',
  'email.click': 'Email link clicked',
  'email.bounce': 'Email bounced',
  'email.unsubscribe': 'Unsubscribed',
  'form.submit': 'Form submitted',
  'webhook.disabled': 'Webhook disabled by Hookline',
  'webhook.recovered': 'Webhook recovered',
};

export const SYSTEM_EVENTS = EVENT_GROUPS.flatMap((g) => g.events);

export function eventLabel(name: string): string {
  return EVENT_LABELS[name] ?? name;
}

export const EVENT_NAME_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

// A group of the placeholder menus; `note` names what it is about (the event name of its details).
export interface PlaceholderGroup {
  label: string;
  note?: string;
  items: { path: string; label: string }[];
}

export const CONTACT_FIELDS: { path: string; label: string }[] = [
  { path: 'contact.id', label: 'Contact ID' },
  { path: 'contact.email', label: 'Email' },
  { path: 'contact.first_name', label: 'First name' },
  { path: 'contact.last_name', label: 'Last name' },
  { path: 'contact.mobile', label: 'Mobile' },
];

export const EVENT_FIELDS: { path: string; label: string }[] = [
  { path: 'event.name', label: 'Event name' },
  { path: 'event.id', label: 'Event ID' },
  { path: 'event.time', label: 'Event time' },
  { path: 'event.list_id', label: 'List ID' },
  { path: 'event.contact_id', label: 'Contact ID (event)' },
  { path: 'event.campaign_name', label: 'Campaign name' },
];

export const OTHER_FIELDS: { path: string; label: string }[] = [
  { path: 'journey.name', label: 'Journey name' },
  { path: 'webhook.name', label: 'Webhook name' },
];

// Keys of event details a placeholder names as event.<key>, except those the event's own fields
// (id, name, time) hide and those the built-in list offers already.
const HIDDEN_EVENT_KEYS = new Set([
  'id',
  'name',
  'time',
  ...EVENT_FIELDS.map((f) => f.path.slice('event.'.length)),
]);

// The keys the catalog has seen in the details of the events a webhook subscribes to (of every
// event name when it subscribes to none), a group per event name.
export function eventDetailGroups(types: EventType[], subscribed: string[] = []): PlaceholderGroup[] {
  const chosen = subscribed.length
    ? subscribed.flatMap((name) => types.filter((t) => t.name === name))
    : types;
  return chosen
    .map((t) => ({
      label: 'Event details',
      note: t.name,
      items: t.keys
        .filter((k) => !HIDDEN_EVENT_KEYS.has(k))
        .map((k) => ({ path: `event.${k}`, label: k })),
    }))
    .filter((g) => g.items.length > 0);
}

// Contact properties seen on stored contacts join the built-in fields; keys of event details
// (eventDetailGroups) follow the built-in event fields.
export function placeholderGroups(
  contactProperties: string[],
  eventGroups: PlaceholderGroup[] = [],
): PlaceholderGroup[] {
  const builtIn = new Set(CONTACT_FIELDS.map((f) => f.path));
  const extra = contactProperties
    .map((p) => `contact.${p}`)
    .filter((p) => !builtIn.has(p))
    .map((path) => ({ path, label: path.slice('contact.'.length) }));
  return [
    { label: 'Contact properties', items: [...CONTACT_FIELDS, ...extra] },
    { label: 'Event properties', items: EVENT_FIELDS },
    ...eventGroups,
    { label: 'Other', items: OTHER_FIELDS },
  ];
}

// The fields a webhook's filters suggest: the keys the catalog has seen in the details of the
// events it subscribes to (of every event when none), the event's name, and the contact's fields
// and properties. Filters name details as event_details.<key>, where placeholders say event.<key>.
export function filterFields(
  types: EventType[],
  subscribed: string[],
  contactProperties: string[],
): string[] {
  const chosen = subscribed.length ? types.filter((t) => subscribed.includes(t.name)) : types;
  const details = [...new Set(chosen.flatMap((t) => t.keys))].sort().map((k) => `event_details.${k}`);
  const contact = new Set([
    ...CONTACT_FIELDS.map((f) => f.path),
    ...contactProperties.map((p) => `contact.${p}`),
  ]);
  return [...details, 'event.name', ...contact];
}

export const FILTER_OPS: { value: string; label: string }[] = [
  { value: 'eq', label: 'is' },
  { value: 'neq', label: 'is not' },
  { value: 'contains', label: 'contains' },
  { value: 'exists', label: 'exists' },
  { value: 'gt', label: 'greater than' },
  { value: 'lt', label: 'less than' },
];

export function opLabel(op: string): string {
  return FILTER_OPS.find((o) => o.value === op)?.label ?? op;
}

// The event catalog: every event name the workspace has received (GET /v1/event-types), when it
// was first and last seen, and, opened, the keys of its details and an example. Filters kept in
// the URL; the list is filtered here (the catalog is small).
import { useState } from 'react';
import type { EventType } from '../api';
import { eventLabel } from '../catalog';
import { EventTypeDetail } from '../components/EventTypeDetail';
import { FilterBar } from '../components/FilterBar';
import { TableCard } from '../components/TableCard';
import { formatRelative, formatTime } from '../format';
import { useEventCatalog } from '../catalogHooks';
import { useUrlFilters } from '../hooks';
import { ChevronDownIcon, EventsIcon, RefreshIcon } from '../icons';
import { Alert, Badge, Button, Code, EmptyState, Loading, PageHeader } from '../ui';

const NO_FILTERS = { q: '', category: '', group: '' };

const CATEGORIES = [
  { value: 'system', label: 'System' },
  { value: 'custom', label: 'Custom' },
];

const GROUPS = ['Contact', 'List', 'Email', 'Form', 'Custom'];

const EXAMPLE_POST = `POST /v1/events
{
  "event": "order.paid",
  "contact": { "email": "ana@example.com" },
  "event_details": { "total": 150, "currency": "EUR" }
}`;

// last_seen_at is as precise as an hour: "In the last hour", else how long ago.
function lastSeen(ms: number): string {
  return Date.now() - ms < 3_600_000 ? 'In the last hour' : formatRelative(ms);
}

function EventTypeRow({ type }: { type: EventType }) {
  const [open, setOpen] = useState(false);
  const label = eventLabel(type.name);
  const detailId = `event-type-${type.name.replace(/[^a-z0-9_-]/gi, '-')}`;
  return (
    <>
      <tr className={open ? 'expanded' : ''} data-event-type={type.name}>
        <td>
          <span className="stack">
            <span className="mono strong">{type.name}</span>
            {label !== type.name && <span className="muted small">{label}</span>}
          </span>
        </td>
        <td>
          <Badge tone={type.category === 'system' ? 'info' : 'accent'}>
            {type.category === 'system' ? 'System' : 'Custom'}
          </Badge>
        </td>
        <td>{type.group}</td>
        <td className="small nowrap">{formatTime(type.first_seen_at)}</td>
        <td className="small nowrap" title={`Precise to an hour: ${formatTime(type.last_seen_at)}`}>
          {lastSeen(type.last_seen_at)}
        </td>
        <td className="catalog-keys-cell">
          <button
            type="button"
            className="changes-toggle"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => setOpen((o) => !o)}
          >
            <span className="changes-summary">
              {type.keys.length} {type.keys.length === 1 ? 'key' : 'keys'}
            </span>
            <ChevronDownIcon size={14} className="changes-chevron" />
            <span className="sr-only">
              {open ? 'Hide' : 'Show'} keys and example of {type.name}
            </span>
          </button>
        </td>
      </tr>
      {open && (
        <tr className="audit-detail" id={detailId}>
          <td colSpan={6}>
            <EventTypeDetail type={type} />
          </td>
        </tr>
      )}
    </>
  );
}

export function EventCatalogPage() {
  const { filters, set, clear, filtered } = useUrlFilters('/events', NO_FILTERS);
  const catalog = useEventCatalog();
  const all = catalog.data;
  const needle = filters.q.trim().toLowerCase();
  const rows = all?.filter(
    (t) =>
      (!needle || t.name.includes(needle) || eventLabel(t.name).toLowerCase().includes(needle)) &&
      (!filters.category || t.category === filters.category) &&
      (!filters.group || t.group === filters.group),
  );

  return (
    <div className="page">
      <PageHeader
        title="Event catalog"
        description={
          <>
            The events this workspace has received, the keys seen in their details and an example. Each key
            is a placeholder, <code>{'{{event.<key>}}'}</code>, in a webhook&apos;s URL, headers and payload.
          </>
        }
        actions={
          <Button icon={<RefreshIcon size={16} />} onClick={() => void catalog.reload()}>
            Refresh
          </Button>
        }
      />
      {all && all.length > 0 && (
        <FilterBar
          label="Filter the event catalog"
          fields={[
            { key: 'q', label: 'Event name', placeholder: 'Any', mono: true },
            { key: 'category', label: 'Category', anyLabel: 'Any category', options: CATEGORIES },
            {
              key: 'group',
              label: 'Group',
              anyLabel: 'Any group',
              options: GROUPS.map((g) => ({ value: g, label: g })),
            },
          ]}
          values={filters}
          onChange={(key, value) => set({ [key]: value })}
          onClear={clear}
        />
      )}

      {catalog.error && <Alert title="Could not load the event catalog">{catalog.error.message}</Alert>}
      {!all && !catalog.error && <Loading />}
      {all && all.length === 0 && (
        <EmptyState
          icon={<EventsIcon size={28} />}
          title="No events yet"
          action={<Code label="An event posted to the API">{EXAMPLE_POST}</Code>}
        >
          Events appear here once Hookline receives them: post them to /v1/events (or /v1/events/batch) with an
          API key. Events Hookline raises itself, such as contact.create, appear once a webhook or a journey
          listens to them.
        </EmptyState>
      )}
      {all && all.length > 0 && rows?.length === 0 && (
        <EmptyState icon={<EventsIcon size={28} />} title="No event matches these filters">
          {filtered ? 'Try another name, category or group.' : null}
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <TableCard
          label="Event types"
          className="catalog-table"
          columns={['Event', 'Category', 'Group', 'First seen', 'Last seen', 'Keys']}
        >
          {rows.map((t) => (
            <EventTypeRow key={t.name} type={t} />
          ))}
        </TableCard>
      )}
    </div>
  );
}

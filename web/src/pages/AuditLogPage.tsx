// The audit log: every change made through the API, newest first, who made it and what changed;
// filters kept in the URL, more pages on demand.
import { useState } from 'react';
import { listAll, type ApiKey, type AuditAction, type AuditEntry, type AuditResourceType } from '../api';
import { ChangesDetail, changesSummary } from '../components/AuditChanges';
import { FilterBar, type FilterOption } from '../components/FilterBar';
import { TableCard } from '../components/TableCard';
import { useCurrentKey, useLoad, usePagedList, useUrlFilters } from '../hooks';
import { AuditIcon, ChevronDownIcon, RefreshIcon } from '../icons';
import { Link } from '../router';
import { Alert, Badge, Button, EmptyState, Loading, PageHeader } from '../ui';
import { formatTime } from '../format';

const ACTIONS: { value: AuditAction; label: string; tone: Parameters<typeof Badge>[0]['tone'] }[] = [
  { value: 'create', label: 'Create', tone: 'success' },
  { value: 'update', label: 'Update', tone: 'info' },
  { value: 'delete', label: 'Delete', tone: 'danger' },
  { value: 'activate', label: 'Activate', tone: 'success' },
  { value: 'pause', label: 'Pause', tone: 'warning' },
  { value: 'rotate_secret', label: 'Rotate secret', tone: 'accent' },
  { value: 'revoke', label: 'Revoke', tone: 'danger' },
  { value: 'recover', label: 'Recover', tone: 'accent' },
  { value: 'retry', label: 'Retry', tone: 'accent' },
  { value: 'add_members', label: 'Add members', tone: 'neutral' },
  { value: 'remove_member', label: 'Remove member', tone: 'neutral' },
];

const RESOURCE_TYPES: { value: AuditResourceType; label: string; page?: (id: string) => string }[] = [
  { value: 'webhook', label: 'Webhook', page: (id) => `/webhooks/${id}` },
  { value: 'journey', label: 'Journey', page: (id) => `/journeys/${id}` },
  { value: 'contact', label: 'Contact' },
  { value: 'list', label: 'List', page: (id) => `/lists/${id}` },
  { value: 'delivery', label: 'Delivery', page: (id) => `/deliveries/${id}` },
  { value: 'api_key', label: 'API key' },
  { value: 'workspace', label: 'Workspace' },
];

const NO_FILTERS = { action: '', resource_type: '', resource_id: '', key_id: '' };

function ActionBadge({ action }: { action: string }) {
  const a = ACTIONS.find((x) => x.value === action);
  return <Badge tone={a?.tone ?? 'neutral'}>{a?.label ?? action}</Badge>;
}

function Resource({ entry, gone }: { entry: AuditEntry; gone: boolean }) {
  const type = RESOURCE_TYPES.find((t) => t.value === entry.resource_type);
  const to = !gone && type?.page ? type.page(entry.resource_id) : null;
  return (
    <span className="stack">
      <span className="strong">{type?.label ?? entry.resource_type}</span>
      {to ? (
        <Link to={to} className="mono small">
          {entry.resource_id}
        </Link>
      ) : (
        <span className="mono small muted" title={gone ? 'Deleted since' : undefined}>
          {entry.resource_id}
        </span>
      )}
    </span>
  );
}

// The key filter lists the workspace's keys, which only an admin key may read.
function useKeyOptions(rows: AuditEntry[] | null, selected: string): FilterOption[] | null {
  const me = useCurrentKey();
  const isAdmin = me.data?.scope === 'admin';
  const keys = useLoad(() => (isAdmin ? listAll<ApiKey>('/v1/api-keys') : Promise.resolve(null)), [isAdmin]);
  if (!keys.data && !selected) return null;
  const options = (keys.data ?? []).map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…)` }));
  if (selected && !options.some((o) => o.value === selected)) {
    options.push({ value: selected, label: rows?.find((r) => r.key_id === selected)?.key_name ?? selected });
  }
  return options;
}

function AuditRow({ entry, gone }: { entry: AuditEntry; gone: boolean }) {
  const [expanded, setExpanded] = useState(false);
  const summary = changesSummary(entry.changes);
  return (
    <>
      <tr data-audit-id={entry.id} className={expanded ? 'expanded' : ''}>
        <td className="small nowrap">{formatTime(entry.time)}</td>
        <td>
          <span className="stack">
            <span>{entry.key_name}</span>
            <span className="mono small muted id-short" title={entry.key_id}>
              {entry.key_id}
            </span>
          </span>
        </td>
        <td>
          <ActionBadge action={entry.action} />
        </td>
        <td>
          <Resource entry={entry} gone={gone} />
        </td>
        <td className="changes-cell">
          {summary ? (
            <button
              type="button"
              className="changes-toggle"
              aria-expanded={expanded}
              aria-controls={`changes-${entry.id}`}
              onClick={() => setExpanded((x) => !x)}
            >
              <span className="changes-summary mono small">{summary}</span>
              <ChevronDownIcon size={14} className="changes-chevron" />
              <span className="sr-only">{expanded ? 'Hide changes' : 'Show changes'}</span>
            </button>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
      </tr>
      {expanded && entry.changes && (
        <tr className="audit-detail" id={`changes-${entry.id}`}>
          <td colSpan={5}>
            <ChangesDetail changes={entry.changes} />
          </td>
        </tr>
      )}
    </>
  );
}

export function AuditLogPage() {
  const { filters, set, clear, filtered } = useUrlFilters('/audit-log', NO_FILTERS);
  const log = usePagedList<AuditEntry>('/v1/audit-log', {
    limit: 50,
    action: filters.action,
    resource_type: filters.resource_type,
    resource_id: filters.resource_id.trim(),
    key_id: filters.key_id,
  });
  const keyOptions = useKeyOptions(log.rows, filters.key_id);
  const rows = log.rows;
  // Resources deleted (or keys revoked) in what is loaded get no link to a page that is gone.
  const gone = new Set(
    (rows ?? []).filter((r) => r.action === 'delete' || r.action === 'revoke').map((r) => r.resource_id),
  );

  return (
    <div className="page">
      <PageHeader
        title="Audit log"
        description="Every change made through the API: when, with which key, and what changed. Secrets are masked."
        actions={
          <Button icon={<RefreshIcon size={16} />} onClick={() => void log.reload()}>
            Refresh
          </Button>
        }
      />
      <FilterBar
        label="Filter the audit log"
        fields={[
          { key: 'action', label: 'Action', anyLabel: 'Any action', options: ACTIONS },
          { key: 'resource_type', label: 'Resource type', anyLabel: 'Any resource', options: RESOURCE_TYPES },
          { key: 'resource_id', label: 'Resource ID', placeholder: 'Any', mono: true },
          ...(keyOptions
            ? [{ key: 'key_id' as const, label: 'Key', anyLabel: 'Any key', options: keyOptions }]
            : []),
        ]}
        values={filters}
        onChange={(key, value) => set({ [key]: value })}
        onClear={clear}
      />

      {log.error && <Alert title="Could not load the audit log">{log.error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !log.error && (
        <EmptyState
          icon={<AuditIcon size={28} />}
          title={filtered ? 'No change matches these filters' : 'No changes yet'}
        >
          {filtered
            ? 'Try another action or resource.'
            : 'Each change made through the API (a webhook saved, a key revoked…) appears here.'}
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <TableCard
          label="Audit log"
          className="audit-table"
          columns={['Time', 'Key', 'Action', 'Resource', 'Changes']}
          more={{ show: !!log.cursor, busy: log.loadingMore, onClick: () => void log.loadMore() }}
        >
          {rows.map((r) => (
            <AuditRow key={r.id} entry={r} gone={gone.has(r.resource_id)} />
          ))}
        </TableCard>
      )}
    </div>
  );
}

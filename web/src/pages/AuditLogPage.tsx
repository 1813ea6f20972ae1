// The audit log: every change made through the API, newest first, who made it and what changed;
// filters kept in the URL, more pages on demand.
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  listAll,
  type ApiKey,
  type AuditAction,
  type AuditEntry,
  type AuditResourceType,
  type Page,
} from '../api';
import { ChangesDetail, changesSummary } from '../components/AuditChanges';
import { useCurrentKey } from '../hooks';
import { AuditIcon, ChevronDownIcon, RefreshIcon } from '../icons';
import { Link } from '../router';
import { Alert, Badge, Button, EmptyState, Field, formatTime, Loading, PageHeader } from '../ui';

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

interface Filters {
  action: string;
  resource_type: string;
  resource_id: string;
  key_id: string;
}

const FILTER_KEYS: (keyof Filters)[] = ['action', 'resource_type', 'resource_id', 'key_id'];
const NO_FILTERS: Filters = { action: '', resource_type: '', resource_id: '', key_id: '' };

function readFilters(): Filters {
  const q = new URLSearchParams(window.location.search);
  return {
    action: q.get('action') ?? '',
    resource_type: q.get('resource_type') ?? '',
    resource_id: q.get('resource_id') ?? '',
    key_id: q.get('key_id') ?? '',
  };
}

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

export function AuditLogPage() {
  const me = useCurrentKey();
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const seq = useRef(0);

  // The key filter lists the workspace's keys, which only an admin key may read.
  const isAdmin = me.data?.scope === 'admin';
  useEffect(() => {
    if (isAdmin) listAll<ApiKey>('/v1/api-keys').then(setKeys, () => {});
  }, [isAdmin]);

  const query = useCallback(
    (c?: string | null) => ({
      limit: 50,
      cursor: c ?? undefined,
      action: filters.action || undefined,
      resource_type: filters.resource_type || undefined,
      resource_id: filters.resource_id.trim() || undefined,
      key_id: filters.key_id || undefined,
    }),
    [filters],
  );

  const loadFirst = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const page = await api<Page<AuditEntry>>('GET', '/v1/audit-log', undefined, { query: query() });
      if (mine !== seq.current) return; // an answer to filters since changed
      setRows(page.data);
      setCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e instanceof Error ? e.message : String(e));
      setRows((r) => r ?? []);
    }
  }, [query]);

  useEffect(() => {
    void loadFirst();
    const q = new URLSearchParams();
    for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]);
    const search = q.toString();
    window.history.replaceState(null, '', `/audit-log${search ? `?${search}` : ''}`);
  }, [filters, loadFirst]);

  const loadMore = async () => {
    if (!cursor) return;
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const page = await api<Page<AuditEntry>>('GET', '/v1/audit-log', undefined, { query: query(cursor) });
      if (mine !== seq.current) return;
      setRows((r) => [...(r ?? []), ...page.data]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const filtered = FILTER_KEYS.some((k) => filters[k]);
  // Resources deleted (or keys revoked) in what is loaded get no link to a page that is gone.
  const gone = new Set(
    (rows ?? []).filter((r) => r.action === 'delete' || r.action === 'revoke').map((r) => r.resource_id),
  );
  const keyOptions = keys ?? [];
  const unknownKey = filters.key_id && !keyOptions.some((k) => k.id === filters.key_id);

  return (
    <div className="page">
      <PageHeader
        title="Audit log"
        description="Every change made through the API: when, with which key, and what changed. Secrets are masked."
        actions={
          <Button icon={<RefreshIcon size={16} />} onClick={() => void loadFirst()}>
            Refresh
          </Button>
        }
      />
      <div className="filters-bar card" role="search" aria-label="Filter the audit log">
        <Field label="Action">
          {({ id }) => (
            <select
              id={id}
              className="input select"
              value={filters.action}
              onChange={(e) => set({ action: e.target.value })}
            >
              <option value="">Any action</option>
              {ACTIONS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Resource type">
          {({ id }) => (
            <select
              id={id}
              className="input select"
              value={filters.resource_type}
              onChange={(e) => set({ resource_type: e.target.value })}
            >
              <option value="">Any resource</option>
              {RESOURCE_TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Resource ID">
          {({ id }) => (
            <input
              id={id}
              className="input mono"
              placeholder="Any"
              value={filters.resource_id}
              onChange={(e) => set({ resource_id: e.target.value })}
            />
          )}
        </Field>
        {(keys || filters.key_id) && (
          <Field label="Key">
            {({ id }) => (
              <select
                id={id}
                className="input select"
                value={filters.key_id}
                onChange={(e) => set({ key_id: e.target.value })}
              >
                <option value="">Any key</option>
                {keyOptions.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.name} ({k.prefix}…)
                  </option>
                ))}
                {unknownKey && (
                  <option value={filters.key_id}>
                    {rows?.find((r) => r.key_id === filters.key_id)?.key_name ?? filters.key_id}
                  </option>
                )}
              </select>
            )}
          </Field>
        )}
        {filtered && (
          <Button variant="ghost" size="sm" className="filters-clear" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </Button>
        )}
      </div>

      {error && <Alert title="Could not load the audit log">{error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !error && (
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
        <div className="card table-card">
          <table className="table audit-table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Key</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const summary = changesSummary(r.changes);
                const expanded = open.has(r.id);
                return (
                  <Fragment key={r.id}>
                    <tr data-audit-id={r.id} className={expanded ? 'expanded' : ''}>
                      <td className="small nowrap">{formatTime(r.time)}</td>
                      <td>
                        <span className="stack">
                          <span>{r.key_name}</span>
                          <span className="mono small muted id-short" title={r.key_id}>
                            {r.key_id}
                          </span>
                        </span>
                      </td>
                      <td>
                        <ActionBadge action={r.action} />
                      </td>
                      <td>
                        <Resource entry={r} gone={gone.has(r.resource_id)} />
                      </td>
                      <td className="changes-cell">
                        {summary ? (
                          <button
                            type="button"
                            className="changes-toggle"
                            aria-expanded={expanded}
                            aria-controls={`changes-${r.id}`}
                            onClick={() => toggle(r.id)}
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
                    {expanded && r.changes && (
                      <tr className="audit-detail" id={`changes-${r.id}`}>
                        <td colSpan={5}>
                          <ChangesDetail changes={r.changes} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
          {cursor && (
            <div className="table-footer">
              <Button size="sm" busy={loadingMore} onClick={loadMore}>
                Load more
              </Button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

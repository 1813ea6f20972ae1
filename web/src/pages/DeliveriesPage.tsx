// The delivery log: every webhook call, newest first, with filters; "recover failed since".
import { useCallback, useEffect, useState } from 'react';
import {
  api,
  ApiError,
  listAll,
  type Delivery,
  type Page,
  type ServerInfo,
  type Webhook,
} from '../api';
import { SYSTEM_EVENTS } from '../catalog';
import { useInterval } from '../hooks';
import { DeliveryIcon, RefreshIcon } from '../icons';
import { Link, navigate } from '../router';
import {
  Alert,
  Button,
  DeliveryStatusBadge,
  EmptyState,
  Field,
  formatDuration,
  formatTime,
  Loading,
  Modal,
  PageHeader,
  useToast,
} from '../ui';

interface Filters {
  webhook_id: string;
  status: string;
  event: string;
  since: string; // datetime-local text
  until: string;
}

const FILTER_KEYS: (keyof Filters)[] = ['webhook_id', 'status', 'event', 'since', 'until'];

function readFilters(): Filters {
  const q = new URLSearchParams(window.location.search);
  return {
    webhook_id: q.get('webhook_id') ?? '',
    status: q.get('status') ?? '',
    event: q.get('event') ?? '',
    since: q.get('since') ?? '',
    until: q.get('until') ?? '',
  };
}

function toMs(local: string): number | undefined {
  if (!local) return undefined;
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? undefined : t;
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

function RecoverDialog({
  webhooks,
  initialWebhook,
  onClose,
  onDone,
}: {
  webhooks: Webhook[];
  initialWebhook: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const toast = useToast();
  const [webhookId, setWebhookId] = useState(initialWebhook || webhooks[0]?.id || '');
  const [since, setSince] = useState(localInput(Date.now() - 24 * 3600 * 1000));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const ms = toMs(since);
    if (!webhookId || ms === undefined) {
      setError('Choose a webhook and a start time.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ requeued?: number }>('POST', `/v1/webhooks/${webhookId}/recover`, {
        since: ms,
      });
      const n = res?.requeued;
      toast(
        n === undefined
          ? 'Failed deliveries re-queued'
          : `${n} failed deliver${n === 1 ? 'y' : 'ies'} re-queued`,
      );
      onDone();
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404 && e.message.startsWith('no route')
          ? 'This server does not support recovering deliveries yet.'
          : e instanceof Error
            ? e.message
            : String(e),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Recover failed deliveries"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" busy={busy} onClick={submit}>
            Recover
          </Button>
        </>
      }
    >
      <p className="muted">
        Puts the webhook's failed and retrying deliveries created since the time you choose back in the queue,
        to be sent again now.
      </p>
      {error && <Alert>{error}</Alert>}
      <Field label="Webhook">
        {({ id }) => (
          <select
            id={id}
            className="input select"
            value={webhookId}
            onChange={(e) => setWebhookId(e.target.value)}
          >
            {webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Failed since">
        {({ id }) => (
          <input
            id={id}
            className="input"
            type="datetime-local"
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        )}
      </Field>
    </Modal>
  );
}

export function DeliveriesPage() {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [webhooks, setWebhooks] = useState<Webhook[]>([]);
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [extraPages, setExtraPages] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [recoverOpen, setRecoverOpen] = useState(false);

  useEffect(() => {
    listAll<Webhook>('/v1/webhooks').then(setWebhooks, () => {});
  }, []);

  // How long the log is kept; without it (an older server, an error) the page says nothing.
  const [info, setInfo] = useState<ServerInfo | null>(null);
  useEffect(() => {
    api<ServerInfo>('GET', '/v1/info').then(setInfo, () => {});
  }, []);

  const query = useCallback(
    (c?: string | null) => ({
      limit: 50,
      cursor: c ?? undefined,
      webhook_id: filters.webhook_id || undefined,
      status: filters.status || undefined,
      event: filters.event.trim() || undefined,
      since: toMs(filters.since),
      until: toMs(filters.until),
    }),
    [filters],
  );

  const loadFirst = useCallback(async () => {
    try {
      const page = await api<Page<Delivery>>('GET', '/v1/deliveries', undefined, { query: query() });
      setRows(page.data);
      setCursor(page.next_cursor);
      setExtraPages(false);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setRows((r) => r ?? []);
    }
  }, [query]);

  useEffect(() => {
    void loadFirst();
    const q = new URLSearchParams();
    for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]);
    const search = q.toString();
    window.history.replaceState(null, '', `/deliveries${search ? `?${search}` : ''}`);
  }, [filters, loadFirst]);

  useInterval(() => {
    if (!extraPages) void loadFirst();
  }, 3000);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api<Page<Delivery>>('GET', '/v1/deliveries', undefined, { query: query(cursor) });
      setRows((r) => [...(r ?? []), ...page.data]);
      setCursor(page.next_cursor);
      setExtraPages(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const webhookName = (id: string) => webhooks.find((w) => w.id === id)?.name ?? id.slice(0, 8) + '…';
  const filtered = FILTER_KEYS.some((k) => filters[k]);

  return (
    <div className="page">
      <PageHeader
        title="Deliveries"
        description={
          <>
            Every webhook call, its attempts, and what the receiver answered.
            {info && typeof info.retention === 'string' && typeof info.retention_ms === 'number' && (
              <span className="retention-note muted small">
                Deliveries are kept for {formatDuration(info.retention, info.retention_ms)} after they
                end; pending and retrying ones are kept until they end.
              </span>
            )}
          </>
        }
        actions={
          <>
            <Button icon={<RefreshIcon size={16} />} onClick={() => void loadFirst()}>
              Refresh
            </Button>
            <Button onClick={() => setRecoverOpen(true)} disabled={webhooks.length === 0}>
              Recover failed since…
            </Button>
          </>
        }
      />
      <div className="filters-bar card" role="search" aria-label="Filter deliveries">
        <Field label="Webhook">
          {({ id }) => (
            <select
              id={id}
              className="input select"
              value={filters.webhook_id}
              onChange={(e) => set({ webhook_id: e.target.value })}
            >
              <option value="">All webhooks</option>
              {webhooks.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {({ id }) => (
            <select
              id={id}
              className="input select"
              value={filters.status}
              onChange={(e) => set({ status: e.target.value })}
            >
              <option value="">Any status</option>
              <option value="succeeded">Succeeded</option>
              <option value="retrying">Retrying</option>
              <option value="pending">Pending</option>
              <option value="dead">Failed</option>
            </select>
          )}
        </Field>
        <Field label="Event">
          {({ id }) => (
            <>
              <input
                id={id}
                className="input"
                list="delivery-events"
                placeholder="Any event"
                value={filters.event}
                onChange={(e) => set({ event: e.target.value })}
              />
              <datalist id="delivery-events">
                {SYSTEM_EVENTS.map((ev) => (
                  <option key={ev} value={ev} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="From" className="field-date">
          {({ id }) => (
            <input
              id={id}
              className="input"
              type="datetime-local"
              value={filters.since}
              onChange={(e) => set({ since: e.target.value })}
            />
          )}
        </Field>
        <Field label="To" className="field-date">
          {({ id }) => (
            <input
              id={id}
              className="input"
              type="datetime-local"
              value={filters.until}
              onChange={(e) => set({ until: e.target.value })}
            />
          )}
        </Field>
        <Button
          variant="ghost"
          size="sm"
          className="filters-clear"
          hidden={!filtered}
          onClick={() => setFilters({ webhook_id: '', status: '', event: '', since: '', until: '' })}
        >
          Clear filters
        </Button>
      </div>

      {error && <Alert title="Could not load deliveries">{error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !error && (
        <EmptyState
          icon={<DeliveryIcon size={28} />}
          title={filtered ? 'No delivery matches these filters' : 'No deliveries yet'}
        >
          {filtered
            ? 'Try a wider time range or another status.'
            : 'Deliveries appear here when an event reaches a subscribed webhook or a journey calls one.'}
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <div className="card table-card">
          <table className="table table-click" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Webhook</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">HTTP status</th>
                <th scope="col">Latency</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} onClick={() => navigate(`/deliveries/${d.id}`)} data-delivery-id={d.id}>
                  <td>
                    <Link
                      to={`/deliveries/${d.id}`}
                      className="strong-link"
                      onClick={(e) => e.stopPropagation()}
                    >
                      {formatTime(d.created_at)}
                    </Link>
                  </td>
                  <td>{webhookName(d.webhook_id)}</td>
                  <td className="mono small">{d.event}</td>
                  <td>
                    <DeliveryStatusBadge status={d.status} />
                  </td>
                  <td>{d.attempt_count}</td>
                  <td className="mono">
                    {d.last_status ??
                      (d.last_error ? <span className="text-danger">{d.last_error}</span> : '—')}
                  </td>
                  <td>{d.attempt_count > 0 ? `${d.last_duration_ms} ms` : '—'}</td>
                </tr>
              ))}
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
      {recoverOpen && (
        <RecoverDialog
          webhooks={webhooks}
          initialWebhook={filters.webhook_id}
          onClose={() => setRecoverOpen(false)}
          onDone={() => {
            setRecoverOpen(false);
            void loadFirst();
          }}
        />
      )}
    </div>
  );
}

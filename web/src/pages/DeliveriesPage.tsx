// The delivery log: every webhook call, newest first, with filters; "recover failed since".
import { useState } from 'react';
import { api, type Delivery, type Webhook } from '../api';
import { SYSTEM_EVENTS } from '../catalog';
import { FilterBar } from '../components/FilterBar';
import { TableCard } from '../components/TableCard';
import { useAction, useInterval, usePagedList, useServerInfo, useUrlFilters, useWebhooks } from '../hooks';
import { DeliveryIcon, RefreshIcon } from '../icons';
import { Link, navigate } from '../router';
import {
  Alert,
  Button,
  ConfirmDialog,
  DELIVERY_STATUS_OPTIONS,
  DeliveryStatusBadge,
  EmptyState,
  Field,
  Loading,
  PageHeader,
  useToast,
} from '../ui';
import { formatDuration, formatTime } from '../format';

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
  const { busy, error, setError, run } = useAction();
  const submit = async () => {
    const ms = toMs(since);
    if (!webhookId || ms === undefined) {
      setError('Choose a webhook and a start time.');
      return;
    }
    const res = await run(() =>
      api<{ requeued?: number }>('POST', `/v1/webhooks/${webhookId}/recover`, { since: ms }),
    );
    if (!res) return;
    const n = res.requeued;
    toast(
      n === undefined
        ? 'Failed deliveries re-queued'
        : `${n} failed deliver${n === 1 ? 'y' : 'ies'} re-queued`,
    );
    onDone();
  };
  return (
    <ConfirmDialog
      title="Recover failed deliveries"
      confirmLabel="Recover"
      variant="primary"
      busy={busy}
      onConfirm={() => void submit()}
      onClose={onClose}
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
    </ConfirmDialog>
  );
}

const NO_FILTERS = { webhook_id: '', status: '', event: '', since: '', until: '' };

function DeliveryRow({ delivery: d, webhookName }: { delivery: Delivery; webhookName: string }) {
  return (
    <tr onClick={() => navigate(`/deliveries/${d.id}`)} data-delivery-id={d.id}>
      <td>
        <Link to={`/deliveries/${d.id}`} className="strong-link" onClick={(e) => e.stopPropagation()}>
          {formatTime(d.created_at)}
        </Link>
      </td>
      <td>{webhookName}</td>
      <td className="mono small">{d.event}</td>
      <td>
        <DeliveryStatusBadge status={d.status} />
      </td>
      <td>{d.attempt_count}</td>
      <td className="mono">
        {d.last_status ?? (d.last_error ? <span className="text-danger">{d.last_error}</span> : '—')}
      </td>
      <td>{d.attempt_count > 0 ? `${d.last_duration_ms} ms` : '—'}</td>
    </tr>
  );
}

// How long the log is kept, from the server's --retention.
function RetentionNote() {
  const info = useServerInfo();
  if (!info || typeof info.retention !== 'string' || typeof info.retention_ms !== 'number') return null;
  return (
    <span className="retention-note muted small">
      Deliveries are kept for {formatDuration(info.retention, info.retention_ms)} after they end; unfinished ones
      (pending, retrying, queued) are kept until they end.
    </span>
  );
}

export function DeliveriesPage() {
  const { filters, set, clear, filtered } = useUrlFilters('/deliveries', NO_FILTERS);
  const webhooks = useWebhooks().data ?? [];
  const [recoverOpen, setRecoverOpen] = useState(false);
  const log = usePagedList<Delivery>('/v1/deliveries', {
    limit: 50,
    webhook_id: filters.webhook_id,
    status: filters.status,
    event: filters.event.trim(),
    since: toMs(filters.since),
    until: toMs(filters.until),
  });
  // New deliveries show up on their own, unless the user is reading further pages.
  useInterval(() => {
    if (!log.extraPages && !log.loadingMore) void log.reload();
  }, 3000);
  const webhookName = (id: string) => webhooks.find((w) => w.id === id)?.name ?? id.slice(0, 8) + '…';
  const rows = log.rows;

  return (
    <div className="page">
      <PageHeader
        title="Deliveries"
        description={
          <>
            Every webhook call, its attempts, and what the receiver answered.
            <RetentionNote />
          </>
        }
        actions={
          <>
            <Button icon={<RefreshIcon size={16} />} onClick={() => void log.reload()}>
              Refresh
            </Button>
            <Button onClick={() => setRecoverOpen(true)} disabled={webhooks.length === 0}>
              Recover failed since…
            </Button>
          </>
        }
      />
      <FilterBar
        label="Filter deliveries"
        fields={[
          {
            key: 'webhook_id',
            label: 'Webhook',
            anyLabel: 'All webhooks',
            options: webhooks.map((w) => ({ value: w.id, label: w.name })),
          },
          { key: 'status', label: 'Status', anyLabel: 'Any status', options: DELIVERY_STATUS_OPTIONS },
          { key: 'event', label: 'Event', placeholder: 'Any event', suggestions: SYSTEM_EVENTS },
          { key: 'since', label: 'From', type: 'datetime-local' },
          { key: 'until', label: 'To', type: 'datetime-local' },
        ]}
        values={filters}
        onChange={(key, value) => set({ [key]: value })}
        onClear={clear}
      />

      {log.error && <Alert title="Could not load deliveries">{log.error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !log.error && (
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
        <TableCard
          label="Deliveries"
          className="table-click"
          columns={['Time', 'Webhook', 'Event', 'Status', 'Attempts', 'HTTP status', 'Latency']}
          more={{ show: !!log.cursor, busy: log.loadingMore, onClick: () => void log.loadMore() }}
        >
          {rows.map((d) => (
            <DeliveryRow key={d.id} delivery={d} webhookName={webhookName(d.webhook_id)} />
          ))}
        </TableCard>
      )}
      {recoverOpen && (
        <RecoverDialog
          webhooks={webhooks}
          initialWebhook={filters.webhook_id}
          onClose={() => setRecoverOpen(false)}
          onDone={() => {
            setRecoverOpen(false);
            void log.reload();
          }}
        />
      )}
    </div>
  );
}

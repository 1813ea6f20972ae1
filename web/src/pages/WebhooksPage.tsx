import type { Webhook } from '../api';
import { PlusIcon, WebhookIcon } from '../icons';
import { navigate } from '../router';
import { Alert, Badge, Button, deliveryStatus, EmptyState, Loading, PageHeader } from '../ui';
import { formatRelative } from '../format';
import { useWebhookHealth, useWebhooks } from '../hooks';
import { NameLink, TableCard } from '../components/TableCard';
import { SuccessCell } from '../components/stats/SuccessCell';
import { useStats } from '../stats';

function authLabel(w: Webhook): string {
  if (w.auth.type === 'basic') return 'Basic';
  if (w.auth.type === 'token') return 'Token';
  return 'None';
}

// What the webhook is called for: its events, and how many filters choose among them (journeys'
// Webhook blocks are not filtered, so a journeys-only webhook does not mention them).
function subscription(w: Webhook): string {
  const events = w.events.length;
  if (!events) return 'Journeys only';
  const filters = w.filters?.length ?? 0;
  const text = `${events} event${events > 1 ? 's' : ''}`;
  return filters ? `${text} · ${filters} filter${filters > 1 ? 's' : ''}` : text;
}

// The webhook's last delivery. (Its success rate is the server's: SuccessCell.)
function DeliveryHealth({ webhookId }: { webhookId: string }) {
  const state = useWebhookHealth(webhookId);
  if (!state) return <td className="muted">…</td>;
  const last = state.last;
  return (
    <>
      <td>
        {last ? (
          <span className="stack">
            <Badge tone={deliveryStatus(last.status).tone}>
              {last.last_status ? `HTTP ${last.last_status}` : (last.last_error ?? last.status)}
            </Badge>
            <span className="muted small">{formatRelative(last.updated_at)}</span>
          </span>
        ) : (
          <span className="muted">No calls yet</span>
        )}
      </td>
    </>
  );
}

export function WebhooksPage() {
  const { data, error, loading } = useWebhooks();
  const stats = useStats('24h');
  return (
    <div className="page">
      <PageHeader
        title="Webhooks"
        description="Notify third-party apps over HTTP whenever something happens to a contact."
        actions={
          <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => navigate('/webhooks/new')}>
            Create webhook
          </Button>
        }
      />
      {error && <Alert title="Could not load webhooks">{error.message}</Alert>}
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <EmptyState
          icon={<WebhookIcon size={28} />}
          title="No webhooks yet"
          action={
            <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => navigate('/webhooks/new')}>
              Create webhook
            </Button>
          }
        >
          A webhook calls your app's URL with a JSON body each time an event you choose happens, or when a
          contact reaches a Webhook block in a journey.
        </EmptyState>
      )}
      {data && data.length > 0 && (
        <TableCard
          label="Webhooks"
          columns={['Name', 'URL', 'Auth', 'Status', 'Last result', 'Success (24h)']}
        >
          {data.map((w) => (
            <tr key={w.id}>
              <td>
                <NameLink to={`/webhooks/${w.id}`}>{w.name}</NameLink>
                <div className="muted small">{subscription(w)}</div>
              </td>
              <td className="mono small truncate" title={w.url}>
                <span className="method">{w.method}</span> {w.url}
              </td>
              <td>{authLabel(w)}</td>
              <td>
                {w.enabled ? (
                  <Badge tone="success">Enabled</Badge>
                ) : w.disabled_reason === 'gone' ? (
                  <Badge tone="danger">Disabled: receiver gone</Badge>
                ) : w.disabled_reason === 'failing' ? (
                  <Badge tone="danger">Disabled: kept failing</Badge>
                ) : (
                  <Badge>Disabled</Badge>
                )}
              </td>
              <DeliveryHealth webhookId={w.id} />
              <SuccessCell report={stats.data} webhookId={w.id} failed={!!stats.error} />
            </tr>
          ))}
        </TableCard>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { api, listAll, type Delivery, type Page, type Webhook } from '../api';
import { PlusIcon, WebhookIcon } from '../icons';
import { Link, navigate } from '../router';
import { Alert, Badge, Button, EmptyState, formatRelative, Loading, PageHeader } from '../ui';
import { useLoad } from '../hooks';

function authLabel(w: Webhook): string {
  if (w.auth.type === 'basic') return 'Basic';
  if (w.auth.type === 'token') return 'Token';
  return 'None';
}

// Last result and success rate over the webhook's latest deliveries.
function DeliveryHealth({ webhookId }: { webhookId: string }) {
  const [state, setState] = useState<{ last: Delivery | null; rate: number | null } | null>(null);
  useEffect(() => {
    let live = true;
    api<Page<Delivery>>('GET', '/v1/deliveries', undefined, { query: { webhook_id: webhookId, limit: 50 } })
      .then((page) => {
        const finished = page.data.filter((d) => d.status === 'succeeded' || d.status === 'dead');
        const ok = finished.filter((d) => d.status === 'succeeded').length;
        if (live)
          setState({
            last: page.data[0] ?? null,
            rate: finished.length ? Math.round((ok * 100) / finished.length) : null,
          });
      })
      .catch(() => live && setState({ last: null, rate: null }));
    return () => {
      live = false;
    };
  }, [webhookId]);
  if (!state)
    return (
      <>
        <td className="muted">…</td>
        <td className="muted">…</td>
      </>
    );
  const last = state.last;
  return (
    <>
      <td>
        {last ? (
          <span className="stack">
            <Badge
              tone={
                last.status === 'succeeded'
                  ? 'success'
                  : last.status === 'dead'
                    ? 'danger'
                    : last.status === 'retrying'
                      ? 'warning'
                      : 'info'
              }
            >
              {last.last_status ? `HTTP ${last.last_status}` : (last.last_error ?? last.status)}
            </Badge>
            <span className="muted small">{formatRelative(last.updated_at)}</span>
          </span>
        ) : (
          <span className="muted">No calls yet</span>
        )}
      </td>
      <td>
        {state.rate === null ? <span className="muted">—</span> : <span className="rate">{state.rate}%</span>}
      </td>
    </>
  );
}

export function WebhooksPage() {
  const { data, error, loading } = useLoad(() => listAll<Webhook>('/v1/webhooks'));
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
        <div className="card table-card">
          <table className="table" aria-label="Webhooks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Auth</th>
                <th scope="col">Status</th>
                <th scope="col">Last result</th>
                <th scope="col">Success rate</th>
              </tr>
            </thead>
            <tbody>
              {data.map((w) => (
                <tr key={w.id}>
                  <td>
                    <Link to={`/webhooks/${w.id}`} className="strong-link">
                      {w.name}
                    </Link>
                    <div className="muted small">
                      {w.events.length
                        ? `${w.events.length} event${w.events.length > 1 ? 's' : ''}`
                        : 'Journeys only'}
                    </div>
                  </td>
                  <td className="mono small truncate" title={w.url}>
                    <span className="method">{w.method}</span> {w.url}
                  </td>
                  <td>{authLabel(w)}</td>
                  <td>{w.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</td>
                  <DeliveryHealth webhookId={w.id} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

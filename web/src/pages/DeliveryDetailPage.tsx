// One delivery: the payload, and each attempt's request and response; Retry.
import { useState } from 'react';
import { api, type Attempt, type DeliveryDetail, type Webhook } from '../api';
import { useInterval, useLoad } from '../hooks';
import { RefreshIcon, SendIcon } from '../icons';
import { Link } from '../router';
import {
  Alert,
  Badge,
  Button,
  Code,
  ConfirmDialog,
  DeliveryStatusBadge,
  HeadersTable,
  Loading,
  PageHeader,
  QUEUED_HELP,
  useToast,
} from '../ui';
import { formatRelative, formatTime, prettyBody } from '../format';

function AttemptCard({ attempt, open }: { attempt: Attempt; open: boolean }) {
  const status = attempt.response?.status;
  const ok = status !== undefined && status >= 200 && status < 300;
  return (
    <details className="attempt card" open={open} data-attempt={attempt.number}>
      <summary>
        <span className="attempt-number">Attempt {attempt.number}</span>
        {attempt.response ? (
          <Badge tone={ok ? 'success' : 'danger'}>HTTP {status}</Badge>
        ) : (
          <Badge tone="danger">{attempt.error?.code ?? 'no response'}</Badge>
        )}
        <span className="muted small">{formatTime(attempt.started_at)}</span>
        <span className="muted small">{attempt.duration_ms} ms</span>
      </summary>
      <div className="exchange">
        <section aria-label={`Attempt ${attempt.number} request`}>
          <h4>Request</h4>
          <p className="mono small request-line">
            <span className="method">{attempt.request.method}</span> {attempt.request.url}
          </p>
          <HeadersTable headers={attempt.request.headers} />
        </section>
        <section aria-label={`Attempt ${attempt.number} response`}>
          <h4>Response</h4>
          {attempt.response ? (
            <>
              <p className="mono small">HTTP {attempt.response.status}</p>
              <HeadersTable headers={attempt.response.headers} />
              <Code label="Response body">{prettyBody(attempt.response.body) || '(empty body)'}</Code>
            </>
          ) : (
            <Alert title={attempt.error?.code ?? 'No response'}>{attempt.error?.message}</Alert>
          )}
        </section>
      </div>
    </details>
  );
}

// Retry sends the call once more, with the same payload and webhook-id. After a success the
// receiver already has it, so the dialog says so first.
function RetryDialog({
  delivery,
  webhookName,
  onCancel,
  onConfirm,
}: {
  delivery: DeliveryDetail;
  webhookName?: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const succeeded = delivery.status === 'succeeded';
  const target = webhookName ? `“${webhookName}”` : 'the webhook';
  return (
    <ConfirmDialog
      title={succeeded ? 'Send a delivered call again?' : 'Send this delivery again?'}
      confirmLabel="Send again"
      variant="primary"
      icon={<SendIcon size={16} />}
      onConfirm={onConfirm}
      onClose={onCancel}
    >
      {succeeded && (
        <Alert tone="warning" title="This delivery already succeeded">
          The receiver answered HTTP {delivery.last_status ?? '2xx'}: it has this event. Sending it again
          delivers it twice unless the receiver ignores a repeated <code>webhook-id</code>.
        </Alert>
      )}
      <p>
        Hookline calls {target} once more now, with the same payload and <code>webhook-id</code>, as attempt{' '}
        {delivery.attempt_count + 1}.
      </p>
    </ConfirmDialog>
  );
}

export function DeliveryDetailPage({ id }: { id: string }) {
  const toast = useToast();
  const [retrying, setRetrying] = useState(false);
  const [confirmRetry, setConfirmRetry] = useState(false);
  const { data, error, loading, reload } = useLoad(
    () => api<DeliveryDetail>('GET', `/v1/deliveries/${id}`),
    [id],
  );
  const webhook = useLoad(
    () =>
      data ? api<Webhook>('GET', `/v1/webhooks/${data.webhook_id}`).catch(() => null) : Promise.resolve(null),
    [data?.webhook_id],
  );
  useInterval(() => {
    if (data && ['queued', 'pending', 'retrying'].includes(data.status)) void reload();
  }, 3000);

  const retry = async () => {
    setConfirmRetry(false);
    setRetrying(true);
    try {
      const retried = await api<DeliveryDetail>('POST', `/v1/deliveries/${id}/retry`);
      toast(
        retried.status === 'queued'
          ? "Queued: it goes once this contact's call being sent ends"
          : 'Retry queued',
      );
      window.setTimeout(() => void reload(), 800);
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'danger');
    } finally {
      setRetrying(false);
    }
  };

  const payload =
    data?.payload !== undefined
      ? typeof data.payload === 'string'
        ? prettyBody(data.payload)
        : JSON.stringify(data.payload, null, 2)
      : data?.body
        ? prettyBody(data.body)
        : '';

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/deliveries', label: 'Deliveries' }}
        title={
          data ? (
            <>
              Delivery <span className="mono title-id">{data.id}</span>
            </>
          ) : (
            'Delivery'
          )
        }
        actions={
          data && (
            <>
              <Button icon={<RefreshIcon size={16} />} onClick={() => void reload()}>
                Refresh
              </Button>
              <Button
                icon={<SendIcon size={16} />}
                busy={retrying}
                disabled={data.status === 'pending' || data.status === 'queued'}
                onClick={() => setConfirmRetry(true)}
              >
                Retry
              </Button>
            </>
          )
        }
      />
      {error && <Alert title="Could not load the delivery">{error.message}</Alert>}
      {loading && !data && <Loading />}
      {data && (
        <>
          <div className="card summary-grid">
            <div>
              <div className="label">Status</div>
              <DeliveryStatusBadge status={data.status} />
            </div>
            <div>
              <div className="label">Webhook</div>
              <Link to={`/webhooks/${data.webhook_id}`}>{webhook.data?.name ?? data.webhook_id}</Link>
            </div>
            <div>
              <div className="label">Event</div>
              <span className="mono">{data.event}</span>
            </div>
            <div>
              <div className="label">Attempts</div>
              {data.attempt_count}
            </div>
            <div>
              <div className="label">Created</div>
              {formatTime(data.created_at)}
            </div>
            <div>
              <div className="label">{data.next_attempt_at ? 'Next attempt' : 'Last update'}</div>
              {data.next_attempt_at ? formatRelative(data.next_attempt_at) : formatTime(data.updated_at)}
            </div>
          </div>

          <h2 className="section-title">Attempts</h2>
          {data.status === 'queued' ? (
            <p className="muted">{QUEUED_HELP}</p>
          ) : (
            data.attempts.length === 0 && (
              <p className="muted">No attempt yet: the first call is on its way.</p>
            )
          )}
          {data.attempts.length > 0 && (
            <div className="attempts">
              {[...data.attempts].reverse().map((a, i) => (
                <AttemptCard key={a.number} attempt={a} open={i === 0} />
              ))}
            </div>
          )}

          {payload && (
            <>
              <h2 className="section-title">Payload</h2>
              <div className="card">
                <p className="muted small">The JSON body every attempt sends.</p>
                <Code label="Payload">{payload}</Code>
              </div>
            </>
          )}
        </>
      )}
      {confirmRetry && data && (
        <RetryDialog
          delivery={data}
          webhookName={webhook.data?.name}
          onCancel={() => setConfirmRetry(false)}
          onConfirm={() => void retry()}
        />
      )}
    </div>
  );
}

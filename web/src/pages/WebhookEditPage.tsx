import { useState } from 'react';
import type { RotatedSecret } from '../api';
import { DeleteInUseDialog } from '../components/DeleteInUseDialog';
import { RotateSecretDialog } from '../components/webhook/RotateSecretDialog';
import { SecretNotice } from '../components/SecretNotice';
import { WebhookStatsPanel } from '../components/stats/WebhookStatsPanel';
import { WebhookForm } from '../components/WebhookForm';
import { useWebhook } from '../hooks';
import { KeyIcon, TrashIcon } from '../icons';
import { navigate } from '../router';
import { Alert, Button, Loading, PageHeader, useToast } from '../ui';
import { formatTime } from '../format';

const back = { to: '/webhooks', label: 'Webhooks' };

// A secret the API just gave in full: after a create, or after a rotation (with the time the
// replaced secret stops signing).
interface ShownSecret {
  secret: string;
  previousUntil?: number;
}

export function WebhookEditPage({ id }: { id?: string }) {
  const toast = useToast();
  const [shown, setShown] = useState<ShownSecret | null>(() => {
    const s = id ? sessionStorage.getItem(`hookline.secret.${id}`) : null;
    if (s && id) sessionStorage.removeItem(`hookline.secret.${id}`);
    return s ? { secret: s } : null;
  });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const { data, error, loading, setData } = useWebhook(id);

  if (!id) {
    return (
      <div className="page page-narrow">
        <PageHeader
          back={back}
          title="Create webhook"
          description="Configure the URL to call and what it receives."
        />
        <WebhookForm
          onSaved={(w) => {
            toast(`Webhook “${w.name}” created`);
            if (w.secret) sessionStorage.setItem(`hookline.secret.${w.id}`, w.secret);
            navigate(`/webhooks/${w.id}`, { replace: true, force: true });
          }}
          onCancel={() => navigate('/webhooks')}
        />
      </div>
    );
  }

  // The new secret, shown once; the header's masked one, as GET gives it. The form (and its unsaved
  // edits) stays.
  const rotated = (r: RotatedSecret) => {
    setShown({ secret: r.secret, previousUntil: r.previous_secret_expires_at });
    setData(
      (w) =>
        w && {
          ...w,
          secret: `whsec_****${r.secret.slice(-4)}`,
          previous_secret_expires_at: r.previous_secret_expires_at,
        },
    );
  };

  return (
    <div className="page page-narrow">
      <PageHeader
        back={back}
        title={data?.name ?? 'Webhook'}
        description={
          data ? (
            <span className="webhook-facts">
              <span className="mono small">{data.id}</span>
              <span className="small">
                Signing secret <code>{data.secret}</code>
                {data.previous_secret_expires_at
                  ? ` · the previous one also signs until ${formatTime(data.previous_secret_expires_at)}`
                  : ''}
              </span>
            </span>
          ) : undefined
        }
        actions={
          data && (
            <>
              <Button icon={<KeyIcon size={16} />} onClick={() => setConfirmRotate(true)}>
                Rotate secret
              </Button>
              <Button variant="danger" icon={<TrashIcon size={16} />} onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            </>
          )
        }
      />
      {shown && (
        <SecretNotice
          secret={shown.secret}
          title={shown.previousUntil ? 'New signing secret: copy it now' : undefined}
          onDismiss={() => setShown(null)}
        >
          {shown.previousUntil ? (
            <>
              Every call is signed with this secret from now on; it is shown only once. The previous secret
              keeps signing beside it for 24 hours, until {formatTime(shown.previousUntil)} (each call carries
              both signatures in <code>webhook-signature</code>): update your receivers before then.
            </>
          ) : undefined}
        </SecretNotice>
      )}
      {error && <Alert title="Could not load the webhook">{error.message}</Alert>}
      {loading && !data && <Loading />}
      {data?.disabled_reason && !data.enabled && (
        <Alert
          title={
            data.disabled_reason === 'gone'
              ? 'Disabled by Hookline: the receiver is gone'
              : 'Disabled by Hookline: the receiver kept failing'
          }
        >
          {data.disabled_reason === 'gone' ? (
            <>
              On {formatTime(data.disabled_at)} the receiver answered <strong>410 Gone</strong>, which says it
              will never take calls again, so Hookline stopped calling it.
            </>
          ) : (
            <>
              On {formatTime(data.disabled_at)} Hookline stopped calling it: every call and every retry had
              failed for as long as the server allows (5 days unless its operator set otherwise).
            </>
          )}{' '}
          Deliveries that were waiting are held.{' '}
          {data.self_heal
            ? 'Hookline sends it the Test request now and again (less often as time goes by) and turns it back on by itself when it answers 200. You can also '
            : 'To send them, '}
          point the URL at a working receiver (or make it answer again), then turn it on under{' '}
          <strong>Advanced settings</strong> (Status) and save: the held deliveries are sent. Deliveries that
          failed can be sent again from the Deliveries page (Recover failed since…).
        </Alert>
      )}
      {data?.enabled && data.healed_at && (data.updated_at ?? 0) <= data.healed_at && (
        <Alert tone="success" title="Turned back on by itself">
          On {formatTime(data.healed_at)} its receiver answered Hookline's Test request with 200 again, so the
          webhook was turned back on; the calls it had held are sent slowly at first, then at full speed.
        </Alert>
      )}
      {data && <WebhookStatsPanel webhookId={data.id} breaker={data.breaker} />}
      {data && (
        <WebhookForm
          key={data.updated_at}
          webhook={data}
          onSaved={(w) => {
            setData(w);
            toast('Changes saved');
          }}
          onCancel={() => navigate('/webhooks')}
        />
      )}
      {confirmRotate && data && (
        <RotateSecretDialog webhook={data} onRotated={rotated} onClose={() => setConfirmRotate(false)} />
      )}
      {confirmDelete && data && (
        <DeleteInUseDialog
          kind="webhook"
          id={data.id}
          name={data.name}
          onDeleted={() => {
            toast(`Webhook “${data.name}” deleted`);
            navigate('/webhooks', { force: true });
          }}
          onClose={() => setConfirmDelete(false)}
        >
          <p>
            “{data.name}” will stop receiving calls. Draft journeys that use it need another webhook before
            they can be activated.
          </p>
        </DeleteInUseDialog>
      )}
    </div>
  );
}

import { useState } from 'react';
import { api, type RotatedSecret, type Webhook } from '../api';
import { SecretNotice } from '../components/SecretNotice';
import { WebhookForm } from '../components/WebhookForm';
import { useLoad } from '../hooks';
import { ChevronLeftIcon, KeyIcon, TrashIcon } from '../icons';
import { Link, navigate } from '../router';
import { Alert, Button, formatTime, Loading, Modal, PageHeader, useToast } from '../ui';

const back = (
  <Link to="/webhooks" className="back-link">
    <ChevronLeftIcon size={16} /> Webhooks
  </Link>
);

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
  const [deleting, setDeleting] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [rotating, setRotating] = useState(false);
  const { data, error, loading, setData } = useLoad(
    () => (id ? api<Webhook>('GET', `/v1/webhooks/${id}`) : Promise.resolve(null)),
    [id],
  );

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

  const rotate = async () => {
    setRotating(true);
    try {
      const rotated = await api<RotatedSecret>('POST', `/v1/webhooks/${id}/rotate-secret`);
      setShown({ secret: rotated.secret, previousUntil: rotated.previous_secret_expires_at });
      toast('Signing secret rotated');
      // The header's masked secret, as GET gives it; the form (and its unsaved edits) stays.
      setData((w) =>
        w && {
          ...w,
          secret: `whsec_****${rotated.secret.slice(-4)}`,
          previous_secret_expires_at: rotated.previous_secret_expires_at,
        },
      );
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'danger');
    } finally {
      setRotating(false);
      setConfirmRotate(false);
    }
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
              keeps signing beside it for 24 hours, until {formatTime(shown.previousUntil)} (each call
              carries both signatures in <code>webhook-signature</code>): update your receivers before
              then.
            </>
          ) : undefined}
        </SecretNotice>
      )}
      {error && <Alert title="Could not load the webhook">{error.message}</Alert>}
      {loading && !data && <Loading />}
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
        <Modal
          title="Rotate the signing secret?"
          onClose={() => setConfirmRotate(false)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setConfirmRotate(false)}>
                Cancel
              </Button>
              <Button variant="primary" icon={<KeyIcon size={16} />} busy={rotating} onClick={rotate}>
                Rotate secret
              </Button>
            </>
          }
        >
          <p>
            Hookline makes a new secret for “{data.name}” and shows it once. Calls are signed with it from
            now on.
          </p>
          <p>
            The current secret keeps signing beside the new one for 24 hours, so receivers that check it
            go on accepting calls while you give them the new secret. After that, only the new one
            signs.
          </p>
        </Modal>
      )}
      {confirmDelete && data && (
        <Modal
          title="Delete webhook?"
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setConfirmDelete(false)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                busy={deleting}
                onClick={async () => {
                  setDeleting(true);
                  try {
                    await api('DELETE', `/v1/webhooks/${data.id}`);
                    toast(`Webhook “${data.name}” deleted`);
                    navigate('/webhooks', { force: true });
                  } catch (e) {
                    toast(e instanceof Error ? e.message : String(e), 'danger');
                    setDeleting(false);
                    setConfirmDelete(false);
                  }
                }}
              >
                Delete webhook
              </Button>
            </>
          }
        >
          <p>
            “{data.name}” will stop receiving calls. Journeys that use it will fail validation until you
            choose another webhook.
          </p>
        </Modal>
      )}
    </div>
  );
}

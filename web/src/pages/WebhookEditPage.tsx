import { useState } from 'react';
import { api, type Webhook } from '../api';
import { WebhookForm } from '../components/WebhookForm';
import { useLoad } from '../hooks';
import { ChevronLeftIcon, TrashIcon } from '../icons';
import { Link, navigate } from '../router';
import { Alert, Button, Loading, Modal, PageHeader, useToast } from '../ui';

const back = (
  <Link to="/webhooks" className="back-link">
    <ChevronLeftIcon size={16} /> Webhooks
  </Link>
);

export function WebhookEditPage({ id }: { id?: string }) {
  const toast = useToast();
  const [secret, setSecret] = useState<string | null>(() => {
    const s = id ? sessionStorage.getItem(`hookline.secret.${id}`) : null;
    if (s && id) sessionStorage.removeItem(`hookline.secret.${id}`);
    return s;
  });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
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
            navigate(`/webhooks/${w.id}`, { replace: true });
          }}
          onCancel={() => navigate('/webhooks')}
        />
      </div>
    );
  }

  return (
    <div className="page page-narrow">
      <PageHeader
        back={back}
        title={data?.name ?? 'Webhook'}
        description={data ? <span className="mono small">{data.id}</span> : undefined}
        actions={
          data && (
            <Button variant="danger" icon={<TrashIcon size={16} />} onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          )
        }
      />
      {secret && (
        <Alert tone="success" title="Signing secret: copy it now">
          Receivers verify each call's <code>webhook-signature</code> with this secret. It is shown only once.
          <div className="secret-box">
            <code>{secret}</code>
            <Button
              size="sm"
              onClick={() =>
                void navigator.clipboard?.writeText(secret).then(
                  () => toast('Copied'),
                  () => {},
                )
              }
            >
              Copy
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
              Dismiss
            </Button>
          </div>
        </Alert>
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
                    navigate('/webhooks');
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

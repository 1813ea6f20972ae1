// One contact: its details and custom properties (edited in place), its activity (the events
// about it and the deliveries they caused), the journeys it is in, and Delete.
import { useState } from 'react';
import { api, type Contact } from '../api';
import { ContactActivity } from '../components/contact/ContactActivity';
import { ContactDetailsForm } from '../components/contact/ContactDetailsForm';
import { ContactJourneys } from '../components/contact/ContactJourneys';
import { fullName } from '../components/contact/ContactCells';
import { formatTime } from '../format';
import { useAction, useContact } from '../hooks';
import { TrashIcon } from '../icons';
import { navigate } from '../router';
import { Alert, Button, ConfirmDialog, Loading, PageHeader, useToast } from '../ui';

function DeleteContactDialog({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const toast = useToast();
  const { busy, error, run } = useAction();
  const remove = async () => {
    if (await run(() => api('DELETE', `/v1/contacts/${contact.id}`).then(() => true))) {
      toast(`Contact ${contact.email} deleted`);
      navigate('/contacts', { force: true });
    }
  };
  return (
    <ConfirmDialog
      title={`Delete ${contact.email}?`}
      confirmLabel="Delete contact"
      icon={<TrashIcon size={16} />}
      busy={busy}
      onConfirm={() => void remove()}
      onClose={onClose}
    >
      {error && <Alert title="The contact was not deleted">{error}</Alert>}
      <p>
        <strong>Deletion is permanent.</strong> The contact, its properties and its place in your lists are
        removed and cannot be brought back. Journeys stop for it, and webhooks subscribed to “Contact deleted”
        are called. Its events and the deliveries they caused are erased from the log within a few seconds
        (the right to be forgotten).
      </p>
    </ConfirmDialog>
  );
}

export function ContactPage({ id }: { id: string }) {
  const toast = useToast();
  const { data: contact, error, loading, setData } = useContact(id);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const name = contact ? fullName(contact) : '';
  return (
    <div className="page page-narrow">
      <PageHeader
        back={{ to: '/contacts', label: 'Contacts' }}
        title={contact?.email ?? 'Contact'}
        description={
          contact && (
            <>
              {name && <span className="strong">{name} · </span>}
              Added {formatTime(contact.created_at)} · last changed {formatTime(contact.updated_at)}
            </>
          )
        }
        actions={
          contact && (
            <Button variant="danger" icon={<TrashIcon size={16} />} onClick={() => setConfirmDelete(true)}>
              Delete contact
            </Button>
          )
        }
      />
      {error && (
        <Alert title="Could not load the contact">
          {error.status === 404 ? 'This contact does not exist: it may have been deleted.' : error.message}
        </Alert>
      )}
      {loading && !contact && <Loading />}
      {contact && (
        <>
          <section aria-labelledby="contact-details-title">
            <h2 className="section-title section-first" id="contact-details-title">
              Details
            </h2>
            <ContactDetailsForm
              key={contact.updated_at}
              contact={contact}
              onSaved={(saved) => {
                setData(saved);
                toast('Contact saved');
              }}
            />
          </section>
          <section aria-labelledby="contact-journeys-title">
            <h2 className="section-title" id="contact-journeys-title">
              Journeys
            </h2>
            <ContactJourneys contactId={contact.id} />
          </section>
          <section aria-labelledby="contact-activity-title">
            <h2 className="section-title" id="contact-activity-title">
              Activity
            </h2>
            <ContactActivity contactId={contact.id} />
          </section>
        </>
      )}
      {confirmDelete && contact && (
        <DeleteContactDialog contact={contact} onClose={() => setConfirmDelete(false)} />
      )}
    </div>
  );
}

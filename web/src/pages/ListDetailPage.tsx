// One list: its members; add contacts by email; remove a member.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type Contact, type ContactList, type Page } from '../api';
import { useLoad } from '../hooks';
import { ChevronLeftIcon, TrashIcon } from '../icons';
import { Link, navigate } from '../router';
import { Alert, Button, EmptyState, Field, Loading, Modal, PageHeader, useToast } from '../ui';

export function ListDetailPage({ id }: { id: string }) {
  const toast = useToast();
  const list = useLoad(() => api<ContactList>('GET', `/v1/lists/${id}`), [id]);
  const [members, setMembers] = useState<Contact[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [emails, setEmails] = useState('');
  const [emailsError, setEmailsError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const load = useCallback(
    async (c?: string | null) => {
      try {
        const page = await api<Page<Contact>>('GET', `/v1/lists/${id}/contacts`, undefined, {
          query: { limit: 100, cursor: c ?? undefined },
        });
        setMembers((m) => (c ? [...(m ?? []), ...page.data] : page.data));
        setCursor(page.next_cursor);
      } catch {
        setMembers((m) => m ?? []);
      }
    },
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const addresses = emails
      .split(/[\s,;]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    if (addresses.length === 0) {
      setEmailsError('Enter one or more email addresses.');
      return;
    }
    setBusy(true);
    try {
      const res = await api<{ added: string[] }>('POST', `/v1/lists/${id}/contacts`, { emails: addresses });
      const n = res?.added?.length ?? addresses.length;
      toast(`${n} contact${n === 1 ? '' : 's'} added`);
      setEmails('');
      void load();
      void list.reload();
    } catch (err) {
      setEmailsError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (c: Contact) => {
    try {
      await api('DELETE', `/v1/lists/${id}/contacts/${c.id}`);
      toast(`${c.email} removed from the list`);
      void load();
      void list.reload();
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'danger');
    }
  };

  return (
    <div className="page">
      <PageHeader
        back={
          <Link to="/lists" className="back-link">
            <ChevronLeftIcon size={16} /> Lists
          </Link>
        }
        title={list.data?.name ?? 'List'}
        description={
          list.data
            ? `${list.data.member_count} contact${list.data.member_count === 1 ? '' : 's'}`
            : undefined
        }
        actions={
          list.data && (
            <Button variant="danger" icon={<TrashIcon size={16} />} onClick={() => setConfirmDelete(true)}>
              Delete list
            </Button>
          )
        }
      />
      {list.error && <Alert title="Could not load the list">{list.error.message}</Alert>}
      <form className="card inline-create" onSubmit={add} noValidate>
        <Field
          label="Add contacts by email"
          error={emailsError}
          help="Separate addresses with commas or new lines. Unknown addresses become new contacts."
        >
          {({ id: fid, invalid, describedBy }) => (
            <textarea
              id={fid}
              className="input"
              rows={2}
              placeholder="maria@example.com, joao@example.com"
              value={emails}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => {
                setEmails(e.target.value);
                setEmailsError(null);
              }}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={busy}>
          Add to list
        </Button>
      </form>
      {members === null && <Loading />}
      {members && members.length === 0 && (
        <EmptyState title="This list is empty">Add contacts above, or from the Contacts tab.</EmptyState>
      )}
      {members && members.length > 0 && (
        <div className="card table-card">
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((c) => (
                <tr key={c.id}>
                  <td className="strong">{c.email}</td>
                  <td>
                    {[c.first_name, c.last_name].filter(Boolean).join(' ') || (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="actions-col">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => void remove(c)}
                      aria-label={`Remove ${c.email} from the list`}
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor && (
            <div className="table-footer">
              <Button size="sm" onClick={() => void load(cursor)}>
                Load more
              </Button>
            </div>
          )}
        </div>
      )}
      {confirmDelete && list.data && (
        <Modal
          title="Delete list?"
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setConfirmDelete(false)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                onClick={async () => {
                  try {
                    await api('DELETE', `/v1/lists/${id}`);
                    toast('List deleted');
                    navigate('/lists');
                  } catch (err) {
                    toast(err instanceof Error ? err.message : String(err), 'danger');
                    setConfirmDelete(false);
                  }
                }}
              >
                Delete list
              </Button>
            </>
          }
        >
          <p>“{list.data.name}” will be deleted. Its contacts stay.</p>
        </Modal>
      )}
    </div>
  );
}

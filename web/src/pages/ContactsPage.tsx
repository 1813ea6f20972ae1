// Contacts and lists: see contacts, create a list, add contacts to it.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, listAll, type Contact, type ContactList, type Page } from '../api';
import { useLoad } from '../hooks';
import { ContactsIcon, PlusIcon } from '../icons';
import { Link, navigate } from '../router';
import { Alert, Button, EmptyState, Field, formatTime, Loading, Modal, PageHeader, useToast } from '../ui';

function fullName(c: Contact): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

function AddContactDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const toast = useToast();
  const [form, setForm] = useState({ email: '', first_name: '', last_name: '', mobile: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!form.email.trim()) {
      setErrors({ email: 'Enter an email address.' });
      return;
    }
    setBusy(true);
    try {
      await api('POST', '/v1/contacts', { ...form, email: form.email.trim() });
      toast(`Contact ${form.email.trim()} saved`);
      onAdded();
    } catch (err) {
      setErrors(err instanceof ApiError ? { [err.field ?? '_form']: err.message } : { _form: String(err) });
    } finally {
      setBusy(false);
    }
  };
  const input = (key: keyof typeof form, label: string, type = 'text') => (
    <Field label={label} error={errors[key]}>
      {({ id, invalid, describedBy }) => (
        <input
          id={id}
          type={type}
          className="input"
          value={form[key]}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => {
            setForm((f) => ({ ...f, [key]: e.target.value }));
            setErrors({});
          }}
        />
      )}
    </Field>
  );
  return (
    <Modal
      title="Add contact"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" busy={busy} onClick={() => void submit()}>
            Save contact
          </Button>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        {errors._form && <Alert>{errors._form}</Alert>}
        {input('email', 'Email', 'email')}
        <div className="grid-2">
          {input('first_name', 'First name')}
          {input('last_name', 'Last name')}
        </div>
        {input('mobile', 'Mobile')}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

function ContactsTab() {
  const toast = useToast();
  const [rows, setRows] = useState<Contact[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [lists, setLists] = useState<ContactList[]>([]);
  const [targetList, setTargetList] = useState('');
  const [adding, setAdding] = useState(false);
  const [dialog, setDialog] = useState(false);

  const load = useCallback(async (c?: string | null) => {
    try {
      const page = await api<Page<Contact>>('GET', '/v1/contacts', undefined, {
        query: { limit: 100, cursor: c ?? undefined },
      });
      setRows((r) => (c ? [...(r ?? []), ...page.data] : page.data));
      setCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setRows((r) => r ?? []);
    }
  }, []);

  useEffect(() => {
    void load();
    listAll<ContactList>('/v1/lists').then(setLists, () => {});
  }, [load]);

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const addToList = async () => {
    if (!targetList || selected.size === 0) return;
    setAdding(true);
    try {
      const res = await api<{ added: string[] }>('POST', `/v1/lists/${targetList}/contacts`, {
        contact_ids: [...selected],
      });
      const list = lists.find((l) => l.id === targetList);
      const n = res?.added?.length ?? selected.size;
      toast(`${n} contact${n === 1 ? '' : 's'} added to “${list?.name ?? 'list'}”`);
      setSelected(new Set());
      listAll<ContactList>('/v1/lists').then(setLists, () => {});
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'danger');
    } finally {
      setAdding(false);
    }
  };

  const allSelected = !!rows && rows.length > 0 && rows.every((r) => selected.has(r.id));

  return (
    <>
      <div className="toolbar">
        <div className="toolbar-left">
          {selected.size > 0 ? (
            <>
              <span className="strong">{selected.size} selected</span>
              <select
                className="input input-sm select"
                aria-label="List to add the selected contacts to"
                value={targetList}
                onChange={(e) => setTargetList(e.target.value)}
              >
                <option value="">Choose a list…</option>
                {lists.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
              <Button size="sm" variant="primary" busy={adding} disabled={!targetList} onClick={addToList}>
                Add to list
              </Button>
            </>
          ) : (
            <span className="muted small">Select contacts to add them to a list.</span>
          )}
        </div>
        <Button icon={<PlusIcon size={16} />} onClick={() => setDialog(true)}>
          Add contact
        </Button>
      </div>
      {error && <Alert title="Could not load contacts">{error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !error && (
        <EmptyState icon={<ContactsIcon size={28} />} title="No contacts yet">
          Contacts arrive through the API (<code>POST /v1/contacts</code>) or with the events your app
          reports.
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <div className="card table-card">
          <table className="table" aria-label="Contacts">
            <thead>
              <tr>
                <th scope="col" className="check-col">
                  <input
                    type="checkbox"
                    aria-label="Select all contacts"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </th>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Mobile</th>
                <th scope="col">Properties</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} className={selected.has(c.id) ? 'selected' : ''}>
                  <td className="check-col">
                    <input
                      type="checkbox"
                      aria-label={`Select ${c.email}`}
                      checked={selected.has(c.id)}
                      onChange={() => toggle(c.id)}
                    />
                  </td>
                  <td className="strong">{c.email}</td>
                  <td>{fullName(c) || <span className="muted">—</span>}</td>
                  <td>{c.mobile || <span className="muted">—</span>}</td>
                  <td className="small muted truncate">
                    {Object.entries(c.properties ?? {})
                      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                      .join(', ') || '—'}
                  </td>
                  <td className="muted small">{formatTime(c.created_at)}</td>
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
      {dialog && (
        <AddContactDialog
          onClose={() => setDialog(false)}
          onAdded={() => {
            setDialog(false);
            void load();
          }}
        />
      )}
    </>
  );
}

function ListsTab() {
  const toast = useToast();
  const { data, error, loading, reload } = useLoad(() => listAll<ContactList>('/v1/lists'));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Name the list.');
      return;
    }
    setBusy(true);
    try {
      const list = await api<ContactList>('POST', '/v1/lists', { name: name.trim() });
      toast(`List “${list.name}” created`);
      setName('');
      void reload();
    } catch (err) {
      setNameError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form className="card inline-create" onSubmit={create} noValidate>
        <Field label="New list" error={nameError}>
          {({ id, invalid, describedBy }) => (
            <input
              id={id}
              className="input"
              placeholder="e.g. Test"
              value={name}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => {
                setName(e.target.value);
                setNameError(null);
              }}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={busy} icon={<PlusIcon size={16} />}>
          Create list
        </Button>
      </form>
      {error && <Alert title="Could not load lists">{error.message}</Alert>}
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <EmptyState title="No lists yet">Create a list, then add contacts to it.</EmptyState>
      )}
      {data && data.length > 0 && (
        <div className="card table-card">
          <table className="table" aria-label="Lists">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Contacts</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {data.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link to={`/lists/${l.id}`} className="strong-link">
                      {l.name}
                    </Link>
                  </td>
                  <td>{l.member_count}</td>
                  <td className="muted small">{formatTime(l.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ContactsPage({ tab }: { tab: 'contacts' | 'lists' }) {
  return (
    <div className="page">
      <PageHeader
        title="Contacts & lists"
        description="The people your events are about, and the lists you group them in."
      />
      <div className="tabs" role="tablist" aria-label="Contacts and lists">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'contacts'}
          className={`tab ${tab === 'contacts' ? 'active' : ''}`}
          onClick={() => navigate('/contacts')}
        >
          Contacts
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'lists'}
          className={`tab ${tab === 'lists' ? 'active' : ''}`}
          onClick={() => navigate('/lists')}
        >
          Lists
        </button>
      </div>
      <div role="tabpanel">{tab === 'contacts' ? <ContactsTab /> : <ListsTab />}</div>
    </div>
  );
}

// The contacts of the workspace, or those a search finds (kept in the address as ?q=): each
// links to its page; select some to add them to a list.
import { useState } from 'react';
import { api, type Contact } from '../../api';
import { formatTime, sentence } from '../../format';
import { useLists, usePagedList, useUrlFilters } from '../../hooks';
import { ContactsIcon, PlusIcon, SearchIcon } from '../../icons';
import { searchMessage } from '../../messages';
import { Alert, Button, EmptyState, Loading, useToast } from '../../ui';
import { TableCard } from '../TableCard';
import { AddContactDialog } from './AddContactDialog';
import { ContactCells } from './ContactCells';
import { ContactSearch } from './ContactSearch';

export function propertiesText(properties: Record<string, unknown>): string {
  return Object.entries(properties ?? {})
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

// Adds the selected contacts to the list chosen.
function AddToListBar({ selected, onAdded }: { selected: Set<string>; onAdded: () => void }) {
  const toast = useToast();
  const [listsVersion, setListsVersion] = useState(0);
  const lists = useLists(listsVersion).data ?? [];
  const [targetList, setTargetList] = useState('');
  const [adding, setAdding] = useState(false);
  const add = async () => {
    if (!targetList || selected.size === 0) return;
    setAdding(true);
    try {
      const res = await api<{ added: string[] }>('POST', `/v1/lists/${targetList}/contacts`, {
        contact_ids: [...selected],
      });
      const list = lists.find((l) => l.id === targetList);
      const n = res?.added?.length ?? selected.size;
      toast(`${n} contact${n === 1 ? '' : 's'} added to “${list?.name ?? 'list'}”`);
      onAdded();
      setListsVersion((v) => v + 1);
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'danger');
    } finally {
      setAdding(false);
    }
  };
  if (selected.size === 0) return <span className="muted small">Select contacts to add them to a list.</span>;
  return (
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
      <Button size="sm" variant="primary" busy={adding} disabled={!targetList} onClick={add}>
        Add to list
      </Button>
    </>
  );
}

// The search as the page quotes it: a long one cut short.
function quoted(search: string): string {
  return `“${search.length > 40 ? `${search.slice(0, 39)}…` : search}”`;
}

// What the search found, for everyone (a live region: screen readers hear it as it changes).
function searchSummary(search: string, loading: boolean, shown: number | null, more: boolean): string {
  if (!search) return '';
  if (loading || shown === null) return 'Searching…';
  if (shown === 0) return `No contacts match ${quoted(search)}`;
  if (more) return `The first ${shown} contacts that match ${quoted(search)}`;
  return `${shown} contact${shown === 1 ? ' matches' : 's match'} ${quoted(search)}`;
}

export function ContactsTab() {
  const { filters, set } = useUrlFilters('/contacts', { q: '' });
  const search = filters.q.trim();
  const contacts = usePagedList<Contact>('/v1/contacts', { limit: 100, q: search || undefined });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState(false);
  const rows = contacts.rows;
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const allSelected = !!rows && rows.length > 0 && rows.every((r) => selected.has(r.id));
  // A search the server refused is said beside the box; anything else above the list.
  const searchError =
    contacts.error && contacts.errorField === 'q' ? searchMessage(contacts.error) : null;
  const error = searchError ? null : contacts.error;
  const clearSearch = () => set({ q: '' });

  return (
    <>
      <div className="toolbar toolbar-top">
        <ContactSearch value={filters.q} onSearch={(q) => set({ q })} error={searchError} />
        <Button icon={<PlusIcon size={16} />} onClick={() => setDialog(true)}>
          Add contact
        </Button>
      </div>
      <div className="toolbar toolbar-sub">
        <div className="toolbar-left">
          <AddToListBar selected={selected} onAdded={() => setSelected(new Set())} />
        </div>
        <p className="search-summary small muted" role="status">
          {contacts.error
            ? ''
            : searchSummary(search, contacts.loading, rows?.length ?? null, !!contacts.cursor)}
        </p>
      </div>
      {error && (
        <Alert title={search ? 'Could not search contacts' : 'Could not load contacts'}>
          {sentence(error)}
        </Alert>
      )}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !contacts.error && !search && (
        <EmptyState icon={<ContactsIcon size={28} />} title="No contacts yet">
          Contacts arrive from your app with the events it reports, or add one here.
        </EmptyState>
      )}
      {rows && rows.length === 0 && !contacts.error && search && !contacts.loading && (
        <EmptyState
          icon={<SearchIcon size={28} />}
          title={`No contacts match ${quoted(search)}`}
          action={<Button onClick={clearSearch}>Clear search</Button>}
        >
          The search looks for this text anywhere in an email or a first and last name, in any case.
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <TableCard
          label="Contacts"
          columns={[
            {
              label: 'Select',
              className: 'check-col',
              content: (
                <input
                  type="checkbox"
                  aria-label="Select all contacts"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                />
              ),
            },
            'Email',
            'Name',
            'Mobile',
            'Properties',
            'Created',
          ]}
          more={{
            show: !!contacts.cursor,
            busy: contacts.loadingMore,
            onClick: () => void contacts.loadMore(),
          }}
        >
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
              <ContactCells contact={c} />
              <td>{c.mobile || <span className="muted">—</span>}</td>
              <td className="small muted truncate">{propertiesText(c.properties) || '—'}</td>
              <td className="muted small">{formatTime(c.created_at)}</td>
            </tr>
          ))}
        </TableCard>
      )}
      {dialog && (
        <AddContactDialog
          onClose={() => setDialog(false)}
          onAdded={() => {
            setDialog(false);
            void contacts.reload();
          }}
        />
      )}
    </>
  );
}

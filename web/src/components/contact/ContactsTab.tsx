// The contacts of the workspace: each links to its page; select some to add them to a list.
import { useState } from 'react';
import { api, type Contact } from '../../api';
import { formatTime } from '../../format';
import { useLists, usePagedList } from '../../hooks';
import { ContactsIcon, PlusIcon } from '../../icons';
import { Alert, Button, EmptyState, Loading, useToast } from '../../ui';
import { TableCard } from '../TableCard';
import { AddContactDialog } from './AddContactDialog';
import { ContactCells } from './ContactCells';

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

export function ContactsTab() {
  const contacts = usePagedList<Contact>('/v1/contacts', { limit: 100 });
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

  return (
    <>
      <div className="toolbar">
        <div className="toolbar-left">
          <AddToListBar selected={selected} onAdded={() => setSelected(new Set())} />
        </div>
        <Button icon={<PlusIcon size={16} />} onClick={() => setDialog(true)}>
          Add contact
        </Button>
      </div>
      {contacts.error && <Alert title="Could not load contacts">{contacts.error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !contacts.error && (
        <EmptyState icon={<ContactsIcon size={28} />} title="No contacts yet">
          Contacts arrive from your app with the events it reports, or add one here.
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

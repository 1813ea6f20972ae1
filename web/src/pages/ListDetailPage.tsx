// One list: its members (each opens its contact's page); add contacts by email; remove a member;
// delete the list.
import { useState } from 'react';
import { api, type Contact } from '../api';
import { TableCard } from '../components/TableCard';
import { ContactCells } from '../components/contact/ContactCells';
import { DeleteInUseDialog } from '../components/DeleteInUseDialog';
import { InlineForm } from '../components/InlineForm';
import { useList, usePagedList } from '../hooks';
import { TrashIcon } from '../icons';
import { navigate } from '../router';
import { Alert, Button, EmptyState, Loading, PageHeader, useToast } from '../ui';

// "maria@example.com, joao@example.com" -> the addresses.
function addresses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export function ListDetailPage({ id }: { id: string }) {
  const toast = useToast();
  const list = useList(id);
  const members = usePagedList<Contact>(`/v1/lists/${id}/contacts`, { limit: 100 });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const changed = () => {
    void members.reload();
    void list.reload();
  };
  const remove = async (c: Contact) => {
    try {
      await api('DELETE', `/v1/lists/${id}/contacts/${c.id}`);
      toast(`${c.email} removed from the list`);
      changed();
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'danger');
    }
  };
  const rows = members.rows;

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/lists', label: 'Lists' }}
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
      <InlineForm
        label="Add contacts by email"
        formLabel="Add contacts to the list"
        placeholder="maria@example.com, joao@example.com"
        help="Separate addresses with commas or new lines. Unknown addresses become new contacts."
        submitLabel="Add to list"
        multiline
        check={(text) => (addresses(text).length ? null : 'Enter one or more email addresses.')}
        submit={async (text) => {
          const sent = addresses(text);
          const res = await api<{ added: string[] }>('POST', `/v1/lists/${id}/contacts`, { emails: sent });
          const n = res?.added?.length ?? sent.length;
          toast(`${n} contact${n === 1 ? '' : 's'} added`);
          changed();
        }}
      />
      {members.error && <Alert title="Could not load the members">{members.error}</Alert>}
      {rows === null && <Loading />}
      {rows && rows.length === 0 && !members.error && (
        <EmptyState title="This list is empty">Add contacts above, or from the Contacts tab.</EmptyState>
      )}
      {rows && rows.length > 0 && (
        <TableCard
          label="Members"
          columns={['Email', 'Name', { label: 'Actions', hidden: true }]}
          more={{ show: !!members.cursor, busy: members.loadingMore, onClick: () => void members.loadMore() }}
        >
          {rows.map((c) => (
            <tr key={c.id}>
              <ContactCells contact={c} />
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
        </TableCard>
      )}
      {confirmDelete && list.data && (
        <DeleteInUseDialog
          kind="list"
          id={id}
          name={list.data.name}
          onDeleted={() => {
            toast('List deleted');
            navigate('/lists', { force: true });
          }}
          onClose={() => setConfirmDelete(false)}
        >
          <p>“{list.data.name}” will be deleted. Its contacts stay.</p>
        </DeleteInUseDialog>
      )}
    </div>
  );
}

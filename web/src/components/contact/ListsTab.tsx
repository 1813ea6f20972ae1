// The workspace's lists: create one; each links to its members.
import { formatTime } from '../../format';
import { useLists } from '../../hooks';
import { Alert, EmptyState, Loading } from '../../ui';
import { CreateByNameForm } from '../InlineForm';
import { NameLink, TableCard } from '../TableCard';

export function ListsTab() {
  const { data, error, loading, reload } = useLists();
  return (
    <>
      <CreateByNameForm
        noun="list"
        path="/v1/lists"
        placeholder="e.g. Test"
        onCreated={() => void reload()}
      />
      {error && <Alert title="Could not load lists">{error.message}</Alert>}
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <EmptyState title="No lists yet">Create a list, then add contacts to it.</EmptyState>
      )}
      {data && data.length > 0 && (
        <TableCard label="Lists" columns={['Name', 'Contacts', 'Created']}>
          {data.map((l) => (
            <tr key={l.id}>
              <td>
                <NameLink to={`/lists/${l.id}`}>{l.name}</NameLink>
              </td>
              <td>{l.member_count}</td>
              <td className="muted small">{formatTime(l.created_at)}</td>
            </tr>
          ))}
        </TableCard>
      )}
    </>
  );
}

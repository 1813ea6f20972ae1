import { journeyStats, type Journey } from '../api';
import { eventLabel } from '../catalog';
import { useJourneys } from '../hooks';
import { JourneyIcon, PlusIcon } from '../icons';
import { navigate } from '../router';
import { Alert, Button, EmptyState, JourneyStatusBadge, Loading, PageHeader } from '../ui';
import { formatRelative } from '../format';
import { NameLink, TableCard } from '../components/TableCard';

function triggerText(j: Journey): string {
  const t = j.blocks.find((b) => b.type === 'trigger');
  return t ? eventLabel(String(t.config.event ?? '')) : '—';
}

function enrolled(j: Journey): number {
  const t = j.blocks.find((b) => b.type === 'trigger');
  return t ? (journeyStats(j)[t.id]?.entered ?? 0) : 0;
}

export function JourneysPage() {
  const { data, error, loading } = useJourneys();
  const create = (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => navigate('/journeys/new')}>
      Create journey
    </Button>
  );
  return (
    <div className="page">
      <PageHeader
        title="Journeys"
        description="Automate what happens after a contact acts: wait, check, and call your apps with webhooks."
        actions={create}
      />
      {error && <Alert title="Could not load journeys">{error.message}</Alert>}
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <EmptyState icon={<JourneyIcon size={28} />} title="No journeys yet" action={create}>
          For example: call your webhook whenever contacts of list “Test” click the email campaign “Sample”.
        </EmptyState>
      )}
      {data && data.length > 0 && (
        <TableCard
          label="Journeys"
          columns={['Name', 'Status', 'Trigger', 'Blocks', 'Contacts entered', 'Last changed']}
        >
          {data.map((j) => (
            <tr key={j.id}>
              <td>
                <NameLink to={`/journeys/${j.id}`}>{j.name}</NameLink>
              </td>
              <td>
                <JourneyStatusBadge status={j.status} />
              </td>
              <td>{triggerText(j)}</td>
              <td>{j.blocks.length}</td>
              <td>{enrolled(j)}</td>
              <td className="muted">{formatRelative(j.updated_at)}</td>
            </tr>
          ))}
        </TableCard>
      )}
    </div>
  );
}

import type { Journey } from '../api';
import { eventLabel } from '../catalog';
import { useJourneys } from '../hooks';
import { JourneyIcon, PlusIcon } from '../icons';
import { navigate } from '../router';
import { Alert, Button, EmptyState, JourneyStatusBadge, Loading, PageHeader } from '../ui';
import { formatRelative } from '../format';
import { NameLink, TableCard, type Column } from '../components/TableCard';
import { TOTALS, totalOf } from '../journey/JourneyTotals';
import { formatCount } from '../stats';

function triggerText(j: Journey): string {
  const t = j.blocks.find((b) => b.type === 'trigger');
  return t ? eventLabel(String(t.config.event ?? '')) : '—';
}

// Blocks and Last changed give way on a narrow table (styles.css, .journeys-table).
const COLUMNS: Column[] = [
  'Name',
  'Status',
  'Trigger',
  { label: 'Blocks', className: 'num col-wide' },
  ...TOTALS.map((t) => ({ label: t.label, className: 'num' })),
  { label: 'Last changed', className: 'col-wide' },
];

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
        <div className="journeys-table">
          <TableCard label="Journeys" columns={COLUMNS}>
            {data.map((j) => (
              <tr key={j.id}>
                <td>
                  <NameLink to={`/journeys/${j.id}`}>{j.name}</NameLink>
                </td>
                <td>
                  <JourneyStatusBadge status={j.status} />
                </td>
                <td>{triggerText(j)}</td>
                <td className="num col-wide">{j.blocks.length}</td>
                {TOTALS.map((t) => (
                  <td key={t.key} className="num" data-total={t.key} title={t.title}>
                    {formatCount(totalOf(j.totals, t.key))}
                  </td>
                ))}
                <td className="muted col-wide">{formatRelative(j.updated_at)}</td>
              </tr>
            ))}
          </TableCard>
        </div>
      )}
    </div>
  );
}

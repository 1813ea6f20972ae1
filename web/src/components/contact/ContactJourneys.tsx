// The journeys a contact is in or went through: where it is now (waiting at a block, finished,
// or stopped early), since when, and the journey's version it entered on (and finishes on).
import type { Enrolment, JourneyBlock } from '../../api';
import { formatRelative, formatTime } from '../../format';
import { useContactJourneys } from '../../hooks';
import { JourneyIcon } from '../../icons';
import { TYPE_TITLES } from '../../journey/blocks';
import { Alert, Badge, EmptyState, JourneyStatusBadge, Loading } from '../../ui';
import { NameLink, TableCard } from '../TableCard';

// The block by its kind, with its id (as the builder names it) where the kind is not enough, from
// the blocks of the version the contact is on.
function blockName(blocks: JourneyBlock[] | null, blockId: string): string {
  const block = blocks?.find((b) => b.id === blockId);
  if (!blocks || !block) return `block ${blockId}`;
  const alike = blocks.filter((b) => b.type === block.type).length;
  return `“${TYPE_TITLES[block.type]}”${alike > 1 ? ` (${block.id})` : ''}`;
}

function Progress({ enrolment: e, blocks }: { enrolment: Enrolment; blocks: JourneyBlock[] | null }) {
  if (e.status === 'completed') return <Badge tone="success">Finished</Badge>;
  if (e.status === 'exited')
    return (
      <span className="stack">
        <Badge>Stopped early</Badge>
        <span className="muted small">Its journey or the contact changed so that it could not go on.</span>
      </span>
    );
  return (
    <span className="stack">
      <Badge tone="info">Waiting</Badge>
      <span className="muted small">
        At {blockName(blocks, e.block_id)}
        {e.wake_at ? `, goes on ${formatRelative(e.wake_at)}` : ''}
      </span>
    </span>
  );
}

export function ContactJourneys({ contactId }: { contactId: string }) {
  const { data, error, loading } = useContactJourneys(contactId);
  if (error) return <Alert title="Could not load the contact's journeys">{error.message}</Alert>;
  if (loading && !data) return <Loading />;
  if (!data || data.length === 0)
    return (
      <EmptyState icon={<JourneyIcon size={28} />} title="Not in any journey">
        A contact enters a journey when an event about it matches the journey's trigger.
      </EmptyState>
    );
  return (
    <TableCard
      label="Journeys of this contact"
      columns={['Journey', 'Where the contact is', 'Entered', 'Last step']}
    >
      {data.map(({ enrolment, journey, blocks }) => (
        <tr key={enrolment.id} data-enrolment-id={enrolment.id}>
          <td>
            {journey ? (
              <span className="stack">
                <NameLink to={`/journeys/${journey.id}`}>{journey.name}</NameLink>
                <span>
                  <JourneyStatusBadge status={journey.status} />
                  {enrolment.journey_version !== undefined && (
                    <>
                      {' '}
                      <span
                        className="muted small"
                        title="The version the contact entered on, and finishes on"
                      >
                        version {enrolment.journey_version}
                      </span>
                    </>
                  )}
                </span>
              </span>
            ) : (
              <span className="muted">A deleted journey</span>
            )}
          </td>
          <td>
            <Progress enrolment={enrolment} blocks={blocks} />
          </td>
          <td className="small">{formatTime(enrolment.created_at)}</td>
          <td className="small muted">{formatRelative(enrolment.updated_at)}</td>
        </tr>
      ))}
    </TableCard>
  );
}

// Delete a webhook or a list, confirmed. While running journeys use it the server refuses (409):
// the dialog then says so in the user's terms (which journeys, and what to do first), and the
// webhook or list stays.
import type { ReactNode } from 'react';
import type { Journey } from '../api';
import { sentence } from '../format';
import { useDeleteInUse } from '../hooks';
import { TrashIcon } from '../icons';
import { Alert, ConfirmDialog, JourneyStatusBadge } from '../ui';
import { NameLink } from './TableCard';

function InUseRefusal({
  name,
  kind,
  journeys,
  serverMessage,
}: {
  name: string;
  kind: 'webhook' | 'list';
  journeys: Journey[];
  serverMessage: string; // said as it is when the journeys cannot be named
}) {
  const one = journeys.length === 1;
  const change =
    kind === 'webhook'
      ? 'choose another webhook in its Webhook block, or remove that block'
      : 'choose another list in the blocks that use this one, or remove those blocks';
  return (
    <Alert
      title={`“${name}” is used by ${one ? 'a journey' : `${journeys.length || 'some'} journeys`} that ${one ? 'is' : 'are'} running`}
    >
      {journeys.length > 0 ? (
        <>
          <p>
            Active and paused journeys need their {kind}s, so “{name}” cannot be deleted while{' '}
            {one ? 'this journey uses' : 'these journeys use'} it:
          </p>
          <ul className="in-use-list" aria-label="Journeys that use it">
            {journeys.map((j) => (
              <li key={j.id}>
                <NameLink to={`/journeys/${j.id}`}>{j.name}</NameLink>{' '}
                <JourneyStatusBadge status={j.status} />
              </li>
            ))}
          </ul>
          <p>
            To delete it, open {one ? 'the journey' : 'each journey'}, {change}, and save; or delete the
            journey. Then delete the {kind} again. It stays as it is until then.
          </p>
        </>
      ) : (
        <p>{sentence(serverMessage)}</p>
      )}
    </Alert>
  );
}

export function DeleteInUseDialog({
  kind,
  id,
  name,
  onDeleted,
  onClose,
  children,
}: {
  kind: 'webhook' | 'list';
  id: string;
  name: string;
  onDeleted: () => void;
  onClose: () => void;
  children: ReactNode; // what deleting does
}) {
  const deletion = useDeleteInUse(`/v1/${kind}s/${id}`, kind === 'webhook' ? { webhook: id } : { list: id });
  const refused = deletion.refusal;
  const remove = async () => {
    if (await deletion.run()) onDeleted();
  };
  return (
    <ConfirmDialog
      title={refused ? `This ${kind} cannot be deleted yet` : `Delete ${kind}?`}
      confirmLabel={`Delete ${kind}`}
      icon={<TrashIcon size={16} />}
      busy={deletion.busy}
      onConfirm={refused ? undefined : () => void remove()}
      cancelLabel={refused ? `Keep the ${kind}` : 'Cancel'}
      onClose={onClose}
    >
      {refused ? (
        <InUseRefusal name={name} kind={kind} journeys={refused.journeys} serverMessage={refused.message} />
      ) : (
        <>
          {deletion.error && <Alert title={`The ${kind} was not deleted`}>{deletion.error}</Alert>}
          {children}
        </>
      )}
    </ConfirmDialog>
  );
}

// Workspaces, for instance keys: list, create, and create a key inside one (shown once).
import { useState } from 'react';
import { api, listAll, type CurrentKey, type NewApiKey, type Workspace } from '../api';
import { useLoad } from '../hooks';
import { PlusIcon } from '../icons';
import { Alert, Badge, Button, EmptyState, Loading, Modal } from '../ui';
import { formatTime } from '../format';
import { ApiKeyForm, NewKeyDialog } from './ApiKeyForm';
import { CreateByNameForm } from './InlineForm';
import { TableCard } from './TableCard';

export function WorkspacesSection({
  me,
  onKeyCreated,
}: {
  me: CurrentKey;
  onKeyCreated: (key: NewApiKey) => void;
}) {
  const workspaces = useLoad(() => listAll<Workspace>('/v1/workspaces'));
  const [keyFor, setKeyFor] = useState<Workspace | null>(null);
  const [created, setCreated] = useState<{ key: NewApiKey; workspace: Workspace } | null>(null);

  return (
    <section aria-labelledby="workspaces-title">
      <h2 className="section-title" id="workspaces-title">
        Workspaces
      </h2>
      <p className="muted section-intro">
        Your instance key manages workspaces. Each holds its own webhooks, journeys, contacts and keys, and
        sees nothing of the others: sign in with a key of a workspace to work in it.
      </p>
      <CreateByNameForm
        noun="workspace"
        path="/v1/workspaces"
        placeholder="e.g. Staging"
        onCreated={() => void workspaces.reload()}
      />
      {workspaces.error && <Alert title="Could not load workspaces">{workspaces.error.message}</Alert>}
      {workspaces.loading && !workspaces.data && <Loading />}
      {workspaces.data && workspaces.data.length === 0 && !workspaces.error && (
        <EmptyState title="No workspaces">Create one above.</EmptyState>
      )}
      {workspaces.data && workspaces.data.length > 0 && (
        <TableCard
          label="Workspaces"
          columns={['Name', 'ID', 'Created', { label: 'Actions', hidden: true, className: 'actions-col' }]}
        >
          {workspaces.data.map((w) => (
            <tr key={w.id}>
              <td>
                <span className="strong">{w.name}</span>{' '}
                {w.id === me.workspace_id && <Badge tone="accent">This key's workspace</Badge>}
              </td>
              <td className="mono small">{w.id}</td>
              <td className="muted small">{formatTime(w.created_at)}</td>
              <td className="actions-col">
                <Button size="sm" icon={<PlusIcon size={14} />} onClick={() => setKeyFor(w)}>
                  Create a key
                </Button>
              </td>
            </tr>
          ))}
        </TableCard>
      )}
      {keyFor && (
        <Modal title={`Create a key in “${keyFor.name}”`} onClose={() => setKeyFor(null)} wide>
          <ApiKeyForm
            className="card"
            ariaLabel={`Create an API key in ${keyFor.name}`}
            create={(input) => api<NewApiKey>('POST', `/v1/workspaces/${keyFor.id}/api-keys`, input)}
            onCreated={(key) => {
              setCreated({ key, workspace: keyFor });
              setKeyFor(null);
              onKeyCreated(key);
            }}
          />
        </Modal>
      )}
      {created && (
        <NewKeyDialog
          created={created.key}
          workspaceName={created.workspace.name}
          onClose={() => setCreated(null)}
        />
      )}
    </section>
  );
}

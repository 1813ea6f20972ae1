// Workspaces, for instance keys: list, create, and create a key inside one (shown once).
import { useState, type FormEvent } from 'react';
import { api, listAll, type CurrentKey, type NewApiKey, type Workspace } from '../api';
import { useLoad } from '../hooks';
import { PlusIcon } from '../icons';
import { Alert, Badge, Button, EmptyState, Field, formatTime, Loading, Modal, useToast } from '../ui';
import { ApiKeyForm, NewKeyDialog } from './ApiKeyForm';

export function WorkspacesSection({
  me,
  onKeyCreated,
}: {
  me: CurrentKey;
  onKeyCreated: (key: NewApiKey) => void;
}) {
  const toast = useToast();
  const workspaces = useLoad(() => listAll<Workspace>('/v1/workspaces'));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [keyFor, setKeyFor] = useState<Workspace | null>(null);
  const [created, setCreated] = useState<{ key: NewApiKey; workspace: Workspace } | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Name the workspace.');
      return;
    }
    setBusy(true);
    try {
      const ws = await api<Workspace>('POST', '/v1/workspaces', { name: name.trim() });
      toast(`Workspace “${ws.name}” created`);
      setName('');
      void workspaces.reload();
    } catch (err) {
      setNameError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="workspaces-title">
      <h2 className="section-title" id="workspaces-title">
        Workspaces
      </h2>
      <p className="muted section-intro">
        Your instance key manages workspaces. Each holds its own webhooks, journeys, contacts and keys, and
        sees nothing of the others: sign in with a key of a workspace to work in it.
      </p>
      <form className="card inline-create" onSubmit={create} noValidate aria-label="Create a workspace">
        <Field label="New workspace" error={nameError}>
          {({ id, invalid, describedBy }) => (
            <input
              id={id}
              className="input"
              placeholder="e.g. Staging"
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
          Create workspace
        </Button>
      </form>
      {workspaces.error && <Alert title="Could not load workspaces">{workspaces.error.message}</Alert>}
      {workspaces.loading && !workspaces.data && <Loading />}
      {workspaces.data && workspaces.data.length === 0 && !workspaces.error && (
        <EmptyState title="No workspaces">Create one above.</EmptyState>
      )}
      {workspaces.data && workspaces.data.length > 0 && (
        <div className="card table-card">
          <table className="table" aria-label="Workspaces">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Created</th>
                <th scope="col" className="actions-col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
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

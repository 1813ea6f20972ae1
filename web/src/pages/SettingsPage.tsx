// Settings: the key this browser signed in with, the workspace's API keys (admin keys manage
// them) and, for an instance key, the workspaces.
import { useState } from 'react';
import { api, listAll, type ApiKey, type CurrentKey, type NewApiKey } from '../api';
import { ApiKeyForm, NewKeyDialog } from '../components/ApiKeyForm';
import { WorkspacesSection } from '../components/WorkspacesSection';
import { useAction, useCurrentKey, useLoad } from '../hooks';
import { KeyIcon } from '../icons';
import { Link } from '../router';
import { keyName, scopeExplanation, scopeLabel, scopeShort } from '../scopes';
import { Alert, Badge, Button, ConfirmDialog, EmptyState, Loading, PageHeader, useToast } from '../ui';
import { formatRelative, formatTime } from '../format';
import { TableCard } from '../components/TableCard';

// `at` undefined: a server that does not say (older than the key routes).
function Expiry({ at }: { at: number | null | undefined }) {
  if (at === undefined) return <span className="muted">—</span>;
  if (at === null) return <span className="muted">Never</span>;
  if (at <= Date.now())
    return (
      <span className="stack">
        <Badge tone="danger">Expired</Badge>
        <span className="muted small">{formatTime(at)}</span>
      </span>
    );
  return (
    <span className="stack">
      <span>{formatRelative(at)}</span>
      <span className="muted small">{formatTime(at)}</span>
    </span>
  );
}

function CurrentKeyCard({ me }: { me: CurrentKey }) {
  return (
    <section className="card summary-grid current-key" aria-label="This browser's key">
      <div>
        <div className="label">Name</div>
        <span className="strong">{keyName(me)}</span>{' '}
        {me.instance && keyName(me) === me.name && <Badge tone="info">Instance key</Badge>}
      </div>
      <div>
        <div className="label">Scope</div>
        <Badge tone="accent">{scopeLabel(me.scope)}</Badge>
        <div className="muted small">{scopeShort(me.scope)}</div>
      </div>
      <div>
        <div className="label">Prefix</div>
        {me.prefix ? <span className="mono">{me.prefix}…</span> : <span className="muted">—</span>}
      </div>
      <div>
        <div className="label">Workspace</div>
        {me.workspace_name}
        <div className="mono muted small">{me.workspace_id}</div>
      </div>
      <div>
        <div className="label">Created</div>
        {formatTime(me.created_at)}
      </div>
      <div>
        <div className="label">Expires</div>
        <Expiry at={me.expires_at} />
      </div>
    </section>
  );
}

function RevokeDialog({
  apiKey,
  onClose,
  onRevoked,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { busy, error, run } = useAction();
  const revoke = async () => {
    if (await run(() => api('DELETE', `/v1/api-keys/${apiKey.id}`).then(() => true))) onRevoked();
  };
  return (
    <ConfirmDialog
      title={`Revoke “${keyName(apiKey)}”?`}
      confirmLabel="Revoke key"
      busy={busy}
      onConfirm={() => void revoke()}
      onClose={onClose}
    >
      {error && <Alert title="The key was not revoked">{error}</Alert>}
      <p>
        Everything that uses{' '}
        {apiKey.prefix ? (
          <>
            the key <span className="mono">{apiKey.prefix}…</span>
          </>
        ) : (
          'this key'
        )}{' '}
        (scripts, app servers, browsers signed in with it) is refused from now on. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}

const CURRENT_KEY_NOTE =
  'This browser is signed in with this key. To revoke it, sign in with another admin key.';

function ApiKeysSection({ me, version }: { me: CurrentKey | null; version: number }) {
  const toast = useToast();
  // Without GET /v1/me (an older server) the list is asked for anyway: the server decides.
  const canManage = !me || me.scope === 'admin';
  const keys = useLoad(
    () => (canManage ? listAll<ApiKey>('/v1/api-keys') : Promise.resolve([])),
    [canManage, version],
  );
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  return (
    <section aria-labelledby="api-keys-title">
      <h2 className="section-title" id="api-keys-title">
        API keys
      </h2>
      {!canManage ? (
        <Alert tone="info" title="Your key cannot manage API keys">
          This browser signed in with {me.scope === 'ingest' ? 'an' : 'a'}{' '}
          {scopeLabel(me.scope).toLowerCase()} key. {scopeExplanation(me.scope)} Creating and revoking keys
          takes an admin key.
        </Alert>
      ) : (
        <>
          <p className="muted section-intro">
            Keys of {me ? <>the workspace “{me.workspace_name}”</> : 'this workspace'}. Give each app or
            person its own key, with the smallest scope that does the job, so that one can be revoked alone.
          </p>
          <ApiKeyForm
            className="card key-create"
            ariaLabel="Create an API key"
            create={(input) => api<NewApiKey>('POST', '/v1/api-keys', input)}
            onCreated={(k) => {
              setCreated(k);
              void keys.reload();
            }}
          />
          {keys.error && <Alert title="Could not load API keys">{keys.error.message}</Alert>}
          {keys.loading && !keys.data && <Loading />}
          {keys.data && keys.data.length === 0 && !keys.error && (
            <EmptyState icon={<KeyIcon size={28} />} title="No API keys">
              Create one above.
            </EmptyState>
          )}
          {keys.data && keys.data.length > 0 && (
            <TableCard
              label="API keys"
              columns={[
                'Name',
                'Prefix',
                'Scope',
                'Created',
                'Last used',
                'Expires',
                { label: 'Actions', hidden: true, className: 'actions-col' },
              ]}
            >
              {keys.data.map((k) => {
                const current = k.id === me?.id;
                return (
                  <tr key={k.id} data-key-id={k.id}>
                    <td>
                      <span className="strong">{keyName(k)}</span>
                      <div className="badges">
                        {current && <Badge tone="accent">This browser</Badge>}
                        {k.instance && keyName(k) === k.name && <Badge tone="info">Instance</Badge>}
                      </div>
                    </td>
                    <td className="mono small">
                      {k.prefix ? `${k.prefix}…` : <span className="muted">—</span>}
                    </td>
                    <td>
                      <span title={scopeExplanation(k.scope)}>
                        <Badge>{scopeLabel(k.scope)}</Badge>
                      </span>
                    </td>
                    <td className="muted small">{formatTime(k.created_at)}</td>
                    <td className="small" title={k.last_used_at ? formatTime(k.last_used_at) : undefined}>
                      {k.last_used_at ? formatRelative(k.last_used_at) : <span className="muted">Never</span>}
                    </td>
                    <td className="small">
                      <Expiry at={k.expires_at} />
                    </td>
                    <td className="actions-col">
                      <div className="row-actions">
                        <Link to={`/audit-log?key_id=${encodeURIComponent(k.id)}`} className="small">
                          Activity
                        </Link>
                        {current ? (
                          <span title={CURRENT_KEY_NOTE}>
                            <Button size="sm" variant="danger" disabled aria-describedby="current-key-note">
                              Revoke
                            </Button>
                            <span id="current-key-note" className="sr-only">
                              {CURRENT_KEY_NOTE}
                            </span>
                          </span>
                        ) : (
                          <Button size="sm" variant="danger" onClick={() => setRevoking(k)}>
                            Revoke
                          </Button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </TableCard>
          )}
        </>
      )}
      {created && <NewKeyDialog created={created} onClose={() => setCreated(null)} />}
      {revoking && (
        <RevokeDialog
          apiKey={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            toast(`Key “${keyName(revoking)}” revoked`);
            setRevoking(null);
            void keys.reload();
          }}
        />
      )}
    </section>
  );
}

export function SettingsPage() {
  const me = useCurrentKey();
  // A key made in this workspace from the Workspaces section belongs in the list above it.
  const [keysVersion, setKeysVersion] = useState(0);
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        description="The API key this browser uses, the workspace's keys and, for instance keys, workspaces."
      />
      <h2 className="section-title section-first">This browser's key</h2>
      {me.error && <Alert title="Could not load this browser's key">{me.error.message}</Alert>}
      {me.loading && !me.data && <Loading />}
      {me.data && <CurrentKeyCard me={me.data} />}
      {(me.data || me.error) && <ApiKeysSection me={me.data} version={keysVersion} />}
      {me.data?.instance && (
        <WorkspacesSection
          me={me.data}
          onKeyCreated={(k) => k.workspace_id === me.data?.workspace_id && setKeysVersion((v) => v + 1)}
        />
      )}
    </div>
  );
}

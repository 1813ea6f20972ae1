// The shapes of API keys, workspaces and the audit log (Settings and Audit log pages); api.ts
// re-exports them, so that every shape is imported from one place.

// admin: everything in the workspace, keys included; write: everything but keys; ingest: only
// POST /v1/events and /v1/events/batch; read: GET only. The server answers 403 forbidden_scope
// beyond a key's scope.
export type KeyScope = 'admin' | 'write' | 'ingest' | 'read';

export interface ApiKey {
  id: string;
  name: string;
  scope: KeyScope;
  prefix: string; // the key's first characters, e.g. "hk_ab12c"
  instance: boolean; // also manages workspaces
  workspace_id: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

// POST /v1/api-keys answers with the key itself, the only time it is ever shown.
export interface NewApiKey extends ApiKey {
  key: string;
}

export interface ApiKeyInput {
  name: string;
  scope: KeyScope;
  expires_at?: number;
}

// GET /v1/me: the key this browser signed in with.
export interface CurrentKey extends ApiKey {
  workspace_name: string;
}

export interface Workspace {
  id: string;
  name: string;
  created_at: number;
}

export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'activate'
  | 'pause'
  | 'rotate_secret'
  | 'revoke'
  | 'recover'
  | 'retry'
  | 'add_members'
  | 'remove_member';

export type AuditResourceType =
  'webhook' | 'journey' | 'contact' | 'list' | 'api_key' | 'workspace' | 'delivery';

// `changes`: for an update {field: {from, to}}; for a create or a delete the resource's fields.
// Secrets appear as "***". A deleted contact's entries keep who and when, with changes {}.
export interface AuditEntry {
  id: string;
  time: number;
  key_id: string;
  key_name: string;
  action: AuditAction;
  resource_type: AuditResourceType;
  resource_id: string;
  changes: Record<string, unknown> | null;
}

// The fields of a new API key (name, scope, optional expiry) and the dialog that shows the key
// once: the Settings page uses both for its workspace's keys and for keys in other workspaces.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, type ApiKeyInput, type KeyScope, type NewApiKey } from '../api';
import { CheckIcon, CopyIcon, PlusIcon } from '../icons';
import { SCOPES, scopeExplanation, scopeLabel } from '../scopes';
import { Alert, Button, Field, Modal, useToast } from '../ui';
import { formatTime } from '../format';

// "2025-12-31" (a local date) -> the key's expiry: the end of that day, here.
function endOfDay(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime();
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const FIELDS = ['name', 'scope', 'expires_at'];

export function ApiKeyForm({
  create,
  onCreated,
  submitLabel = 'Create key',
  className,
  ariaLabel,
}: {
  create: (input: ApiKeyInput) => Promise<NewApiKey>;
  onCreated: (key: NewApiKey) => void;
  submitLabel?: string;
  className?: string;
  ariaLabel: string;
}) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<KeyScope>('read');
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Name the key after who or what will use it.';
    const expires_at = expires ? endOfDay(expires) : undefined;
    if (expires && (expires_at === undefined || expires_at <= Date.now()))
      local.expires_at = 'Choose a day from today on, or leave it empty.';
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const created = await create({ name: name.trim(), scope, ...(expires_at ? { expires_at } : {}) });
      setName('');
      setExpires('');
      onCreated(created);
    } catch (err) {
      const field = err instanceof ApiError && err.field && FIELDS.includes(err.field) ? err.field : '_form';
      setErrors({ [field]: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={className} onSubmit={submit} noValidate aria-label={ariaLabel}>
      {errors._form && <Alert title="The key was not created">{errors._form}</Alert>}
      <div className="key-fields">
        <Field label="Key name" error={errors.name} help="Who or what uses it, e.g. “Billing service”.">
          {({ id, invalid, describedBy }) => (
            <input
              id={id}
              className="input"
              value={name}
              maxLength={200}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => {
                setName(e.target.value);
                setErrors({});
              }}
            />
          )}
        </Field>
        <Field label="Scope" error={errors.scope} help={scopeExplanation(scope)}>
          {({ id, invalid, describedBy }) => (
            <select
              id={id}
              className="input select"
              value={scope}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => setScope(e.target.value as KeyScope)}
            >
              {SCOPES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}: {s.short}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Expires (optional)" error={errors.expires_at} help="Works until the end of this day.">
          {({ id, invalid, describedBy }) => (
            <input
              id={id}
              className="input"
              type="date"
              min={today()}
              value={expires}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => {
                setExpires(e.target.value);
                setErrors({});
              }}
            />
          )}
        </Field>
      </div>
      <div className="form-footer">
        <Button type="submit" variant="primary" busy={busy} icon={<PlusIcon size={16} />}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

// Shows a key that was just created: Hookline keeps only its hash, so this is the only time.
export function NewKeyDialog({
  created,
  workspaceName,
  onClose,
}: {
  created: NewApiKey;
  workspaceName?: string;
  onClose: () => void;
}) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
      toast('API key copied');
    } catch {
      input.current?.select();
      toast('This browser did not allow copying: the key is selected, copy it with Ctrl+C', 'danger');
    }
  };
  return (
    <Modal
      title="Copy your new API key"
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <Alert tone="warning" title="You will not see this key again">
        Hookline keeps only a hash of it. Copy it now and keep it somewhere safe, such as your secrets
        manager.
      </Alert>
      <Field label={`API key “${created.name}”`} htmlFor="new-api-key">
        {({ id }) => (
          <div className="input-with-action">
            <input
              ref={input}
              id={id}
              className="input mono"
              readOnly
              value={created.key}
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button
              variant={copied ? 'secondary' : 'primary'}
              icon={copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
              onClick={() => void copy()}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
        )}
      </Field>
      <p className="muted small key-facts">
        {scopeLabel(created.scope)} scope
        {workspaceName ? ` · workspace “${workspaceName}”` : ''} ·{' '}
        {created.expires_at ? `expires ${formatTime(created.expires_at)}` : 'never expires'}
      </p>
    </Modal>
  );
}

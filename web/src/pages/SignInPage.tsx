import { useState, type FormEvent } from 'react';
import { api, ApiError, storeKey } from '../api';
import { Button, Field } from '../ui';

// Sign in with an API key (printed by `hookline serve` on first start, or
// `hookline api-key create`). The key is kept in this browser's local storage.
export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter your API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('GET', '/v1/webhooks', undefined, { key: trimmed, query: { limit: 1 } });
      storeKey(trimmed);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'This API key is not valid. Check it and try again.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit} noValidate aria-labelledby="signin-title">
        <div className="brand brand-lg">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <span>Hookline</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">
          Use an API key of your workspace. <code>hookline serve</code> prints one on its first start;{' '}
          <code>hookline api-key create --name you</code> makes another.
        </p>
        <Field label="API key" error={error} htmlFor="api-key">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input mono"
              type="password"
              autoComplete="current-password"
              autoFocus
              placeholder="hk_…"
              value={key}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => setKey(e.target.value)}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Sign in
        </Button>
      </form>
    </div>
  );
}

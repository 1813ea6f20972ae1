import { useState, type FormEvent } from 'react';
import { api, ApiError, signedOutReason, storeKey, type CurrentKey } from '../api';
import { rememberCurrentKey } from '../hooks';
import { Alert, Button, Field } from '../ui';
import { sentence } from '../format';

// Checks a key with GET /v1/me (any scope may ask); a server without it is asked for a webhook.
async function checkKey(key: string): Promise<CurrentKey | null> {
  try {
    return await api<CurrentKey>('GET', '/v1/me', undefined, { key });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    await api('GET', '/v1/webhooks', undefined, { key, query: { limit: 1 } });
    return null;
  }
}

// Sign in with an API key (printed by `hookline serve` on first start, or
// `hookline api-key create`). The key is kept in this browser's local storage. When a key stops
// working (revoked, expired) the app comes back here and says why.
export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason] = useState(signedOutReason);

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
      const me = await checkKey(trimmed);
      if (me?.scope === 'ingest') {
        setError(
          'This is an ingest key: it can only report events, so it cannot sign in here. Use a read, write or admin key.',
        );
        return;
      }
      if (me) rememberCurrentKey(trimmed, me);
      storeKey(trimmed);
    } catch (err) {
      // The server says which: not valid, revoked, or expired at a given time.
      setError(
        err instanceof ApiError && err.status === 401
          ? sentence(err.message || 'This API key is not valid. Check it and try again.')
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
        {reason && (
          <Alert tone="warning" title="You were signed out">
            {sentence(reason)} Sign in with another key.
          </Alert>
        )}
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

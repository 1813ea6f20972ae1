// "Authentication required": Basic (username and password) or a token in a header. A saved
// password or token is never sent to the browser: left empty, the saved one is kept.
import type { Webhook } from '../../api';
import { Field, FieldError, Switch } from '../../ui';
import type { FormErrors, FormState } from './formState';

type AuthState = Pick<
  FormState,
  'authRequired' | 'authType' | 'username' | 'password' | 'token' | 'tokenHeader' | 'tokenPrefix'
>;

const AUTH_KEYS = ['auth', 'auth.username', 'auth.password', 'auth.token', 'auth.header', 'auth.prefix'];

export function AuthFields({
  s,
  saved,
  errors,
  id,
  update,
  clearError,
}: {
  s: AuthState;
  saved?: Webhook;
  errors: FormErrors;
  id: (suffix: string) => string;
  update: (patch: Partial<AuthState>) => void;
  clearError: (...keys: string[]) => void;
}) {
  // One text field of the auth settings: its label, state key, error key and id.
  const text = (
    label: string,
    key: 'username' | 'password' | 'token' | 'tokenHeader' | 'tokenPrefix',
    errorKey: string,
    idSuffix: string,
    extra: { help?: string; secret?: boolean; mono?: boolean; keptHint?: boolean } = {},
  ) => (
    <Field label={label} error={errors[errorKey]} htmlFor={id(idSuffix)} help={extra.help}>
      {({ id: fid, describedBy, invalid }) => (
        <input
          id={fid}
          className={`input ${extra.mono ? 'mono' : ''}`}
          type={extra.secret ? 'password' : undefined}
          autoComplete={key === 'password' ? 'new-password' : 'off'}
          value={s[key]}
          data-error-key={errorKey}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          placeholder={extra.keptHint ? '••••••••' : ''}
          onChange={(e) => {
            update({ [key]: e.target.value });
            clearError(errorKey);
          }}
        />
      )}
    </Field>
  );
  const savedType = saved?.auth.type;

  return (
    <section className="form-section">
      <Switch
        id={id('auth-toggle')}
        label="Authentication required"
        description="The URL is protected: send a username and password, or a token."
        checked={s.authRequired}
        onChange={(authRequired) => {
          update({ authRequired });
          clearError(...AUTH_KEYS);
        }}
      />
      {s.authRequired && (
        <div className="subsection">
          <div className="segmented" role="radiogroup" aria-label="Authentication type">
            {(['basic', 'token'] as const).map((t) => (
              <label key={t} className={`segment ${s.authType === t ? 'active' : ''}`}>
                <input
                  type="radio"
                  name={id('auth-type')}
                  value={t}
                  checked={s.authType === t}
                  onChange={() => update({ authType: t })}
                />
                {t === 'basic' ? 'Basic' : 'Token'}
              </label>
            ))}
          </div>
          {errors.auth && <FieldError message={errors.auth} />}
          {s.authType === 'basic' ? (
            <div className="grid-2">
              {text('Username', 'username', 'auth.username', 'username')}
              {text('Password', 'password', 'auth.password', 'password', {
                secret: true,
                keptHint: savedType === 'basic',
                help: savedType === 'basic' ? 'Leave empty to keep the saved password.' : undefined,
              })}
            </div>
          ) : (
            <div className="grid-3">
              {text('Token or API key', 'token', 'auth.token', 'token', {
                secret: true,
                mono: true,
                keptHint: savedType === 'token',
                help: savedType === 'token' ? 'Leave empty to keep the saved token.' : undefined,
              })}
              {text('Header', 'tokenHeader', 'auth.header', 'token-header', { mono: true })}
              {text('Prefix', 'tokenPrefix', 'auth.prefix', 'token-prefix', {
                mono: true,
                help: 'e.g. Bearer; empty sends the bare token.',
              })}
            </div>
          )}
        </div>
      )}
    </section>
  );
}

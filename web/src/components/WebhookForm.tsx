// The webhook form, in the source's order: Name, URL (+ placeholders), Authentication required,
// Add custom header, Add custom payload, subscribed events, Test, Create webhook. Used on its own
// page and inside the journey builder's "Choose or create a webhook" popup.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type TestReport, type Webhook, type WebhookAuth, type WebhookInput } from '../api';
import { EVENT_GROUPS, EVENT_NAME_PATTERN, eventLabel, placeholderGroups, SYSTEM_EVENTS } from '../catalog';
import { useContactProperties } from '../hooks';
import { PlusIcon, SendIcon, TrashIcon } from '../icons';
import { Alert, Button, Field, FieldError, Switch } from '../ui';
import { PlaceholderPicker } from './PlaceholderPicker';
import { TestResult } from './TestResult';

interface HeaderRow {
  key: number;
  name: string;
  value: string;
}
interface PayloadRow {
  key: number;
  name: string;
  mode: 'value' | 'property';
  value: string;
}

interface FormState {
  name: string;
  url: string;
  authRequired: boolean;
  authType: 'basic' | 'token';
  username: string;
  password: string;
  token: string;
  tokenHeader: string;
  tokenPrefix: string;
  headersOn: boolean;
  headers: HeaderRow[];
  payloadOn: boolean;
  payload: PayloadRow[];
  events: string[];
  method: 'POST' | 'PUT' | 'PATCH';
  timeoutSeconds: string;
  enabled: boolean;
}

let rowKey = 1;
const nextKey = () => rowKey++;

const SINGLE_PLACEHOLDER = /^\{\{\s*([^{}|\s]+)\s*\}\}$/;

function initialState(w?: Webhook): FormState {
  const auth: WebhookAuth = w?.auth ?? { type: 'none' };
  const payloadEntries = Object.entries(w?.custom_payload ?? {});
  return {
    name: w?.name ?? '',
    url: w?.url ?? '',
    authRequired: auth.type !== 'none',
    authType: auth.type === 'token' ? 'token' : 'basic',
    username: auth.type === 'basic' ? auth.username : '',
    password: '',
    token: '',
    tokenHeader: auth.type === 'token' ? (auth.header ?? 'Authorization') : 'Authorization',
    tokenPrefix: auth.type === 'token' ? (auth.prefix ?? 'Bearer') : 'Bearer',
    headersOn: (w?.headers?.length ?? 0) > 0,
    headers: (w?.headers ?? []).map((h) => ({ key: nextKey(), name: h.name, value: h.value })),
    payloadOn: payloadEntries.length > 0,
    payload: payloadEntries.map(([name, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const m = typeof value === 'string' ? SINGLE_PLACEHOLDER.exec(value) : null;
      return m
        ? { key: nextKey(), name, mode: 'property' as const, value: m[1] }
        : { key: nextKey(), name, mode: 'value' as const, value: text };
    }),
    events: w?.events ?? [],
    method: w?.method ?? 'POST',
    timeoutSeconds: String((w?.timeout_ms ?? 15000) / 1000),
    enabled: w?.enabled ?? true,
  };
}

// Maps an API field path onto the form's own keys.
function formKeyFor(field: string | null, s: FormState, sentHeaders: number[]): string {
  if (!field) return '_form';
  let m = /^headers\[(\d+)\](?:\.(name|value))?$/.exec(field);
  if (m) return `header.${sentHeaders[Number(m[1])] ?? -1}.${m[2] ?? 'name'}`;
  m = /^custom_payload\.(.+)$/.exec(field);
  if (m) {
    const row = s.payload.find((r) => r.name.trim() === m![1]);
    return row ? `payload.${row.key}.value` : 'payload';
  }
  if (field === 'custom_payload') return 'payload';
  if (/^events/.test(field)) return 'events';
  if (field === 'auth' || field === 'auth.type') return 'auth';
  if (field.startsWith('auth.')) return field;
  if (['name', 'url', 'method', 'timeout_ms', 'enabled'].includes(field)) return field;
  return '_form';
}

export function WebhookForm({
  webhook,
  onSaved,
  onCancel,
  submitLabel,
  idPrefix = 'wh',
}: {
  webhook?: Webhook;
  onSaved: (saved: Webhook) => void;
  onCancel?: () => void;
  submitLabel?: string;
  idPrefix?: string;
}) {
  const editing = !!webhook;
  const [s, setS] = useState<FormState>(() => initialState(webhook));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<TestReport | null>(null);
  const [testNote, setTestNote] = useState<string | null>(null);
  const [testError, setTestError] = useState<string | null>(null);
  const [customEvent, setCustomEvent] = useState('');
  const [customEventError, setCustomEventError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const headerValueRefs = useRef(new Map<number, HTMLInputElement>());
  const props = useContactProperties();
  const propertyGroups = useMemo(() => placeholderGroups(props), [props]);

  const update = (patch: Partial<FormState>) => {
    setS((prev) => ({ ...prev, ...patch }));
    setDirty(true);
  };
  const clearError = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const next = { ...e };
      for (const k of keys) delete next[k];
      return next;
    });

  // Inserts {{path}} at the caret of an input, then puts the caret after it.
  const insertInto = (
    input: HTMLInputElement | null | undefined,
    current: string,
    path: string,
    set: (v: string) => void,
  ) => {
    const token = `{{${path}}}`;
    const start = input?.selectionStart ?? current.length;
    const end = input?.selectionEnd ?? current.length;
    const value = current.slice(0, start) + token + current.slice(end);
    set(value);
    requestAnimationFrame(() => {
      if (!input) return;
      input.focus();
      const caret = start + token.length;
      input.setSelectionRange(caret, caret);
    });
  };

  // The body the API takes, with the order of the rows it sent (for mapping errors back).
  const build = (): { body: WebhookInput; sentHeaders: number[] } => {
    let auth: WebhookAuth = { type: 'none' };
    const stored = webhook?.auth.type;
    if (s.authRequired && s.authType === 'basic') {
      auth = { type: 'basic', username: s.username };
      if (s.password || stored !== 'basic') auth.password = s.password;
    } else if (s.authRequired && s.authType === 'token') {
      auth = { type: 'token', header: s.tokenHeader.trim() || 'Authorization', prefix: s.tokenPrefix };
      if (s.token || stored !== 'token') auth.token = s.token;
    }
    const headerRows = s.headersOn ? s.headers.filter((h) => h.name.trim() || h.value) : [];
    const payloadRows = s.payloadOn ? s.payload.filter((p) => p.name.trim() || p.value) : [];
    const custom: Record<string, unknown> = {};
    for (const p of payloadRows) {
      custom[p.name.trim()] = p.mode === 'property' ? (p.value ? `{{${p.value}}}` : '') : p.value;
    }
    const seconds = Number(s.timeoutSeconds);
    return {
      body: {
        name: s.name.trim(),
        url: s.url.trim(),
        method: s.method,
        auth,
        headers: headerRows.map((h) => ({ name: h.name.trim(), value: h.value })),
        custom_payload: payloadRows.length ? custom : null,
        events: s.events,
        enabled: s.enabled,
        timeout_ms: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 15000,
      },
      sentHeaders: headerRows.map((h) => h.key),
    };
  };

  // Checks the browser can make without the server; the server checks everything again.
  const localErrors = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!s.name.trim()) e.name = 'Give the webhook a name.';
    if (!s.url.trim()) e.url = 'Enter the URL to call.';
    if (s.authRequired && s.authType === 'basic' && !s.username.trim())
      e['auth.username'] = 'Enter the username.';
    if (s.authRequired && s.authType === 'token' && !s.token && webhook?.auth.type !== 'token')
      e['auth.token'] = 'Enter the token or API key.';
    if (s.payloadOn) {
      const seen = new Set<string>();
      for (const p of s.payload) {
        if (!p.name.trim() && !p.value) continue;
        if (!p.name.trim()) e[`payload.${p.key}.name`] = 'Enter a key.';
        else if (seen.has(p.name.trim())) e[`payload.${p.key}.name`] = 'This key is already used.';
        seen.add(p.name.trim());
      }
    }
    if (s.headersOn) {
      for (const h of s.headers) {
        if (!h.name.trim() && h.value) e[`header.${h.key}.name`] = 'Enter the header name.';
      }
    }
    return e;
  };

  const applyApiError = (err: unknown, sentHeaders: number[]) => {
    if (err instanceof ApiError) {
      const key = formKeyFor(err.field, s, sentHeaders);
      setErrors({ [key]: err.message });
      if (key !== '_form') {
        requestAnimationFrame(() => {
          const el = document.querySelector<HTMLElement>(`[data-error-key="${CSS.escape(key)}"]`);
          el?.focus();
        });
      }
    } else {
      setErrors({ _form: String(err) });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = localErrors();
    if (Object.keys(local).length) {
      setErrors(local);
      const first = Object.keys(local)[0];
      document.querySelector<HTMLElement>(`[data-error-key="${CSS.escape(first)}"]`)?.focus();
      return;
    }
    const { body, sentHeaders } = build();
    setSaving(true);
    setErrors({});
    try {
      const saved = editing
        ? await api<Webhook>('PATCH', `/v1/webhooks/${webhook!.id}`, body)
        : await api<Webhook>('POST', '/v1/webhooks', body);
      setDirty(false);
      onSaved(saved);
    } catch (err) {
      applyApiError(err, sentHeaders);
    } finally {
      setSaving(false);
    }
  };

  const runTest = async () => {
    setTestError(null);
    setTestNote(null);
    const local = localErrors();
    if (Object.keys(local).length) {
      setErrors(local);
      setTestError('Fix the highlighted fields before testing.');
      return;
    }
    const { body, sentHeaders } = build();
    // A saved webhook whose secret was not typed again is tested as saved: the browser never
    // holds the stored password or token.
    const secretKept =
      editing &&
      ((body.auth.type === 'basic' && body.auth.password === undefined) ||
        (body.auth.type === 'token' && body.auth.token === undefined));
    setTesting(true);
    setReport(null);
    setErrors({});
    try {
      let result: TestReport;
      if (editing && (!dirty || secretKept)) {
        result = await api<TestReport>('POST', `/v1/webhooks/${webhook!.id}/test`, {});
        if (dirty) setTestNote('Tested the saved webhook: save your changes to test them.');
      } else {
        result = await api<TestReport>('POST', '/v1/webhooks/test', body);
      }
      setReport(result);
    } catch (err) {
      if (err instanceof ApiError && err.field) applyApiError(err, sentHeaders);
      setTestError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setTesting(false);
    }
  };

  const toggleEvent = (name: string, on: boolean) =>
    update({ events: on ? [...s.events, name] : s.events.filter((e) => e !== name) });

  const addCustomEvent = () => {
    const name = customEvent.trim();
    if (!name) return;
    if (!EVENT_NAME_PATTERN.test(name)) {
      setCustomEventError('Use lower-case letters, digits and _ in dot-separated parts, e.g. order.paid.');
      return;
    }
    if (!s.events.includes(name)) update({ events: [...s.events, name] });
    setCustomEvent('');
    setCustomEventError(null);
  };

  const customEvents = s.events.filter((e) => !SYSTEM_EVENTS.includes(e));
  const id = (suffix: string) => `${idPrefix}-${suffix}`;

  return (
    <form
      className="webhook-form"
      onSubmit={submit}
      noValidate
      aria-label={editing ? 'Edit webhook' : 'Create webhook'}
    >
      {errors._form && <Alert title="The webhook was not saved">{errors._form}</Alert>}

      <section className="form-section">
        <Field
          label="Webhook name"
          error={errors.name}
          htmlFor={id('name')}
          help="Shown in lists and journeys."
        >
          {({ id: fid, describedBy, invalid }) => (
            <input
              id={fid}
              className="input"
              value={s.name}
              data-error-key="name"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              placeholder="e.g. Billing app"
              onChange={(e) => {
                update({ name: e.target.value });
                clearError('name');
              }}
            />
          )}
        </Field>

        <Field
          label="URL"
          error={errors.url}
          htmlFor={id('url')}
          help="If your URL needs parameters, insert them as placeholders."
        >
          {({ id: fid, describedBy, invalid }) => (
            <div className="input-with-action">
              <input
                id={fid}
                ref={urlRef}
                className="input mono"
                value={s.url}
                data-error-key="url"
                aria-invalid={invalid}
                aria-describedby={describedBy}
                placeholder="https://example.com/hooks/{{contact.id}}"
                spellCheck={false}
                onChange={(e) => {
                  update({ url: e.target.value });
                  clearError('url');
                }}
              />
              <PlaceholderPicker
                onPick={(path) => {
                  insertInto(urlRef.current, s.url, path, (url) => update({ url }));
                  clearError('url');
                }}
              />
            </div>
          )}
        </Field>
      </section>

      <section className="form-section">
        <Switch
          id={id('auth-toggle')}
          label="Authentication required"
          description="The URL is protected: send a username and password, or a token."
          checked={s.authRequired}
          onChange={(authRequired) => {
            update({ authRequired });
            clearError('auth', 'auth.username', 'auth.password', 'auth.token', 'auth.header', 'auth.prefix');
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
                <Field label="Username" error={errors['auth.username']} htmlFor={id('username')}>
                  {({ id: fid, describedBy, invalid }) => (
                    <input
                      id={fid}
                      className="input"
                      autoComplete="off"
                      value={s.username}
                      data-error-key="auth.username"
                      aria-invalid={invalid}
                      aria-describedby={describedBy}
                      onChange={(e) => {
                        update({ username: e.target.value });
                        clearError('auth.username');
                      }}
                    />
                  )}
                </Field>
                <Field
                  label="Password"
                  error={errors['auth.password']}
                  htmlFor={id('password')}
                  help={
                    webhook?.auth.type === 'basic' ? 'Leave empty to keep the saved password.' : undefined
                  }
                >
                  {({ id: fid, describedBy, invalid }) => (
                    <input
                      id={fid}
                      className="input"
                      type="password"
                      autoComplete="new-password"
                      value={s.password}
                      data-error-key="auth.password"
                      aria-invalid={invalid}
                      aria-describedby={describedBy}
                      placeholder={webhook?.auth.type === 'basic' ? '••••••••' : ''}
                      onChange={(e) => {
                        update({ password: e.target.value });
                        clearError('auth.password');
                      }}
                    />
                  )}
                </Field>
              </div>
            ) : (
              <div className="grid-3">
                <Field
                  label="Token or API key"
                  error={errors['auth.token']}
                  htmlFor={id('token')}
                  help={webhook?.auth.type === 'token' ? 'Leave empty to keep the saved token.' : undefined}
                >
                  {({ id: fid, describedBy, invalid }) => (
                    <input
                      id={fid}
                      className="input mono"
                      type="password"
                      autoComplete="off"
                      value={s.token}
                      data-error-key="auth.token"
                      aria-invalid={invalid}
                      aria-describedby={describedBy}
                      placeholder={webhook?.auth.type === 'token' ? '••••••••' : ''}
                      onChange={(e) => {
                        update({ token: e.target.value });
                        clearError('auth.token');
                      }}
                    />
                  )}
                </Field>
                <Field label="Header" error={errors['auth.header']} htmlFor={id('token-header')}>
                  {({ id: fid, describedBy, invalid }) => (
                    <input
                      id={fid}
                      className="input mono"
                      value={s.tokenHeader}
                      data-error-key="auth.header"
                      aria-invalid={invalid}
                      aria-describedby={describedBy}
                      onChange={(e) => {
                        update({ tokenHeader: e.target.value });
                        clearError('auth.header');
                      }}
                    />
                  )}
                </Field>
                <Field
                  label="Prefix"
                  error={errors['auth.prefix']}
                  htmlFor={id('token-prefix')}
                  help="e.g. Bearer; empty sends the bare token."
                >
                  {({ id: fid, describedBy, invalid }) => (
                    <input
                      id={fid}
                      className="input mono"
                      value={s.tokenPrefix}
                      data-error-key="auth.prefix"
                      aria-invalid={invalid}
                      aria-describedby={describedBy}
                      onChange={(e) => {
                        update({ tokenPrefix: e.target.value });
                        clearError('auth.prefix');
                      }}
                    />
                  )}
                </Field>
              </div>
            )}
          </div>
        )}
      </section>

      <section className="form-section">
        <Switch
          id={id('headers-toggle')}
          label="Add custom header"
          description="Extra information the URL needs with each call, such as security details."
          checked={s.headersOn}
          onChange={(headersOn) =>
            update({
              headersOn,
              headers:
                headersOn && s.headers.length === 0 ? [{ key: nextKey(), name: '', value: '' }] : s.headers,
            })
          }
        />
        {s.headersOn && (
          <div className="subsection">
            <div className="rows" role="group" aria-label="Custom headers">
              {s.headers.map((h, i) => (
                <div className="row" key={h.key}>
                  <div className="row-cell">
                    <input
                      className="input mono"
                      aria-label={`Header ${i + 1} name`}
                      placeholder="Header name"
                      value={h.name}
                      data-error-key={`header.${h.key}.name`}
                      aria-invalid={!!errors[`header.${h.key}.name`]}
                      onChange={(e) => {
                        update({
                          headers: s.headers.map((x) =>
                            x.key === h.key ? { ...x, name: e.target.value } : x,
                          ),
                        });
                        clearError(`header.${h.key}.name`);
                      }}
                    />
                    {errors[`header.${h.key}.name`] && (
                      <FieldError message={errors[`header.${h.key}.name`]} />
                    )}
                  </div>
                  <div className="row-cell grow">
                    <div className="input-with-action">
                      <input
                        className="input mono"
                        aria-label={`Header ${i + 1} value`}
                        placeholder="Value"
                        value={h.value}
                        ref={(el) => {
                          if (el) headerValueRefs.current.set(h.key, el);
                          else headerValueRefs.current.delete(h.key);
                        }}
                        data-error-key={`header.${h.key}.value`}
                        aria-invalid={!!errors[`header.${h.key}.value`]}
                        onChange={(e) => {
                          update({
                            headers: s.headers.map((x) =>
                              x.key === h.key ? { ...x, value: e.target.value } : x,
                            ),
                          });
                          clearError(`header.${h.key}.value`);
                        }}
                      />
                      <PlaceholderPicker
                        label="Placeholder"
                        onPick={(path) =>
                          insertInto(headerValueRefs.current.get(h.key), h.value, path, (value) =>
                            update({
                              headers: s.headers.map((x) => (x.key === h.key ? { ...x, value } : x)),
                            }),
                          )
                        }
                      />
                    </div>
                    {errors[`header.${h.key}.value`] && (
                      <FieldError message={errors[`header.${h.key}.value`]} />
                    )}
                  </div>
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Remove header ${i + 1}`}
                    onClick={() => update({ headers: s.headers.filter((x) => x.key !== h.key) })}
                  >
                    <TrashIcon />
                  </button>
                </div>
              ))}
            </div>
            <Button
              size="sm"
              variant="ghost"
              icon={<PlusIcon size={16} />}
              onClick={() => update({ headers: [...s.headers, { key: nextKey(), name: '', value: '' }] })}
            >
              Add header
            </Button>
          </div>
        )}
      </section>

      <section className="form-section">
        <Switch
          id={id('payload-toggle')}
          label="Add custom payload"
          description="Add your own contact or event properties; they are sent as custom_data in the JSON body."
          checked={s.payloadOn}
          onChange={(payloadOn) =>
            update({
              payloadOn,
              payload:
                payloadOn && s.payload.length === 0
                  ? [{ key: nextKey(), name: '', mode: 'property', value: '' }]
                  : s.payload,
            })
          }
        />
        {s.payloadOn && (
          <div className="subsection">
            {errors.payload && <FieldError message={errors.payload} />}
            <div className="rows" role="group" aria-label="Custom payload">
              {s.payload.map((p, i) => (
                <div className="row" key={p.key}>
                  <div className="row-cell">
                    <input
                      className="input mono"
                      aria-label={`Payload ${i + 1} key`}
                      placeholder="Key"
                      value={p.name}
                      data-error-key={`payload.${p.key}.name`}
                      aria-invalid={!!errors[`payload.${p.key}.name`]}
                      onChange={(e) => {
                        update({
                          payload: s.payload.map((x) =>
                            x.key === p.key ? { ...x, name: e.target.value } : x,
                          ),
                        });
                        clearError(`payload.${p.key}.name`, `payload.${p.key}.value`);
                      }}
                    />
                    {errors[`payload.${p.key}.name`] && (
                      <FieldError message={errors[`payload.${p.key}.name`]} />
                    )}
                  </div>
                  <select
                    className="input select narrow"
                    aria-label={`Payload ${i + 1} type`}
                    value={p.mode}
                    onChange={(e) =>
                      update({
                        payload: s.payload.map((x) =>
                          x.key === p.key
                            ? { ...x, mode: e.target.value as PayloadRow['mode'], value: '' }
                            : x,
                        ),
                      })
                    }
                  >
                    <option value="property">Property</option>
                    <option value="value">Value</option>
                  </select>
                  <div className="row-cell grow">
                    {p.mode === 'property' ? (
                      <select
                        className="input select"
                        aria-label={`Payload ${i + 1} property`}
                        value={p.value}
                        data-error-key={`payload.${p.key}.value`}
                        aria-invalid={!!errors[`payload.${p.key}.value`]}
                        onChange={(e) => {
                          update({
                            payload: s.payload.map((x) =>
                              x.key === p.key ? { ...x, value: e.target.value } : x,
                            ),
                          });
                          clearError(`payload.${p.key}.value`);
                        }}
                      >
                        <option value="">Choose a property…</option>
                        {propertyGroups.map((g) => (
                          <optgroup key={g.label} label={g.label}>
                            {g.items.map((item) => (
                              <option key={item.path} value={item.path}>
                                {item.label} ({item.path})
                              </option>
                            ))}
                          </optgroup>
                        ))}
                        {p.value &&
                          !propertyGroups.some((g) => g.items.some((i2) => i2.path === p.value)) && (
                            <option value={p.value}>{p.value}</option>
                          )}
                      </select>
                    ) : (
                      <input
                        className="input mono"
                        aria-label={`Payload ${i + 1} value`}
                        placeholder="Text, or text with {{placeholders}}"
                        value={p.value}
                        data-error-key={`payload.${p.key}.value`}
                        aria-invalid={!!errors[`payload.${p.key}.value`]}
                        onChange={(e) => {
                          update({
                            payload: s.payload.map((x) =>
                              x.key === p.key ? { ...x, value: e.target.value } : x,
                            ),
                          });
                          clearError(`payload.${p.key}.value`);
                        }}
                      />
                    )}
                    {errors[`payload.${p.key}.value`] && (
                      <FieldError message={errors[`payload.${p.key}.value`]} />
                    )}
                  </div>
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Remove payload ${i + 1}`}
                    onClick={() => update({ payload: s.payload.filter((x) => x.key !== p.key) })}
                  >
                    <TrashIcon />
                  </button>
                </div>
              ))}
            </div>
            <Button
              size="sm"
              variant="ghost"
              icon={<PlusIcon size={16} />}
              onClick={() =>
                update({ payload: [...s.payload, { key: nextKey(), name: '', mode: 'property', value: '' }] })
              }
            >
              Add property
            </Button>
          </div>
        )}
      </section>

      <section className="form-section">
        <fieldset className="fieldset" aria-describedby={id('events-help')}>
          <legend className="field-label">Subscribed events</legend>
          <p className="field-help" id={id('events-help')}>
            The webhook is called for every event you pick. Leave all unticked for a webhook used only in
            journeys.
          </p>
          <div className="event-groups" data-error-key="events" tabIndex={-1}>
            {EVENT_GROUPS.map((g) => (
              <div key={g.label} className="event-group">
                <div className="event-group-label">{g.label}</div>
                {g.events.map((name) => (
                  <label key={name} className="check">
                    <input
                      type="checkbox"
                      checked={s.events.includes(name)}
                      onChange={(e) => {
                        toggleEvent(name, e.target.checked);
                        clearError('events');
                      }}
                    />
                    <span>
                      {eventLabel(name)} <code className="muted">{name}</code>
                    </span>
                  </label>
                ))}
              </div>
            ))}
            <div className="event-group">
              <div className="event-group-label">Custom</div>
              {customEvents.map((name) => (
                <label key={name} className="check">
                  <input type="checkbox" checked onChange={() => toggleEvent(name, false)} />
                  <code>{name}</code>
                </label>
              ))}
              <div className="inline-add">
                <input
                  className="input input-sm mono"
                  aria-label="Custom event name"
                  placeholder="order.paid"
                  value={customEvent}
                  onChange={(e) => {
                    setCustomEvent(e.target.value);
                    setCustomEventError(null);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      addCustomEvent();
                    }
                  }}
                />
                <Button size="sm" onClick={addCustomEvent}>
                  Add
                </Button>
              </div>
              {customEventError && <FieldError message={customEventError} />}
            </div>
          </div>
          {errors.events && <FieldError message={errors.events} />}
        </fieldset>
      </section>

      <details className="form-section advanced">
        <summary>Advanced settings</summary>
        <div className="grid-3">
          <Field label="Method" error={errors.method} htmlFor={id('method')}>
            {({ id: fid }) => (
              <select
                id={fid}
                className="input select"
                value={s.method}
                data-error-key="method"
                onChange={(e) => update({ method: e.target.value as FormState['method'] })}
              >
                <option>POST</option>
                <option>PUT</option>
                <option>PATCH</option>
              </select>
            )}
          </Field>
          <Field label="Timeout (seconds)" error={errors.timeout_ms} htmlFor={id('timeout')}>
            {({ id: fid, invalid }) => (
              <input
                id={fid}
                className="input"
                type="number"
                min={0.1}
                max={60}
                step="any"
                value={s.timeoutSeconds}
                data-error-key="timeout_ms"
                aria-invalid={invalid}
                onChange={(e) => {
                  update({ timeoutSeconds: e.target.value });
                  clearError('timeout_ms');
                }}
              />
            )}
          </Field>
          <div className="field">
            <span className="field-label">Status</span>
            <Switch
              id={id('enabled')}
              label={s.enabled ? 'Enabled' : 'Disabled'}
              checked={s.enabled}
              onChange={(enabled) => update({ enabled })}
            />
          </div>
        </div>
      </details>

      <section className="form-section test-section" aria-labelledby={id('test-title')}>
        <div className="test-head">
          <div>
            <h3 id={id('test-title')}>Test your webhook</h3>
            <p className="field-help">
              Sends one real request with sample data. The receiver must answer <strong>200</strong>; any
              other answer is a failure.
            </p>
          </div>
          <Button onClick={runTest} busy={testing} icon={<SendIcon size={16} />}>
            Test
          </Button>
        </div>
        {testError && <Alert title="The test could not run">{testError}</Alert>}
        {testNote && <Alert tone="info">{testNote}</Alert>}
        {report && <TestResult report={report} />}
      </section>

      <div className="form-footer">
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" busy={saving}>
          {submitLabel ?? (editing ? 'Save changes' : 'Create webhook')}
        </Button>
      </div>
    </form>
  );
}

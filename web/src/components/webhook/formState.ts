// The webhook form's state, and the pure steps between it and the API: the body it sends, the
// checks the browser makes first, and where an API error belongs.
import type { Filter, Webhook, WebhookAuth, WebhookInput, WebhookOrdering } from '../../api';
import {
  IN_FLIGHT_MESSAGE,
  RATE_LIMIT_MESSAGE,
  TIMEOUT_MAX_SECONDS,
  TIMEOUT_MESSAGE,
  TIMEOUT_MIN_SECONDS,
} from '../../messages';
import type { FilterRow } from '../FilterRows';

// A header (name, value) or a custom payload entry (name is its key; value a text, or the
// property path a placeholder names when mode is "property").
export interface Row {
  key: number;
  name: string;
  value: string;
  mode?: 'value' | 'property';
}

// A filter row of the form: its key places the server's errors on it (filters[i] is the i-th sent).
export type KeyedFilter = FilterRow & { key: number };

export interface FormState {
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
  headers: Row[];
  payloadOn: boolean;
  payload: Row[];
  events: string[];
  filters: KeyedFilter[];
  method: 'POST' | 'PUT' | 'PATCH';
  timeoutSeconds: string;
  maxInFlight: string; // requests at once
  rateLimit: string; // requests per second; 0: no limit
  enabled: boolean;
  selfHeal: boolean;
  ordering: WebhookOrdering;
}

export type FormErrors = Record<string, string>;

// The server's default for a new webhook.
const DEFAULT_MAX_IN_FLIGHT = 10;

// A whole number as typed, or NaN (the server checks the range).
function wholeNumber(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
}

let rowKey = 1;
export const nextKey = () => rowKey++;

const SINGLE_PLACEHOLDER = /^\{\{\s*([^{}|\s]+)\s*\}\}$/;

// The form for a saved webhook, or an empty one. Secrets start empty: GET gives only masks.
export function initialState(w?: Webhook): FormState {
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
    filters: (w?.filters ?? []).map((f) => ({ ...f, key: nextKey() })),
    method: w?.method ?? 'POST',
    timeoutSeconds: String((w?.timeout_ms ?? 15000) / 1000),
    maxInFlight: String(w?.max_in_flight ?? DEFAULT_MAX_IN_FLIGHT),
    rateLimit: String(w?.rate_limit_per_second ?? 0),
    enabled: w?.enabled ?? true,
    selfHeal: w?.self_heal ?? true,
    ordering: w?.ordering ?? 'none',
  };
}

// The body the API takes, with the order of the header and filter rows it holds (for mapping
// errors back). A saved password or token left empty is omitted, and a credential header keeps
// the mask GET gave out: PATCH (and the Test of unsaved edits) keep the stored secret for both.
export function buildBody(
  s: FormState,
  saved?: Webhook,
): { body: WebhookInput; sentHeaders: number[]; sentFilters: number[] } {
  let auth: WebhookAuth = { type: 'none' };
  const stored = saved?.auth.type;
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
      filters: s.filters.map(toFilter),
      enabled: s.enabled,
      self_heal: s.selfHeal,
      ordering: s.ordering,
      timeout_ms: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 15000,
      max_in_flight: wholeNumber(s.maxInFlight),
      rate_limit_per_second: wholeNumber(s.rateLimit),
    },
    sentHeaders: headerRows.map((h) => h.key),
    sentFilters: s.filters.map((f) => f.key),
  };
}

// A row as the API takes it: no key; a value only where the row has one ("exists" has none).
function toFilter(row: KeyedFilter): Filter {
  const filter: Filter = { field: row.field.trim(), op: row.op };
  if (row.value !== undefined) filter.value = row.value;
  return filter;
}

// Checks the browser can make without the server; the server checks everything again.
export function localErrors(s: FormState, saved?: Webhook): FormErrors {
  const e: FormErrors = {};
  if (!s.name.trim()) e.name = 'Give the webhook a name.';
  if (!s.url.trim()) e.url = 'Enter the URL to call.';
  if (s.authRequired && s.authType === 'basic' && !s.username.trim())
    e['auth.username'] = 'Enter the username.';
  if (s.authRequired && s.authType === 'token' && !s.token && saved?.auth.type !== 'token')
    e['auth.token'] = 'Enter the token or API key.';
  if (s.headersOn) {
    for (const h of s.headers) {
      if (!h.name.trim() && h.value) e[`header.${h.key}.name`] = 'Enter the header name.';
    }
  }
  if (s.payloadOn) {
    const seen = new Set<string>();
    for (const p of s.payload) {
      if (!p.name.trim() && !p.value) continue;
      if (!p.name.trim()) e[`payload.${p.key}.name`] = 'Enter a key.';
      else if (seen.has(p.name.trim())) e[`payload.${p.key}.name`] = 'This key is already used.';
      else if (p.mode === 'property' && !p.value)
        e[`payload.${p.key}.value`] = 'Choose the property to send, or remove this row.';
      seen.add(p.name.trim());
    }
  }
  // Every filter row is sent: one without a field is stopped here, in the form's words.
  for (const f of s.filters) {
    if (!f.field.trim()) e[`filter.${f.key}.field`] = 'Choose the field to test, or remove this filter.';
  }
  const seconds = Number(s.timeoutSeconds.trim());
  if (
    s.timeoutSeconds.trim() === '' ||
    !Number.isFinite(seconds) ||
    seconds < TIMEOUT_MIN_SECONDS ||
    seconds > TIMEOUT_MAX_SECONDS
  )
    e.timeout_ms = TIMEOUT_MESSAGE;
  // Whole numbers only (the body needs a number); the range is the server's to check.
  if (Number.isNaN(wholeNumber(s.maxInFlight))) e.max_in_flight = IN_FLIGHT_MESSAGE;
  if (Number.isNaN(wholeNumber(s.rateLimit))) e.rate_limit_per_second = RATE_LIMIT_MESSAGE;
  return e;
}

// Maps an API field path onto the form's own keys.
export function formKeyFor(
  field: string | null,
  s: FormState,
  sentHeaders: number[],
  sentFilters: number[],
): string {
  if (!field) return '_form';
  let m = /^headers\[(\d+)\](?:\.(name|value))?$/.exec(field);
  if (m) return `header.${sentHeaders[Number(m[1])] ?? -1}.${m[2] ?? 'name'}`;
  m = /^filters\[(\d+)\](?:\.(field|op|value))?$/.exec(field);
  if (m) {
    const row = sentFilters[Number(m[1])];
    return row === undefined ? 'filters' : `filter.${row}.${m[2] ?? 'field'}`;
  }
  if (field === 'filters') return 'filters';
  m = /^custom_payload\.(.+)$/.exec(field);
  if (m) {
    const row = s.payload.find((r) => r.name.trim() === m![1]);
    return row ? `payload.${row.key}.value` : 'payload';
  }
  if (field === 'custom_payload') return 'payload';
  if (/^events/.test(field)) return 'events';
  if (field === 'auth' || field === 'auth.type') return 'auth';
  if (field.startsWith('auth.')) return field;
  if (
    [
      'name',
      'url',
      'method',
      'timeout_ms',
      'max_in_flight',
      'rate_limit_per_second',
      'enabled',
      'self_heal',
      'ordering',
    ].includes(field)
  )
    return field;
  return '_form';
}

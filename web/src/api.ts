// The management API on the same origin, with the API key the user signed in with.

const KEY_STORAGE = 'hookline.apiKey';
// Why this browser was signed out (the server's 401 message), for the sign-in page to say.
const REASON_STORAGE = 'hookline.signedOutBecause';

export function storedKey(): string | null {
  try {
    return window.localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

// Signs in with `key`, or out with null; `reason` says why a key stopped working (kept for the
// sign-in page until the next sign-in or sign-out).
export function storeKey(key: string | null, reason?: string) {
  try {
    if (key) window.localStorage.setItem(KEY_STORAGE, key);
    else window.localStorage.removeItem(KEY_STORAGE);
    if (!key && reason) window.sessionStorage.setItem(REASON_STORAGE, reason);
    else window.sessionStorage.removeItem(REASON_STORAGE);
  } catch {
    /* storage unavailable: the key lives only in memory */
  }
  window.dispatchEvent(new Event('hookline:auth'));
}

export function signedOutReason(): string | null {
  try {
    return window.sessionStorage.getItem(REASON_STORAGE);
  } catch {
    return null;
  }
}

export class ApiError extends Error {
  status: number;
  code: string;
  field: string | null;
  constructor(status: number, code: string, message: string, field: string | null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export type Query = Record<string, string | number | undefined | null>;

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  { key, query }: { key?: string; query?: Query } = {},
): Promise<T> {
  const apiKey = key ?? storedKey();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
    }
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Hookline server.', null);
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string; field?: string | null } })?.error;
    const error = new ApiError(
      res.status,
      err?.code ?? 'http_' + res.status,
      err?.message ?? `The server answered ${res.status}.`,
      err?.field ?? null,
    );
    // A key that stopped working (revoked, expired) signs the user out, saying why; but not
    // while signing in, nor for an answer to a key this browser no longer uses.
    if (res.status === 401 && key === undefined && apiKey && storedKey() === apiKey) {
      storeKey(null, error.message);
    }
    throw error;
  }
  return parsed as T;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

// Every page of a list (bounded: at most `max` items).
export async function listAll<T>(path: string, max = 1000, query: Query = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>('GET', path, undefined, {
      query: { ...query, limit: 250, cursor },
    });
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

// ---- shapes -------------------------------------------------------------------------------

export type WebhookAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password?: string }
  | { type: 'token'; token?: string; header?: string; prefix?: string };

// A test on an event or its contact, as journey triggers and webhook subscriptions use them:
// `field` starts with event_details., event. or contact.; no value for "exists".
export interface Filter {
  field: string;
  op: string;
  value?: unknown;
}

export interface WebhookHeader {
  name: string;
  value: string;
}

// "none": deliveries go out in parallel; "per_contact": one contact's go out one at a time, in the
// order their events were accepted (a retried one holds back that contact's later ones).
export type WebhookOrdering = 'none' | 'per_contact';

export interface Webhook {
  id: string;
  name: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  auth: WebhookAuth;
  headers: WebhookHeader[];
  custom_payload: Record<string, unknown> | null;
  events: string[];
  filters: Filter[]; // a subscribed event is sent only when all hold (none: every one)
  enabled: boolean;
  // Once Hookline disabled it itself, probe it and enable it again when it answers 200.
  self_heal: boolean;
  timeout_ms: number;
  max_in_flight: number; // calls to its URL at once (1-100); more wait
  rate_limit_per_second: number | null; // null (0 when sent): no limit
  ordering: WebhookOrdering;
  secret: string; // masked ("whsec_****abcd") except in the answer to a create
  previous_secret_expires_at?: number | null; // after a rotation: the old secret signs until then
  breaker?: WebhookBreaker; // read only
  // Read only: set when Hookline disabled it itself ("gone": the receiver answered 410 Gone;
  // "failing": every try failed for the server's --disable-failing-after, 5 days by default).
  disabled_reason?: 'gone' | 'failing' | null;
  disabled_at?: number | null;
  healed_at?: number | null; // read only: when self-healing last enabled it again
  created_at: number;
  updated_at: number;
}

// The circuit breaker that backs off a webhook that keeps failing: open holds its calls back until
// `open_until`, half_open lets one call through to see whether the receiver is back. `opened_at`:
// when it opened (a failed probe that reopens it keeps it: the receiver has failed since then);
// null when closed, missing from an older server. Each node keeps its own: the answering node's.
export interface WebhookBreaker {
  state: 'closed' | 'open' | 'half_open';
  consecutive_failures: number;
  open_until: number | null;
  opened_at?: number | null;
}

// POST /v1/webhooks/{id}/rotate-secret: the new secret in full, the only time.
export interface RotatedSecret {
  secret: string;
  previous_secret_expires_at: number;
}

export type WebhookInput = Omit<
  Webhook,
  | 'id'
  | 'secret'
  | 'previous_secret_expires_at'
  | 'breaker'
  | 'disabled_reason'
  | 'disabled_at'
  | 'healed_at'
  | 'created_at'
  | 'updated_at'
  | 'rate_limit_per_second'
> & { rate_limit_per_second: number };

export interface TestReport {
  success: boolean;
  status: number | null;
  duration_ms: number;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response: {
    status: number;
    headers: Record<string, string>;
    body: string;
    body_truncated?: boolean;
  } | null;
  error: { code: string; message: string } | null;
  warnings: string[];
  // Whether the sample would make a delivery: null for a webhook without filters (missing from
  // an older server). The call is sent either way.
  filters?: { passed: boolean; failing: Filter[] } | null;
}

// The catalog's view of an event name the workspace has received (GET /v1/event-types): when it
// was first and last seen (last_seen_at precise to an hour), the keys seen in its details (dotted
// for nested objects), and the details of a recent event (null when too large to keep, or when
// the contact it came from was deleted).
export interface EventType {
  name: string;
  category: 'system' | 'custom';
  group: string; // Contact, List, Email, Form or Custom
  first_seen_at: number;
  last_seen_at: number;
  example: Record<string, unknown> | null;
  keys: string[];
}

// What a webhook test is made with (the `sample` of POST /v1/webhooks/test and /{id}/test): an
// event name (its details: the catalog's example unless given) and a stored contact.
export interface TestSample {
  event?: { event: string; event_details?: Record<string, unknown> };
  contact_id?: string;
}

export interface Contact {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  mobile: string;
  properties: Record<string, unknown>;
  created_at: number;
  updated_at: number;
}

// A contact's way through a journey (GET /v1/contacts/{id}/journeys): the block it is at and,
// while a wait holds it, when it goes on; the journey's version it entered on.
export interface Enrolment {
  id: string;
  journey_id: string;
  journey_version?: number; // the version the contact entered on, and finishes on
  contact_id: string;
  block_id: string;
  status: 'waiting' | 'completed' | 'exited';
  wake_at: number | null;
  created_at: number;
  updated_at: number;
}

// PATCH /v1/contacts/{id}: fields left out stay; a property set to null is removed.
export interface ContactPatch {
  email?: string;
  first_name?: string;
  last_name?: string;
  mobile?: string;
  properties?: Record<string, unknown>;
}

export interface ContactList {
  id: string;
  name: string;
  member_count: number;
  created_at: number;
}

// "queued": a per_contact webhook's delivery waiting for an earlier one to the same contact to end
// (not tried yet; it becomes pending when its turn comes).
export type DeliveryStatus = 'queued' | 'pending' | 'retrying' | 'succeeded' | 'dead';

export interface Delivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number;
  created_at: number;
  updated_at: number;
}

// A contact's timeline (GET /v1/contacts/{id}/activity): its events and the deliveries they
// caused, newest first. `complete_since`: every item newer than that is on this page or an
// earlier one (null once the whole log was read).
export interface TimelineEvent {
  id: string;
  event: string;
  event_time: number;
  received_at: number;
  event_details: Record<string, unknown>;
}
export type ActivityItem =
  | { type: 'event'; at: number; event: TimelineEvent }
  | { type: 'delivery'; at: number; delivery: Delivery };
export interface ActivityPage extends Page<ActivityItem> {
  complete_since: number | null;
}

export interface Attempt {
  number: number;
  started_at: number;
  duration_ms: number;
  request: { method: string; url: string; headers: Record<string, string> | unknown };
  response: { status: number; headers: Record<string, string> | unknown; body: string } | null;
  error: { code: string; message: string } | null;
}

export interface DeliveryDetail extends Delivery {
  payload?: unknown;
  body?: string;
  attempts: Attempt[];
}

export type BlockType =
  | 'trigger'
  | 'condition'
  | 'split'
  | 'delay'
  | 'webhook'
  | 'add_to_list'
  | 'remove_from_list'
  | 'update_contact'
  | 'exit'
  | 'goal' // stands alone, unwired: its event takes a waiting contact out, counted as converted
  | 'wait_until'; // until an event (outputs happened / timed_out) or a time of day (one output)

export interface JourneyBlock {
  id: string;
  type: BlockType;
  position: { x: number; y: number };
  config: Record<string, unknown>;
}

export interface JourneyEdge {
  source: string;
  target: string;
  branch?: string; // a condition's 'yes' or 'no'; a split's branch name; a wait_until's output
}

export interface BlockStats {
  entered: number;
  waiting: number;
  left: number;
  ended?: number; // runs that finished at this block (a goal's: the runs it converted, as entered)
  yes?: number; // conditions only: runs that took the yes edge
  no?: number; // and the no edge
  branches?: Record<string, number>; // splits only: runs per branch name
  happened?: number; // wait_until for an event only: runs that left because the event came
  timed_out?: number; // and runs that left when its timeout ran out
  succeeded?: number; // webhooks that wait for the answer only: runs that left by succeeded
  failed?: number; // and by failed
  unmapped?: number; // of the succeeded, those whose answer did not map whole
}

// The whole journey: runs started at the trigger, contacts waiting at a delay now, runs that
// reached a block with no edge out (completed) or an Exit block (exited), runs its goal's event
// ended (converted; not counted as completed; absent from servers older than the Goal block).
export interface JourneyTotals {
  entered: number;
  waiting: number;
  completed: number;
  exited: number;
  converted?: number;
}

export interface Journey {
  id: string;
  name: string;
  status: 'draft' | 'active' | 'paused';
  reentry: 'every_time' | 'once';
  // The version new contacts enter (from 1). Editing the graph of an active or paused journey
  // makes the next one; contacts already inside finish on the version they entered.
  version?: number;
  blocks: JourneyBlock[];
  edges: JourneyEdge[];
  stats?: Record<string, BlockStats>; // journey-wide: all its versions together
  block_stats?: Record<string, BlockStats>;
  totals?: JourneyTotals;
  created_at: number;
  updated_at: number;
}

// One of a journey's versions (GET /v1/journeys/{id}/versions, newest first): when it was saved
// and how many contacts wait in the journey on it now.
export interface JourneyVersionItem {
  version: number;
  current: boolean; // the one new contacts enter
  created_at: number;
  waiting: number;
}

// A version's graph as it was saved (GET /v1/journeys/{id}/versions/{version}), with each of its
// blocks' counts on that version (runs made on it, contacts waiting on it now) and their totals.
export interface JourneyVersion extends Pick<Journey, 'id' | 'name' | 'status' | 'reentry'> {
  version: number;
  current: boolean;
  created_at: number;
  blocks: JourneyBlock[];
  edges: JourneyEdge[];
  stats?: Record<string, BlockStats>;
  totals?: JourneyTotals;
}

export async function journeyVersions(id: string): Promise<JourneyVersionItem[]> {
  return (await api<{ data: JourneyVersionItem[] }>('GET', `/v1/journeys/${id}/versions`)).data;
}

export function journeyVersion(id: string, version: number): Promise<JourneyVersion> {
  return api<JourneyVersion>('GET', `/v1/journeys/${id}/versions/${version}`);
}

export type JourneyInput = Pick<Journey, 'name' | 'reentry' | 'blocks' | 'edges'>;

export function journeyStats(j: Journey): Record<string, BlockStats> {
  return j.stats ?? j.block_stats ?? {};
}

// GET /v1/info: what the UI tells users about this server.
export interface ServerInfo {
  retention: string; // as set with --retention, e.g. "30d"
  retention_ms: number;
}

// ---- keys, workspaces, audit: in adminTypes.ts ---------------------------------------------
export * from './adminTypes';

// Data fetching for the pages: generic loaders (one value, a paged list, filters kept in the URL)
// and the resources several pages read.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  ApiError,
  journeyVersion,
  listAll,
  storedKey,
  type Contact,
  type ContactList,
  type CurrentKey,
  type Delivery,
  type Enrolment,
  type Journey,
  type JourneyBlock,
  type Page,
  type Query,
  type ServerInfo,
  type Webhook,
} from './api';
import { runningJourneysUsing } from './journey/references';

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', String(e), null);
}

// Loads something once (and again on reload()); keeps the last value while reloading.
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine === seq.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(asApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, deps); // the caller's deps say when `load` changes
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

// A list read a page at a time: the first page now and whenever `query` changes (an answer to an
// older query is dropped), the next ones on loadMore(). `rows` is null until the first answer, and
// always belongs to the current query: a failed first page of a new query shows no rows, while a
// failed refresh of the same query keeps the rows it had. `errorField`: the request's field the
// server refused, if it named one (a search too long: "q").
export function usePagedList<T>(path: string, query: Query) {
  const [rows, setRows] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  // More than the first page is shown: a reload would drop what the user asked for.
  const [extraPages, setExtraPages] = useState(false);
  const seq = useRef(0);
  const loadedKey = useRef<string | null>(null);
  const key = JSON.stringify([path, query]);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const page = await api<Page<T>>('GET', path, undefined, { query });
      if (mine !== seq.current) return;
      loadedKey.current = key;
      setRows(page.data);
      setCursor(page.next_cursor);
      setExtraPages(false);
      setError(null);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(asApiError(e));
      if (loadedKey.current !== key) {
        loadedKey.current = key;
        setRows([]);
        setCursor(null);
      } else {
        setRows((r) => r ?? []);
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [key]); // `key` stands for path and query

  useEffect(() => {
    void reload();
  }, [reload]);

  const loadMore = async () => {
    if (!cursor) return;
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const page = await api<Page<T>>('GET', path, undefined, { query: { ...query, cursor } });
      if (mine !== seq.current) return;
      setRows((r) => [...(r ?? []), ...page.data]);
      setCursor(page.next_cursor);
      setExtraPages(true);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    rows,
    cursor,
    error: error?.message ?? null,
    errorField: error?.field ?? null,
    // Until the answer to the current query (the rows shown may be the last query's).
    loading: loading || loadedKey.current !== key,
    loadingMore,
    extraPages,
    reload,
    loadMore,
  };
}

// Filters kept in the page's address (?status=dead&...), so that a reload, Back or a shared link
// shows the same rows. `empty` names every filter with its unset value (''). The address changed
// from elsewhere (the navigation's link to the same page, without filters) sets them again.
export function useUrlFilters<F extends Record<string, string>>(pagePath: string, empty: F) {
  const fromAddress = (): F => {
    const q = new URLSearchParams(window.location.search);
    const read = { ...empty };
    for (const k of Object.keys(empty) as (keyof F & string)[]) {
      read[k] = (q.get(k) ?? '') as F[typeof k];
    }
    return read;
  };
  const [filters, setFilters] = useState<F>(fromAddress);
  useEffect(() => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    const search = q.toString();
    window.history.replaceState(null, '', `${pagePath}${search ? `?${search}` : ''}`);
  }, [filters, pagePath]);
  const address = window.location.search;
  useEffect(() => {
    const read = fromAddress();
    setFilters((f) => (Object.keys(read).some((k) => read[k] !== f[k]) ? read : f));
  }, [address]); // read again only when the address moved
  const set = (patch: Partial<F>) => setFilters((f) => ({ ...f, ...patch }));
  const clear = () => setFilters(empty);
  const filtered = Object.values(filters).some(Boolean);
  return { filters, set, clear, filtered };
}

// What is typed in a search box, handed to `settle` once typing pauses for `delay` ms (each key
// would otherwise be a request). A new `value` from elsewhere (the address changed) replaces
// what is typed; settleNow() hands text on at once (Enter, Clear).
export function useDebouncedText(value: string, settle: (text: string) => void, delay = 250) {
  const [text, setText] = useState(value);
  const handed = useRef(value);
  const settleRef = useRef(settle);
  settleRef.current = settle;
  useEffect(() => {
    if (value === handed.current) return;
    handed.current = value;
    setText(value);
  }, [value]);
  useEffect(() => {
    if (text === handed.current) return;
    const id = window.setTimeout(() => {
      handed.current = text;
      settleRef.current(text);
    }, delay);
    return () => window.clearTimeout(id);
  }, [text, delay]);
  const settleNow = (next: string) => {
    setText(next);
    handed.current = next;
    settleRef.current(next);
  };
  return { text, setText, settleNow };
}

export function useInterval(callback: () => void, ms: number | null) {
  const saved = useRef(callback);
  useEffect(() => {
    saved.current = callback;
  });
  useEffect(() => {
    if (ms === null) return;
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, ms);
    return () => window.clearInterval(id);
  }, [ms]);
}

// An action the user starts (delete, revoke, recover): busy while it runs, and what went wrong in
// the server's words. run() resolves to the action's result, or undefined when it failed.
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(asApiError(e).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

// ---- resources ------------------------------------------------------------------------------

// GET /v1/me, once per key: the sidebar and the Settings page both ask.
let currentKeyCache: { key: string | null; value: Promise<CurrentKey> } | null = null;

export function loadCurrentKey(): Promise<CurrentKey> {
  const key = storedKey();
  if (!currentKeyCache || currentKeyCache.key !== key) {
    const value = api<CurrentKey>('GET', '/v1/me');
    currentKeyCache = { key, value };
    value.catch(() => {
      if (currentKeyCache?.value === value) currentKeyCache = null; // ask again next time
    });
  }
  return currentKeyCache.value;
}

// What signing in learnt about the key, so that the first page need not ask again.
export function rememberCurrentKey(key: string, me: CurrentKey) {
  currentKeyCache = { key, value: Promise.resolve(me) };
}

export function useCurrentKey() {
  const key = storedKey();
  return useLoad(loadCurrentKey, [key]);
}

// Every webhook of the workspace (for filters and pickers; a failure leaves the list empty).
export function useWebhooks() {
  return useLoad(() => listAll<Webhook>('/v1/webhooks'));
}

// A webhook's last delivery (null: none yet). Success rates are the server's (useStats in stats.ts),
// not computed here from a page of deliveries.
export interface WebhookHealth {
  last: Delivery | null;
}

export function useWebhookHealth(webhookId: string): WebhookHealth | null {
  const [health, setHealth] = useState<WebhookHealth | null>(null);
  useEffect(() => {
    let live = true;
    api<Page<Delivery>>('GET', '/v1/deliveries', undefined, { query: { webhook_id: webhookId, limit: 1 } })
      .then((page) => {
        if (live) setHealth({ last: page.data[0] ?? null });
      })
      .catch(() => live && setHealth({ last: null }));
    return () => {
      live = false;
    };
  }, [webhookId]);
  return health;
}

export function useJourneys() {
  return useLoad(() => listAll<Journey>('/v1/journeys'));
}

// `version`: a change made elsewhere on the page (contacts added to a list) counts again.
export function useLists(version = 0) {
  return useLoad(() => listAll<ContactList>('/v1/lists'), [version]);
}

// GET /v1/info: how long the log is kept; without it (an older server, an error) null.
export function useServerInfo(): ServerInfo | null {
  const [info, setInfo] = useState<ServerInfo | null>(null);
  useEffect(() => {
    api<ServerInfo>('GET', '/v1/info').then(setInfo, () => {});
  }, []);
  return info;
}

// One webhook; without an id (a new one) null.
export function useWebhook(id?: string) {
  return useLoad(() => (id ? api<Webhook>('GET', `/v1/webhooks/${id}`) : Promise.resolve(null)), [id]);
}

export function useList(id: string) {
  return useLoad(() => api<ContactList>('GET', `/v1/lists/${id}`), [id]);
}

export function useContact(id: string) {
  return useLoad(() => api<Contact>('GET', `/v1/contacts/${encodeURIComponent(id)}`), [id]);
}

// The journeys a contact is in or went through, newest first, each with its journey (null when
// the journey was deleted since) and the blocks of the version it is on (the journey's own unless
// it waits on an earlier version; null with no journey).
export interface ContactJourney {
  enrolment: Enrolment;
  journey: Journey | null;
  blocks: JourneyBlock[] | null;
}

export function useContactJourneys(contactId: string) {
  return useLoad(async (): Promise<ContactJourney[]> => {
    const [enrolments, journeys] = await Promise.all([
      listAll<Enrolment>(`/v1/contacts/${encodeURIComponent(contactId)}/journeys`),
      listAll<Journey>('/v1/journeys'),
    ]);
    const byId = new Map(journeys.map((j) => [j.id, j]));
    // Each earlier version read once, however many of the contact's enrolments wait on it; one
    // that cannot be read leaves the current version's blocks to name the block.
    const earlier = new Map<string, Promise<JourneyBlock[] | null>>();
    const blocksOf = (journey: Journey, enrolment: Enrolment) => {
      const version = enrolment.journey_version;
      if (enrolment.status !== 'waiting' || version === undefined || version === journey.version)
        return Promise.resolve(journey.blocks);
      const key = `${journey.id}/${version}`;
      if (!earlier.has(key))
        earlier.set(
          key,
          journeyVersion(journey.id, version).then(
            (v) => v.blocks,
            () => journey.blocks,
          ),
        );
      return earlier.get(key)!;
    };
    const rows = await Promise.all(
      enrolments.map(async (enrolment) => {
        const journey = byId.get(enrolment.journey_id) ?? null;
        return { enrolment, journey, blocks: journey ? await blocksOf(journey, enrolment) : null };
      }),
    );
    return rows.sort((a, b) => b.enrolment.created_at - a.enrolment.created_at);
  }, [contactId]);
}

// Deletes a webhook or a list. The server refuses (409) while running journeys use it: the
// refusal then names them, read from the journeys themselves (its message names them only as
// text). run() resolves true once deleted.
export interface InUse {
  journeys: Journey[];
  message: string;
}

export function useDeleteInUse(path: string, resource: { webhook: string } | { list: string }) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<InUse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', path);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const journeys = await listAll<Journey>('/v1/journeys').catch(() => []);
        setRefusal({ journeys: runningJourneysUsing(journeys, resource), message: e.message });
      } else {
        setError(asApiError(e).message);
      }
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, refusal, error, run };
}

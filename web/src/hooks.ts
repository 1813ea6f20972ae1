import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, storedKey, type Contact, type CurrentKey, type Page } from './api';

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
      if (mine === seq.current) {
        setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e), null));
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, deps); // the caller's deps say when `load` changes
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

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

let propertyCache: Promise<string[]> | null = null;

// Property keys of stored contacts, for the placeholder pickers.
export function useContactProperties(): string[] {
  const [props, setProps] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    propertyCache ??= api<Page<Contact>>('GET', '/v1/contacts', undefined, { query: { limit: 100 } })
      .then((page) => {
        const keys = new Set<string>();
        for (const c of page.data) for (const k of Object.keys(c.properties ?? {})) keys.add(k);
        return [...keys].sort();
      })
      .catch(() => {
        propertyCache = null;
        return [];
      });
    void propertyCache.then((p) => live && setProps(p));
    return () => {
      live = false;
    };
  }, []);
  return props;
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

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Contact, type Page } from './api';

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

// What the event catalog knows (GET /v1/event-types, GET /v1/contact-properties), for the catalog
// page and the webhook form's placeholder pickers and Test, and the contacts a Test may use.
import { useEffect, useState } from 'react';
import { api, storedKey, type Contact, type EventType, type Page } from './api';
import { useLoad } from './hooks';

// A loader whose answer is shared for `ms` (per signed-in key): several pickers on one form ask
// once. `fresh` asks the server again.
function sharedLoad<T>(load: () => Promise<T>, ms = 30_000): (fresh?: boolean) => Promise<T> {
  let cache: { at: number; key: string | null; value: Promise<T> } | null = null;
  return (fresh = false) => {
    const key = storedKey();
    if (fresh || !cache || cache.key !== key || Date.now() - cache.at > ms) {
      const entry = { at: Date.now(), key, value: load() };
      cache = entry;
      entry.value.catch(() => {
        if (cache === entry) cache = null; // ask again next time
      });
    }
    return cache.value;
  };
}

// What a shared loader answered, [] until then (and on failure: pickers do without).
function useShared<T>(load: () => Promise<T[]>): T[] {
  const [value, setValue] = useState<T[]>([]);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && setValue(v),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return value;
}

// The catalog (GET /v1/event-types): event names the workspace received, their keys and examples.
export const loadEventTypes = sharedLoad(() =>
  api<{ data: EventType[] }>('GET', '/v1/event-types').then((r) => r.data),
);
const loadContactProperties = sharedLoad(() =>
  api<{ data: string[] }>('GET', '/v1/contact-properties').then((r) => r.data),
);

// The catalog page: asks each time it opens, and again on reload().
export function useEventCatalog() {
  return useLoad(() => loadEventTypes(true));
}

// For the placeholder pickers and the Test's event choice.
export function useEventTypes(): EventType[] {
  return useShared(loadEventTypes);
}

// Property keys seen on stored contacts (dotted for nested objects), for the placeholder pickers.
export function useContactProperties(): string[] {
  return useShared(loadContactProperties);
}

// Contacts matching a search (GET /v1/contacts?q=), a few; none for an empty search.
export function useContactMatches(q: string) {
  const text = q.trim();
  return useLoad(
    () =>
      text
        ? api<Page<Contact>>('GET', '/v1/contacts', undefined, { query: { q: text, limit: 8 } }).then(
            (page) => page.data,
          )
        : Promise.resolve([] as Contact[]),
    [text],
  );
}

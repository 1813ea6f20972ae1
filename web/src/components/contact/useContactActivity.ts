// A contact's timeline, read a page at a time. The server reads its logs backwards a bounded
// number of rows per request (nothing is indexed by contact), so a page can come back short or
// empty with more to read: pages are fetched on their own until enough items are shown or about
// a second and a half has gone (a request reads 5,000 rows of each log in some 25 ms: a second
// covers a few hundred thousand events), and the user asks for more after that.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type ActivityItem, type ActivityPage } from '../../api';

const ENOUGH_ITEMS = 20;
const MS_PER_ASK = 1500;
const MAX_REQUESTS_PER_ASK = 100;

export interface ContactActivity {
  items: ActivityItem[];
  // Every item newer than this is shown; null once everything is shown.
  completeSince: number | null;
  more: boolean;
  loading: boolean;
  error: string | null;
  loadOlder: () => void;
}

export function useContactActivity(contactId: string): ContactActivity {
  const [items, setItems] = useState<ActivityItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [completeSince, setCompleteSince] = useState<number | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const read = useCallback(
    async (from: string | null, kept: ActivityItem[]) => {
      const mine = ++generation.current;
      const path = `/v1/contacts/${encodeURIComponent(contactId)}/activity`;
      setLoading(true);
      setError(null);
      let shown = kept;
      let next = from;
      try {
        const deadline = Date.now() + MS_PER_ASK;
        for (let request = 0; request < MAX_REQUESTS_PER_ASK && Date.now() < deadline; ++request) {
          const page = await api<ActivityPage>('GET', path, undefined, {
            query: next ? { cursor: next } : {},
          });
          if (mine !== generation.current) return;
          shown = [...shown, ...page.data];
          next = page.next_cursor;
          setItems(shown);
          setCursor(next);
          setMore(next !== null);
          setCompleteSince(page.complete_since);
          if (next === null || shown.length - kept.length >= ENOUGH_ITEMS) break;
        }
      } catch (e) {
        if (mine === generation.current) setError(e instanceof ApiError ? e.message : String(e));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [contactId],
  );

  useEffect(() => {
    setItems([]);
    void read(null, []);
  }, [read]);

  return {
    items,
    completeSince,
    more,
    loading,
    error,
    loadOlder: () => void read(cursor, items),
  };
}

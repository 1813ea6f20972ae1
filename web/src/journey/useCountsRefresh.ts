// A saved journey that has left draft is read again every few seconds: its counts move while it
// runs. A read that fails is reported (until one succeeds) and the counts shown stay the last
// ones read. An answer never undoes the builder's own work: with unsaved changes only its counts
// are taken (`edited`), and one that was on its way while the builder saved, activated or paused
// the journey (changed()) is older than what the builder shows, so it is dropped.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, ApiError, type Journey } from '../api';
import { sentence } from '../format';
import { useInterval } from '../hooks';

export const REFRESH_MS = 4000;

export function useCountsRefresh({
  id,
  running,
  dirty,
  onJourney,
}: {
  id?: string;
  running: boolean; // active or paused: counts can move
  dirty: boolean;
  onJourney: (j: Journey, how: { edited: boolean }) => void;
}) {
  // What went wrong with the last read (the server's words, a 404 explained); null once one succeeds.
  const [failure, setFailure] = useState<string | null>(null);
  // Read when an answer arrives, not when the request left; up to date from each commit on.
  const dirtyNow = useRef(dirty);
  const apply = useRef(onJourney);
  useLayoutEffect(() => {
    dirtyNow.current = dirty;
    apply.current = onJourney;
  });
  const version = useRef(0);
  const inFlight = useRef(false);

  useInterval(
    () => {
      // A slow server gets one request at a time, not one more every tick.
      if (!id || inFlight.current) return;
      const asked = version.current;
      inFlight.current = true;
      api<Journey>('GET', `/v1/journeys/${id}`)
        .then((j) => {
          if (asked !== version.current) return;
          setFailure(null);
          apply.current(j, { edited: dirtyNow.current });
        })
        .catch((e: unknown) => {
          if (asked !== version.current) return;
          if (e instanceof ApiError && e.status === 404) {
            setFailure('The server no longer has this journey: it may have been deleted.');
          } else {
            setFailure(sentence(e instanceof Error ? e.message : String(e)));
          }
        })
        .finally(() => {
          inFlight.current = false;
        });
    },
    id && running ? REFRESH_MS : null,
  );

  // Gone from the page: an answer still on its way changes nothing.
  useEffect(
    () => () => {
      version.current += 1;
    },
    [],
  );

  // The builder changed the journey itself (call before and after): answers on their way are older.
  const changed = useCallback(() => {
    version.current += 1;
  }, []);

  return { failure, changed };
}

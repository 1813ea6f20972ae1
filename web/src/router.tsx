// A small history router: the server answers every page path with index.html. Pages with unsaved
// changes register a leave guard; leaving through the router (links, navigate, Back) then asks
// first, in the app (LeaveConfirm), and closing or reloading the tab gets the browser's warning.
import { useEffect, useRef, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

// A guard answers why leaving would lose something ("Your changes to this webhook are not
// saved."), or null when nothing would be lost.
type LeaveGuard = () => string | null;
const guards = new Set<LeaveGuard>();

export interface LeaveRequest {
  reason: string;
  proceed: () => void;
}
let leaveListener: ((request: LeaveRequest | null) => void) | null = null;

function leaveReason(): string | null {
  for (const guard of guards) {
    const reason = guard();
    if (reason) return reason;
  }
  return null;
}

// Runs `action` at once when no page holds unsaved changes, else once the user agrees to discard
// them. Without a LeaveConfirm mounted (the sign-in page), the action runs.
export function requestLeave(action: () => void) {
  const reason = leaveReason();
  if (!reason || !leaveListener) {
    action();
    return;
  }
  leaveListener({
    reason,
    proceed: () => {
      leaveListener?.(null);
      action();
    },
  });
}

// The component that asks (LeaveConfirm) subscribes here; one at a time.
export function onLeaveRequest(listener: ((request: LeaveRequest | null) => void) | null) {
  leaveListener = listener;
}

let currentPath = window.location.pathname + window.location.search;

function go(to: string, replace: boolean) {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  currentPath = to;
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

// `force` skips the leave guards: for moves right after a save or a delete, when what the guard
// protects is already stored (or gone) though the page has not re-rendered yet.
export function navigate(to: string, { replace = false, force = false } = {}) {
  if (to === window.location.pathname + window.location.search) return;
  if (force) go(to, replace);
  else requestLeave(() => go(to, replace));
}

// Back and Forward: the browser has already moved, so a guarded page puts its own address back and
// asks; agreeing goes where the user was heading.
window.addEventListener('popstate', () => {
  const target = window.location.pathname + window.location.search;
  if (target === currentPath) return;
  if (leaveReason() && leaveListener) {
    window.history.pushState(null, '', currentPath);
    requestLeave(() => go(target, false));
    return;
  }
  currentPath = target;
});

export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((t) => t + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return {
    path: window.location.pathname,
    search: new URLSearchParams(window.location.search),
  };
}

// While `reason` is set (the page holds unsaved changes), leaving through the router asks first
// and the browser warns before closing or reloading the tab.
export function useLeaveGuard(reason: string | null) {
  const current = useRef(reason);
  current.current = reason;
  useEffect(() => {
    const guard: LeaveGuard = () => current.current;
    guards.add(guard);
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (!current.current) return;
      e.preventDefault();
      e.returnValue = ''; // older browsers show their warning only with returnValue set
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      guards.delete(guard);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);
}

// "/webhooks/:id" against "/webhooks/abc" gives {id: "abc"}, or null.
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return (
    <a
      href={to}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
          return;
        }
        e.preventDefault();
        navigate(to);
      }}
      {...rest}
    />
  );
}

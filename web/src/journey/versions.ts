// A journey's versions in words: how the Versions menu names each one, what the banner over an
// older one says, and the toast after a save that made a version. Editing the graph of an active
// or paused journey makes a version; contacts already inside finish on the version they entered.
import type { JourneyVersionItem } from '../api';
import { formatCount } from '../stats';

function contacts(n: number): string {
  return `${formatCount(n)} contact${n === 1 ? '' : 's'}`;
}

// "Version 3 · current", "Version 2 · 4 contacts finishing", "Version 1 · no one inside".
export function versionLabel(item: JourneyVersionItem): string {
  if (item.current) return `Version ${item.version} · current`;
  const inside = item.waiting ? `${contacts(item.waiting)} finishing` : 'no one inside';
  return `Version ${item.version} · ${inside}`;
}

export function viewingText(version: number, of: number): string {
  return `Viewing version ${version} of ${of} (read only). Contacts who entered on it finish on it.`;
}

// How many runs started on an older version (a contact that re-entered counts again).
export function enteredText(entered: number): string {
  if (!entered) return 'No one entered on it.';
  return `${contacts(entered)} entered on it.`;
}

// How many wait in the journey on an older version now.
export function waitingText(waiting: number): string {
  if (!waiting) return 'No one is waiting on it now.';
  return `${contacts(waiting)} ${waiting === 1 ? 'is' : 'are'} waiting on it now.`;
}

// Whether a save made a version (`before`: the version until then; null: none, a new journey).
export function madeVersion(before: number | null, after: number | undefined): after is number {
  return before !== null && after !== undefined && after > before;
}

// The toast after a save: the version it made, if it made one.
export function savedText(before: number | null, after: number | undefined): string {
  if (!madeVersion(before, after)) return 'Journey saved';
  return (
    `Journey saved as version ${after}. ` +
    'Contacts already in the journey finish on the version they entered.'
  );
}

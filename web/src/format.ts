// How the UI writes times, durations, bodies and the API's messages for people.

export function prettyBody(body: string): string {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

// The API's messages are lower-case clauses ("this API key was revoked"); alone on a page they
// read better as a sentence.
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function formatRelative(ms: number | null | undefined): string {
  if (!ms) return '—';
  const diff = Date.now() - ms;
  const abs = Math.abs(diff);
  const future = diff < 0;
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  let text: string;
  if (abs < 45_000) return future ? 'in a few seconds' : 'just now';
  if (abs < 3_600_000) text = unit(Math.round(abs / 60_000), 'minute');
  else if (abs < 86_400_000) text = unit(Math.round(abs / 3_600_000), 'hour');
  else text = unit(Math.round(abs / 86_400_000), 'day');
  return future ? `in ${text}` : `${text} ago`;
}

// The time something began, for "since 10:42": the time of day alone when it is today, with the
// day before it otherwise ("3 Mar, 22:10").
export function formatSince(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === new Date(now).toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}

// How long it has been since `ms`, in short words: "under a minute", "12 min", "3 h 5 min",
// "2 days".
export function formatElapsed(ms: number, now = Date.now()): string {
  const minutes = Math.floor(Math.max(0, now - ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

// A server duration setting for people: "30d" -> "30 days", "90s" -> "90 seconds", in the unit
// it was given in; otherwise from milliseconds, in the largest unit that divides it.
export function formatDuration(text: string, ms: number): string {
  const names: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  const given = /^(\d+)([smhd])$/.exec(text.trim());
  if (given) return unit(Number(given[1]), names[given[2]]);
  const steps: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of steps) if (ms >= size && ms % size === 0) return unit(ms / size, name);
  return unit(Math.round(ms / 1000), 'second');
}

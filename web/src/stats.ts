// Delivery statistics as the server counts them (GET /v1/stats): the shapes, the hook that reads
// them, and how their numbers are written for people. Nothing here is computed from deliveries in
// the browser: the server's counts are the one source, so every page shows the same numbers.
import { api } from './api';
import { useLoad } from './hooks';

export type StatsWindow = '1h' | '24h' | '7d';
export const STATS_WINDOWS: StatsWindow[] = ['1h', '24h', '7d'];

export function isStatsWindow(value: string): value is StatsWindow {
  return (STATS_WINDOWS as string[]).includes(value);
}

// What the tries of deliveries came to in some span (Test calls are not counted). `failed` counts
// tries, `dead` the deliveries that ran out of tries. Rates and latencies are null without tries.
export interface StatsCounts {
  attempts: number;
  succeeded: number;
  failed: number;
  dead: number;
  success_rate: number | null; // succeeded / attempts, 0..1
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

export interface StatsPoint extends StatsCounts {
  at: number; // the step's start, ms since epoch
}

export interface WebhookStats extends StatsCounts {
  webhook_id: string;
  name: string | null; // null: the webhook was deleted since
}

export interface StatsReport {
  window: StatsWindow;
  from: number;
  until: number;
  step_ms: number;
  totals: StatsCounts;
  series: StatsPoint[]; // every step of the window, empty ones too
  webhooks?: WebhookStats[]; // the workspace's report: the webhooks with tries in the window
  webhook_id?: string; // one webhook's report
}

// GET /v1/stats for a window, the workspace's or one webhook's. Keeps the previous report while
// the next one loads (the caller compares `data.window` to know it is stale).
export function useStats(window: StatsWindow, webhookId?: string) {
  return useLoad(
    () =>
      api<StatsReport>('GET', '/v1/stats', undefined, {
        query: { window, webhook_id: webhookId },
      }),
    [window, webhookId],
  );
}

// ---- words and numbers -------------------------------------------------------------------------

// "in the last 24 hours": after "No deliveries", "Tries".
export function windowPhrase(window: StatsWindow): string {
  return { '1h': 'in the last hour', '24h': 'in the last 24 hours', '7d': 'in the last 7 days' }[window];
}

export function windowLabel(window: StatsWindow): string {
  return { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' }[window];
}

// How long one step of the window's charts is: "15 minutes".
export function stepPhrase(stepMs: number): string {
  if (stepMs % 3_600_000 === 0) return stepMs === 3_600_000 ? 'hour' : `${stepMs / 3_600_000} hours`;
  const minutes = Math.round(stepMs / 60_000);
  return minutes === 1 ? 'minute' : `${minutes} minutes`;
}

// Why a rate or a latency has no value.
export function noTriesReason(window: StatsWindow): string {
  return `No tries ${windowPhrase(window)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

// A share in percent with one decimal. Never rounds to a round number it is not: 0.9999 reads
// 99.9%, not 100.0%, and one success in ten thousand reads under 0.1%, not 0.0%.
export function formatRate(rate: number | null): string | null {
  if (rate === null || !Number.isFinite(rate)) return null;
  const percent = rate * 100;
  if (rate > 0 && percent < 0.05) return '<0.1%';
  if (rate < 1 && percent >= 99.95) return '99.9%';
  return `${percent.toFixed(1)}%`;
}

// A duration: "85 ms", "1.3 s", "42 s".
export function formatLatency(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

// A step's start for the charts' readouts and tables, in the browser's language: "2:15 PM" within
// the hour, "Mon, Dec 1, 2:00 PM" over a day or a week.
export function formatStep(at: number, window: StatsWindow): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  if (window === '1h') return time;
  const day = d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  return `${day}, ${time}`;
}

// Worst first: the lowest success rate, then the most dead deliveries, then the most tries;
// webhooks without tries in the window last, by name.
export function compareWorstFirst(
  a: { stats: StatsCounts | null; name: string },
  b: { stats: StatsCounts | null; name: string },
): number {
  const ra = a.stats?.success_rate ?? null;
  const rb = b.stats?.success_rate ?? null;
  if (ra === null || rb === null) {
    if (ra !== rb) return ra === null ? 1 : -1;
    return a.name.localeCompare(b.name);
  }
  if (ra !== rb) return ra - rb;
  const dead = (b.stats?.dead ?? 0) - (a.stats?.dead ?? 0);
  if (dead) return dead;
  const tries = (b.stats?.attempts ?? 0) - (a.stats?.attempts ?? 0);
  return tries || a.name.localeCompare(b.name);
}

// An event and its "Only if" filters (a trigger's, a goal's, a Wait until's) as the canvas reads
// them, and what is missing in them.
import { eventLabel, opLabel } from '../catalog';

export function valueText(v: unknown): string {
  return typeof v === 'string' ? `“${v}”` : JSON.stringify(v);
}

// "Email link clicked · campaign_name is “Sample”"; `unset` when no event is chosen yet.
export function eventSummary(config: Record<string, unknown>, unset = 'Choose an event'): string {
  const event = String(config.event ?? '');
  const filters = (config.filters as { field: string; op: string; value?: unknown }[]) ?? [];
  const base = event ? eventLabel(event) : unset;
  if (!filters.length) return base;
  const f = filters
    .map(
      (x) =>
        `${x.field.replace(/^event_details\./, '')} ${opLabel(x.op)}${x.op === 'exists' ? '' : ' ' + valueText(x.value)}`,
    )
    .join(', ');
  return `${base} · ${f}`;
}

// What is missing in the event and its filters; `unset` says it of the event.
export function eventProblem(config: Record<string, unknown>, unset: string): string | null {
  if (!config.event) return unset;
  for (const f of (config.filters as { field: string; op: string }[]) ?? []) {
    if (!f.field) return 'Every filter needs a field.';
  }
  return null;
}

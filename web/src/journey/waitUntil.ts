// The Wait until block. A contact waits at it until an event happens to it, giving up after a
// timeout (two outputs: the wires with branch "happened" and "timed_out"), or until the next time
// of day in a time zone (one output, as a Wait's). Its settings as the API takes them, how they
// read on the canvas and what is missing in them.
import { MAX_WAIT_DAYS } from '../messages';
import { durationMs, durationText } from './duration';
import { eventProblem, eventSummary } from './eventText';

export type UntilMode = 'event' | 'time';

// The outputs of a wait until an event: the handle a wire leaves by is the API's branch.
export const UNTIL_OUTCOMES = [
  { branch: 'happened', name: 'Happened', label: 'If the event happens, go to' },
  { branch: 'timed_out', name: 'Timed out', label: 'If it times out, go to' },
] as const;

// What the contacts leaving by each output are, shown over it.
export const UNTIL_TITLES: Record<string, string> = {
  happened: 'Contacts to whom the event happened while they waited',
  timed_out: 'Contacts still waiting when the timeout ran out',
};

export type UntilOutcome = (typeof UNTIL_OUTCOMES)[number];

export const DEFAULT_TIME_ZONE = 'UTC';

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export function untilMode(config: Record<string, unknown>): UntilMode {
  return config.until === 'time' ? 'time' : 'event';
}

// A new block's settings in each mode: no event chosen yet, giving up after a day; no time yet.
export function untilConfig(mode: UntilMode): Record<string, unknown> {
  return mode === 'event'
    ? { until: 'event', event: '', filters: [], timeout: '1d' }
    : { until: 'time', at: '', time_zone: DEFAULT_TIME_ZONE };
}

// The output a handle (or an API branch) names, in event mode; undefined for any other.
export function untilOutcome(
  config: Record<string, unknown>,
  branch: string | null | undefined,
): UntilOutcome | undefined {
  if (untilMode(config) !== 'event') return undefined;
  return UNTIL_OUTCOMES.find((o) => o.branch === branch);
}

export function timeZoneOf(config: Record<string, unknown>): string {
  return typeof config.time_zone === 'string' && config.time_zone ? config.time_zone : DEFAULT_TIME_ZONE;
}

// "Until Email link clicked · or 3 days"; "Until 09:00 · America/Sao_Paulo".
export function untilSummary(config: Record<string, unknown>): string {
  if (untilMode(config) === 'time') {
    const at = String(config.at ?? '');
    return TIME_OF_DAY.test(at) ? `Until ${at} · ${timeZoneOf(config)}` : 'Choose a time of day';
  }
  if (!config.event) return 'Choose an event to wait for';
  const event = eventSummary(config);
  return durationMs(config.timeout)
    ? `Until ${event} · or ${durationText(config.timeout)}`
    : `Set a timeout for ${event}`;
}

export function untilProblem(config: Record<string, unknown>): string | null {
  if (untilMode(config) === 'time') {
    return TIME_OF_DAY.test(String(config.at ?? '')) ? null : 'Choose the time of day to wait until.';
  }
  const event = eventProblem(config, 'Choose the event to wait for.');
  if (event) return event;
  const ms = durationMs(config.timeout);
  if (!ms) return 'Set how long to wait for the event before giving up.';
  return ms > MAX_WAIT_DAYS * 86_400_000 ? `Give up after 1 second to ${MAX_WAIT_DAYS} days.` : null;
}

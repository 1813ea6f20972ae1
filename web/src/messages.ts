// The API's error messages are written for developers ("timeout_ms must be between 100 and
// 60000", "url: ... (at position 20)"); the forms show them beside a field, in the form's terms.
import { sentence } from './format';

// The form asks for seconds; the API takes milliseconds.
export const TIMEOUT_MIN_SECONDS = 0.1;
export const TIMEOUT_MAX_SECONDS = 60;
export const TIMEOUT_MESSAGE = `Enter a timeout between ${TIMEOUT_MIN_SECONDS} and ${TIMEOUT_MAX_SECONDS} seconds.`;

// How many requests a webhook sends at once, and per second (the server's limits).
export const MAX_IN_FLIGHT = 100;
export const MAX_RATE_LIMIT = 10000;
export const IN_FLIGHT_MESSAGE = `Enter a whole number of requests between 1 and ${MAX_IN_FLIGHT}.`;
export const RATE_LIMIT_MESSAGE = `Enter a whole number of requests per second between 0 (no limit) and ${MAX_RATE_LIMIT.toLocaleString('en')}.`;

// A wait block's longest delay (the server's limit: 365 days).
export const MAX_WAIT_DAYS = 365;
export const WAIT_LIMIT_MESSAGE = `Set a wait between 1 second and ${MAX_WAIT_DAYS} days.`;

// A webhook's filter as the server refuses it ("filters[2]: a filter needs a field", "filters may
// list at most 20 filters"): shown beside that row (or the Filters section), in the row's terms.
function filterMessage(text: string): string | null {
  const most = /^filters may list at most (\d+)/.exec(text);
  if (most) return `Use at most ${most[1]} filters.`;
  const row = /^(?:webhook\.)?filters\[\d+\]:\s*(.*)$/.exec(text);
  if (!row) return null;
  const reason = row[1];
  if (/needs a field/.test(reason)) return 'Choose the field to test.';
  if (/must start with/.test(reason)) return 'Start the field with event_details., event. or contact.';
  if (/op must be/.test(reason)) return 'Choose how to compare.';
  if (/needs a value/.test(reason)) return 'Enter the value to compare with.';
  return sentence(reason);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A message for the field it is shown beside: without the field's name in front, with its
// position once, speaking of seconds where the form has seconds.
export function fieldMessage(field: string | null, message: string): string {
  let text = message.trim();
  if (field) text = text.replace(new RegExp(`^${escapeRegExp(field)}:\\s*`), '');
  const filter = filterMessage(text);
  if (filter) return filter;
  const timeout = /^timeout_ms must be between (\d+) and (\d+)/.exec(text);
  if (timeout) {
    return `Enter a timeout between ${Number(timeout[1]) / 1000} and ${Number(timeout[2]) / 1000} seconds.`;
  }
  if (/^max_in_flight must /.test(text)) return IN_FLIGHT_MESSAGE;
  if (/^rate_limit_per_second must /.test(text)) return RATE_LIMIT_MESSAGE;
  // Template errors name their position in the text and again at the end: keep the first.
  const trailing = /\s*\(at position (\d+)\)$/.exec(text);
  if (trailing) {
    const position = trailing[1];
    const said = new RegExp(`position ${position}\\b`).test(text.slice(0, trailing.index));
    if (said || position === '0') text = text.slice(0, trailing.index);
  }
  return sentence(text);
}

// A wait block's duration as the server refuses it ("duration must look like 30s, 15m, 2h or 2d
// (up to 365d)"), in the terms of the builder's number and unit.
export function durationMessage(message: string): string | null {
  return /duration must look like/.test(message) ? WAIT_LIMIT_MESSAGE : null;
}

// The contacts search as the server refuses it ("q (the search) must be at most 200 bytes"):
// a limit in bytes, which letters with accents and emoji take more of.
export function searchMessage(message: string): string {
  const limit = /must be at most (\d+) bytes/.exec(message);
  if (limit) {
    return (
      `Search for a shorter part of an email or name: at most ${limit[1]} letters, ` +
      'fewer with accents or emoji.'
    );
  }
  return sentence(message);
}

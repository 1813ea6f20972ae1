// A Webhook block that waits for the answer (config.wait_for_response): the contact waits at it
// until the call's outcome is known, then leaves by "succeeded" (a 2xx answer, retries included)
// or "failed" (the delivery died or was refused); fields of a JSON answer may first be copied onto
// the contact (config.response_mapping). Without the wait, one plain output, as any action's. Its
// settings as the API takes them, the outputs, and the checks made before the server's.
import type { BlockStats } from '../api';

// The outputs of a webhook that waits: the handle a wire leaves by is the API's branch.
export const ANSWER_OUTCOMES = [
  { branch: 'succeeded', name: 'Succeeded', label: 'If the call succeeds, go to' },
  { branch: 'failed', name: 'Failed', label: 'If the call fails, go to' },
] as const;

// What the contacts leaving by each output are, shown over it.
export const ANSWER_TITLES: Record<string, string> = {
  succeeded: 'Contacts whose call got a 2xx answer (retries included)',
  failed: 'Contacts whose call finally failed: every retry failed, or it was refused',
};

export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

// The server's limits (journey_json.cc, response_mapping.cc).
export const MAX_MAPPINGS = 20;
export const MAX_FROM = 200;
const PROPERTY = /^[A-Za-z0-9_]{1,64}$/;

export type MappingType = 'any' | 'string' | 'number' | 'boolean';

export const MAPPING_TYPES: { type: MappingType; label: string }[] = [
  { type: 'any', label: 'Any' },
  { type: 'string', label: 'Text' },
  { type: 'number', label: 'Number' },
  { type: 'boolean', label: 'Yes/no' },
];

export interface ResponseMapping {
  from: string;
  to: string;
  type: MappingType;
}

export function waitsForAnswer(config: Record<string, unknown>): boolean {
  return config.wait_for_response === true;
}

// The output a handle (or an API branch) names on a webhook that waits; undefined for any other.
export function answerOutcome(
  config: Record<string, unknown>,
  branch: string | null | undefined,
): AnswerOutcome | undefined {
  if (!waitsForAnswer(config)) return undefined;
  return ANSWER_OUTCOMES.find((o) => o.branch === branch);
}

export function answerCount(stats: BlockStats | undefined, branch: AnswerOutcome['branch']) {
  return stats?.[branch];
}

export function unmappedCount(stats: BlockStats | undefined): number {
  return stats?.unmapped ?? 0;
}

export function mappingsOf(config: Record<string, unknown>): ResponseMapping[] {
  return Array.isArray(config.response_mapping) ? (config.response_mapping as ResponseMapping[]) : [];
}

export function newMapping(): ResponseMapping {
  return { from: '', to: '', type: 'any' };
}

// The settings with the wait switched on or off. Off, the block is a plain webhook again: the
// mapping goes (the server refuses one without the wait); the panel keeps it while it is open.
export function withWait(config: Record<string, unknown>, wait: boolean): Record<string, unknown> {
  const rest = without(config, 'wait_for_response', 'response_mapping');
  return wait ? { ...rest, wait_for_response: true } : rest;
}

// The settings with these mapping rows; none leaves the key out.
export function withMappings(config: Record<string, unknown>, rows: ResponseMapping[]) {
  const rest = without(config, 'response_mapping');
  return rows.length ? { ...rest, response_mapping: rows } : rest;
}

function without(config: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !keys.includes(k)));
}

// The config as sent: a mapping only with the wait and rows (whatever the draft holds).
export function webhookConfigToSend(config: Record<string, unknown>): Record<string, unknown> {
  if (!('response_mapping' in config)) return config;
  return waitsForAnswer(config) && mappingsOf(config).length ? config : withMappings(config, []);
}

// A row's From as the server reads it: a JSON Pointer ("/lead/score") or a $-path ("$.lead.score",
// "$.items[0].id"). Checked lightly: the server names a bad one.
export function fromProblem(from: string): string | null {
  if (!from.trim()) return 'say where in the answer the value is (From)';
  // The server counts bytes: a letter with an accent takes two.
  if (new TextEncoder().encode(from).length > MAX_FROM) return `From is at most ${MAX_FROM} bytes long`;
  if (!/^(\/|\$[.[])/.test(from)) return 'From starts with / (a JSON Pointer) or $. (a path)';
  return null;
}

export function toProblem(rows: ResponseMapping[], index: number): string | null {
  const to = rows[index].to;
  if (!to) return 'name the contact property to set (To)';
  if (to === 'email') return 'the email cannot be set from an answer';
  if (!PROPERTY.test(to)) return 'To is a contact property: 1 to 64 letters, digits or _';
  return rows.findIndex((r) => r.to === to) < index ? `another mapping sets ${to}` : null;
}

export function webhookProblem(config: Record<string, unknown>): string | null {
  if (!config.webhook_id) return 'Choose or create a webhook.';
  if (!waitsForAnswer(config)) return null;
  const rows = mappingsOf(config);
  if (rows.length > MAX_MAPPINGS) return `At most ${MAX_MAPPINGS} response mappings.`;
  for (let i = 0; i < rows.length; i++) {
    const problem = fromProblem(rows[i].from) ?? toProblem(rows, i);
    if (problem) return `Response mapping ${i + 1}: ${problem}.`;
  }
  return null;
}

// The server names a mapping row in the error's field ("response_mapping[0].from") but not in its
// message ("from must be a JSON Pointer ..."): the row, counted from 1 as the panel shows it.
export function mappingRowOf(field: string | null | undefined): number | null {
  const m = /\.config\.response_mapping\[(\d+)\]/.exec(field ?? '');
  return m ? Number(m[1]) + 1 : null;
}

// A duration as the API writes it ("30s", "15m", "2h", "3d"): a Wait block's, and a Wait until's
// timeout. The builder edits it as a number and a unit.
const UNIT_WORDS: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  m: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const PATTERN = /^(\d+)([smhd])$/;

// "90m" -> 5400000; 0 for anything else.
export function durationMs(duration: unknown): number {
  const m = PATTERN.exec(String(duration ?? ''));
  return m ? Number(m[1]) * UNIT_MS[m[2]] : 0;
}

// "90m" -> "90 minutes".
export function durationText(duration: unknown): string {
  const m = PATTERN.exec(String(duration ?? ''));
  if (!m) return 'Set a duration';
  const n = Number(m[1]);
  return `${n} ${UNIT_WORDS[m[2]][n === 1 ? 0 : 1]}`;
}

// "90m" -> {n: "90", unit: "m"}; one day for anything else.
export function durationParts(duration: unknown): { n: string; unit: string } {
  const m = PATTERN.exec(String(duration ?? ''));
  return m ? { n: m[1], unit: m[2] } : { n: '1', unit: 'd' };
}

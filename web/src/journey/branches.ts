// A block's input and outputs, and the Split block's branches. On the canvas a wire leaves a block by a
// handle: a condition's are "yes" and "no", a wait until an event's "happened" and "timed_out", a
// webhook that waits for the answer's "succeeded" and "failed" (the API's branches, as the
// condition's), a split's are its branches by position ("branch-0",
// ...), not by name: a name is free text (React Flow finds a handle with a CSS selector that
// quotes would break) and, while it is typed, can for a moment equal another branch's. Renaming a
// branch so leaves its wire alone; the API's edges carry the name, put in when the journey is
// sent and looked up when it is loaded.
import type { BlockType } from '../api';
import { UNTIL_OUTCOMES, untilMode, untilOutcome } from './waitUntil';
import { ANSWER_OUTCOMES, answerOutcome, waitsForAnswer } from './webhookAnswer';

export const MIN_BRANCHES = 2;
export const MAX_BRANCHES = 5;
export const MAX_BRANCH_NAME = 40;

// `percent` null while its field is empty (typing a new number).
export interface SplitBranch {
  name: string;
  percent: number | null;
}

export function splitConfig(): { branches: SplitBranch[] } {
  return {
    branches: [
      { name: 'A', percent: 50 },
      { name: 'B', percent: 50 },
    ],
  };
}

export function branchesOf(config: Record<string, unknown>): SplitBranch[] {
  return Array.isArray(config.branches) ? (config.branches as SplitBranch[]) : [];
}

export function branchHandle(index: number): string {
  return `branch-${index}`;
}

// The branch a split's handle stands for; -1 for any other handle.
export function handleIndex(handle: string | null | undefined): number {
  const m = /^branch-(\d+)$/.exec(handle ?? '');
  return m ? Number(m[1]) : -1;
}

export function percentTotal(branches: SplitBranch[]): number {
  return branches.reduce((sum, b) => sum + (b.percent ?? 0), 0);
}

// One output of a block: its handle (undefined: the one plain output) and, for the panel, what
// leads there.
export interface Output {
  handle: string | undefined;
  label: string;
}

// Whether wires may lead into a block: not into the trigger (it starts the journey) nor into a
// goal (it stands alone, unwired: its event takes contacts out wherever they wait).
export function hasInput(type: BlockType): boolean {
  return type !== 'trigger' && type !== 'goal';
}

export function outputsOf(type: BlockType, config: Record<string, unknown>): Output[] {
  if (type === 'exit' || type === 'goal') return [];
  if (type === 'condition')
    return [
      { handle: 'yes', label: 'If yes, go to' },
      { handle: 'no', label: 'If no, go to' },
    ];
  if (type === 'split')
    return branchesOf(config).map((b, i) => ({
      handle: branchHandle(i),
      label: `Branch ${b.name || i + 1} (${b.percent ?? 0}%) goes to`,
    }));
  if (type === 'wait_until' && untilMode(config) === 'event')
    return UNTIL_OUTCOMES.map((o) => ({ handle: o.branch, label: o.label }));
  if (type === 'webhook' && waitsForAnswer(config))
    return ANSWER_OUTCOMES.map((o) => ({ handle: o.branch, label: o.label }));
  return [{ handle: undefined, label: 'Then go to' }];
}

// Whether the block's outputs are a row of named cells at its foot (a split's branches, a wait
// until an event's two outcomes, a webhook's that waits for the answer), which makes it taller
// than other blocks.
export function hasOutputRow(type: BlockType, config: Record<string, unknown>): boolean {
  return (
    type === 'split' ||
    (type === 'wait_until' && untilMode(config) === 'event') ||
    (type === 'webhook' && waitsForAnswer(config))
  );
}

// The edge's `branch` in the API for a wire out of `handle`.
export function branchOfHandle(
  type: BlockType,
  config: Record<string, unknown>,
  handle: string | null | undefined,
): string | undefined {
  if (type === 'condition') return handle === 'yes' || handle === 'no' ? handle : undefined;
  if (type === 'split') return branchesOf(config)[handleIndex(handle)]?.name;
  if (type === 'wait_until') return untilOutcome(config, handle)?.branch;
  if (type === 'webhook') return answerOutcome(config, handle)?.branch;
  return undefined;
}

// The handle a wire of the API's leaves by; null when a split has no branch of that name, or a
// wait until or a webhook has no such output (a branch in time mode or without the wait, none or
// another in event mode or with it).
export function handleOfBranch(
  type: BlockType,
  config: Record<string, unknown>,
  branch: string | undefined,
): string | undefined | null {
  if (type === 'wait_until') {
    if (untilMode(config) === 'time') return branch ? null : undefined;
    return untilOutcome(config, branch)?.branch ?? null;
  }
  if (type === 'webhook') {
    if (!waitsForAnswer(config)) return branch ? null : undefined;
    return answerOutcome(config, branch)?.branch ?? null;
  }
  if (type !== 'split') return branch;
  const index = branchesOf(config).findIndex((b) => b.name === branch);
  return index < 0 ? null : branchHandle(index);
}

// A name no branch has yet: the next letter.
function freeName(branches: SplitBranch[]): string {
  const taken = new Set(branches.map((b) => b.name));
  for (let c = 65; c <= 90; c++) if (!taken.has(String.fromCharCode(c))) return String.fromCharCode(c);
  return `Branch ${branches.length + 1}`;
}

// One more branch, the total kept: it takes what is left of 100, or else half of the largest.
export function addBranch(branches: SplitBranch[]): SplitBranch[] {
  const left = 100 - percentTotal(branches);
  if (left >= 1) return [...branches, { name: freeName(branches), percent: Math.min(left, 99) }];
  const largest = branches.reduce((at, b, i) => ((b.percent ?? 0) > (branches[at].percent ?? 0) ? i : at), 0);
  const half = Math.floor((branches[largest].percent ?? 0) / 2);
  return [
    ...branches.map((b, i) => (i === largest ? { ...b, percent: (b.percent ?? 0) - half } : b)),
    { name: freeName(branches), percent: Math.max(half, 1) },
  ];
}

// A branch removed: its share goes to the branch before it (the next, for the first), so the
// total stays what it was.
export function removeBranch(branches: SplitBranch[], index: number): SplitBranch[] {
  const heir = index === 0 ? 1 : index - 1;
  const share = branches[index].percent ?? 0;
  return branches
    .map((b, i) => (i === heir ? { ...b, percent: (b.percent ?? 0) + share } : b))
    .filter((_, i) => i !== index);
}

// The same share each, the first ones a point more where 100 does not divide.
export function evenBranches(branches: SplitBranch[]): SplitBranch[] {
  const n = branches.length;
  return branches.map((b, i) => ({ ...b, percent: Math.floor(100 / n) + (i < 100 % n ? 1 : 0) }));
}

// The split's settings checked as the server checks them, in its words.
export function splitProblem(config: Record<string, unknown>): string | null {
  const branches = branchesOf(config);
  if (branches.length < MIN_BRANCHES || branches.length > MAX_BRANCHES)
    return `A split needs ${MIN_BRANCHES} to ${MAX_BRANCHES} branches.`;
  // [...name] counts characters (code points), as the server does; .length counts UTF-16 units.
  if (branches.some((b) => !b.name || [...b.name].length > MAX_BRANCH_NAME))
    return `Each branch needs a name of 1 to ${MAX_BRANCH_NAME} characters.`;
  if (branches.some((b) => !Number.isInteger(b.percent) || b.percent! < 1 || b.percent! > 99))
    return 'Each branch needs a percent, a whole number from 1 to 99.';
  if (new Set(branches.map((b) => b.name)).size < branches.length) return 'Branch names must be unique.';
  const total = percentTotal(branches);
  return total === 100 ? null : `Branch percents must add up to 100 (they add up to ${total}).`;
}

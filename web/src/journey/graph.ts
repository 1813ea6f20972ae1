// The journey as a graph, for the builder: a layered layout for journeys that arrive without
// positions (made through the API), and the cycle the server refuses, to name and to mark.
import type { JourneyBlock, JourneyEdge } from '../api';
import { branchesOf, hasOutputRow } from './branches';

export const NODE_WIDTH = 240;
const COLUMN_GAP = NODE_WIDTH + 70;
const LAYER_GAP = 190;
const ROW_EXTRA = 60; // more under a block with a row of outputs

type Position = { x: number; y: number };

function placed(p: unknown): p is Position {
  const q = p as Partial<Position> | null | undefined;
  return !!q && Number.isFinite(q.x) && Number.isFinite(q.y);
}

// A journey needs laying out when a block has no position (the API stores {} for one left out),
// or two blocks share one, which stacks them.
export function needsLayout(blocks: JourneyBlock[]): boolean {
  if (blocks.some((b) => !placed(b.position))) return true;
  const spots = new Set(blocks.map((b) => `${b.position.x},${b.position.y}`));
  return spots.size < blocks.length;
}

// Depth-first from the trigger (then from any block it does not reach): the edges that lead back
// to a block still on the path close a cycle; the rest form a DAG, listed in topological order.
function walk(ids: string[], rootId: string | undefined, edges: JourneyEdge[]) {
  const out = new Map<string, JourneyEdge[]>(ids.map((id) => [id, []]));
  for (const e of edges) if (out.has(e.source) && out.has(e.target)) out.get(e.source)!.push(e);
  const state = new Map<string, 1 | 2>();
  const back = new Set<JourneyEdge>();
  const postorder: string[] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    for (const e of out.get(id)!) {
      const seen = state.get(e.target);
      if (seen === 1) back.add(e);
      else if (!seen) visit(e.target);
    }
    state.set(id, 2);
    postorder.push(id);
  };
  for (const id of rootId ? [rootId, ...ids] : ids) if (!state.has(id)) visit(id);
  return { order: postorder.reverse(), back };
}

// The outputs that come in pairs: a condition's, a wait until an event's, a webhook's that waits.
const PAIR_SHIFTS: Record<string, number> = {
  yes: -0.5,
  no: 0.5,
  happened: -0.5,
  timed_out: 0.5,
  succeeded: -0.5,
  failed: 0.5,
};

// How far to one side of its source, in columns, a wire's target would like to be: a condition's
// "yes" to the left of its "no", a wait until's "happened" to the left of its "timed_out", a
// webhook's "succeeded" to the left of its "failed"; a split's wired branches side by side in
// their order, centred under it (its unwired branches take no room).
function branchShifts(blocks: JourneyBlock[], edges: JourneyEdge[]): Map<JourneyEdge, number> {
  const shifts = new Map<JourneyEdge, number>();
  for (const e of edges) shifts.set(e, PAIR_SHIFTS[e.branch ?? ''] ?? 0);
  for (const split of blocks.filter((b) => b.type === 'split')) {
    const order = branchesOf(split.config ?? {}).map((b) => b.name);
    const wired = edges
      .filter((e) => e.source === split.id && order.includes(e.branch ?? ''))
      .sort((a, b) => order.indexOf(a.branch!) - order.indexOf(b.branch!));
    wired.forEach((e, i) => shifts.set(e, i - (wired.length - 1) / 2));
  }
  return shifts;
}

// Layers from the trigger down, one per step along the longest path that reaches a block; in a
// layer, each block under the blocks that lead to it (shifted by branch: branchShifts). The goal,
// wired to nothing, stands apart: level with the trigger, a column right of the rightmost block.
// Returns each block's top-left corner.
export function layeredLayout(
  blocks: JourneyBlock[],
  edges: JourneyEdge[],
): Record<string, Position> {
  const apart = blocks.filter((b) => b.type === 'goal').map((b) => b.id);
  const ids = blocks.map((b) => b.id).filter((id) => !apart.includes(id));
  const trigger = blocks.find((b) => b.type === 'trigger')?.id;
  const { order, back } = walk(ids, trigger, edges);
  const forward = edges.filter((e) => !back.has(e) && ids.includes(e.source) && ids.includes(e.target));

  const layer = new Map<string, number>(order.map((id) => [id, 0]));
  for (const id of order) {
    for (const e of forward) {
      if (e.source === id) layer.set(e.target, Math.max(layer.get(e.target)!, layer.get(id)! + 1));
    }
  }

  const shift = branchShifts(blocks, forward);
  const centre = new Map<string, number>();
  const depth = Math.max(0, ...layer.values());
  for (let l = 0; l <= depth; l++) {
    const members = order.filter((id) => layer.get(id) === l);
    if (l === 0 && trigger) members.sort((a, b) => Number(b === trigger) - Number(a === trigger));
    // Where each block would like to be: under the blocks that lead to it.
    const wish = members.map((id, i) => {
      const from = forward.filter((e) => e.target === id && centre.has(e.source));
      if (!from.length) return l === 0 ? i * COLUMN_GAP : 0;
      const sum = from.reduce((acc, e) => acc + centre.get(e.source)! + shift.get(e)! * COLUMN_GAP, 0);
      return sum / from.length;
    });
    const sorted = members
      .map((id, i) => ({ id, wish: wish[i], i }))
      .sort((a, b) => a.wish - b.wish || a.i - b.i);
    // Left to right, a column apart at least; then the layer moved back under its parents.
    const xs: number[] = [];
    sorted.forEach((m, i) => xs.push(i === 0 ? m.wish : Math.max(m.wish, xs[i - 1] + COLUMN_GAP)));
    const drift =
      sorted.reduce((acc, m) => acc + m.wish, 0) / sorted.length - xs.reduce((a, b) => a + b, 0) / xs.length;
    sorted.forEach((m, i) => centre.set(m.id, xs[i] + drift));
  }

  // A split, a wait until an event, a webhook that waits, are taller than other blocks (their outputs in a row at their
  // foot): the layer under one is set lower, to leave its wires and their labels room.
  const top = [0];
  for (let l = 1; l <= depth; l++) {
    const tall = blocks.some((b) => hasOutputRow(b.type, b.config ?? {}) && layer.get(b.id) === l - 1);
    top.push(top[l - 1] + LAYER_GAP + (tall ? ROW_EXTRA : 0));
  }
  const positions: Record<string, Position> = {};
  for (const id of ids) {
    positions[id] = { x: Math.round(centre.get(id)! - NODE_WIDTH / 2), y: top[layer.get(id)!] };
  }
  const right = ids.length ? Math.max(...ids.map((id) => centre.get(id)!)) + COLUMN_GAP : 0;
  apart.forEach((id, i) => {
    positions[id] = { x: Math.round(right + i * COLUMN_GAP - NODE_WIDTH / 2), y: 0 };
  });
  return positions;
}

// The blocks of a cycle through `start`, in order along the edges; the last one leads back to
// `start`. Null when no path from `start` comes back to it.
export function cycleThrough(start: string, edges: JourneyEdge[]): string[] | null {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const at = queue.shift()!;
    for (const e of edges) {
      if (e.source !== at) continue;
      if (e.target === start) {
        const path = [at];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return path;
      }
      if (!parent.has(e.target)) {
        parent.set(e.target, at);
        queue.push(e.target);
      }
    }
  }
  return null;
}

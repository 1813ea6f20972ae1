// The journey as the builder holds it (blocks as React Flow nodes, wires as edges whose source
// handle is the condition's, the split's, the wait until's or the webhook's branch: see branches.ts), and the
// pure steps between it and the API: the body sent, the checks made before the server's, and the
// server's refusal said in the canvas's terms.
import { MarkerType } from '@xyflow/react';
import {
  ApiError,
  type BlockType,
  type Journey,
  type JourneyBlock,
  type JourneyEdge,
  type JourneyInput,
} from '../api';
import { durationMessage } from '../messages';
import { sentence } from '../format';
import { formatCount } from '../stats';
import type { BlockNodeType } from './BlockNode';
import { blockProblem, TYPE_TITLES } from './blocks';
import { branchesOf, branchOfHandle, handleIndex, handleOfBranch, hasInput } from './branches';
import type { FlowEdgeType } from './FlowEdge';
import { cycleThrough } from './graph';
import { untilOutcome } from './waitUntil';
import { answerCount, answerOutcome, mappingRowOf, webhookConfigToSend } from './webhookAnswer';

// The output a wire leaves by: 'yes', 'no', a split's 'branch-<n>', a wait until's 'happened' or
// 'timed_out', a webhook's 'succeeded' or 'failed', or undefined (the only one).
export type Branch = string | undefined;
export type Edge = FlowEdgeType;

export interface JourneyMeta {
  name: string;
  reentry: Journey['reentry'];
  status: Journey['status'];
}

export function edgeId(source: string, branch: Branch, target: string): string {
  return `${source}:${branch ?? 'next'}:${target}`;
}

const EDGE_CLASSES: Record<string, string> = {
  yes: 'edge-yes',
  no: 'edge-no',
  happened: 'edge-happened',
  timed_out: 'edge-timed-out',
  succeeded: 'edge-succeeded',
  failed: 'edge-failed',
};

export function makeEdge(source: string, target: string, branch: Branch): Edge {
  return {
    id: edgeId(source, branch, target),
    type: 'flow',
    source,
    target,
    sourceHandle: branch ?? null,
    // A condition's outputs carry their Yes/No colours, a wait until's and a webhook's their
    // outcomes', a split's its own colour: the wire takes them.
    className: branch ? EDGE_CLASSES[branch] ?? 'edge-branch' : undefined,
    ariaLabel: branch ? `${source} ${branch} to ${target}` : `${source} to ${target}`,
    markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
  };
}

const ID_PREFIX: Record<BlockType, string> = {
  trigger: 'trigger',
  condition: 'condition',
  split: 'split',
  delay: 'wait',
  wait_until: 'wait_until',
  webhook: 'webhook',
  add_to_list: 'add',
  remove_from_list: 'remove',
  update_contact: 'update',
  exit: 'exit',
  goal: 'goal',
};

export function newBlockId(type: BlockType, nodes: BlockNodeType[]): string {
  const prefix = ID_PREFIX[type];
  let n = 1;
  const taken = new Set(nodes.map((x) => x.id));
  while (taken.has(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

// Checks that need no server: one trigger, one goal at most, each block's settings, every block
// reachable (but the goal, which stands alone).
export function localProblems(
  nodes: BlockNodeType[],
  edges: Edge[],
): { perBlock: Record<string, string>; general: string | null } {
  const perBlock: Record<string, string> = {};
  const triggers = nodes.filter((n) => n.data.type === 'trigger');
  let general: string | null = null;
  if (nodes.length === 0) general = 'Drag a trigger onto the canvas to start the journey.';
  else if (triggers.length === 0)
    general = 'Add a trigger: a journey starts with one (drag it from Triggers).';
  triggers.slice(1).forEach((t) => (perBlock[t.id] = 'A journey has exactly one trigger: remove this one.'));
  nodes
    .filter((n) => n.data.type === 'goal')
    .slice(1)
    .forEach((g) => (perBlock[g.id] = 'A journey has one goal at most: remove this one.'));
  for (const n of nodes) {
    const problem = blockProblem(n.data.type, n.data.config);
    if (problem && !perBlock[n.id]) perBlock[n.id] = problem;
  }
  if (triggers.length >= 1) {
    const reached = new Set([triggers[0].id]);
    const queue = [triggers[0].id];
    while (queue.length) {
      const at = queue.shift()!;
      for (const e of edges) {
        if (e.source === at && !reached.has(e.target)) {
          reached.add(e.target);
          queue.push(e.target);
        }
      }
    }
    for (const n of nodes) {
      if (!reached.has(n.id) && !perBlock[n.id] && hasInput(n.data.type)) {
        perBlock[n.id] = 'Connect this block: no path from the trigger reaches it.';
      }
    }
  }
  return { perBlock, general };
}

// The body PUT and POST take.
export function journeyInput(meta: JourneyMeta, nodes: BlockNodeType[], edges: Edge[]): JourneyInput {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    name: meta.name.trim(),
    reentry: meta.reentry,
    blocks: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      // A webhook's response mapping only where it waits for the answer and has rows.
      config: n.data.type === 'webhook' ? webhookConfigToSend(n.data.config) : n.data.config,
    })),
    edges: edges.map((e) => {
      const out: JourneyEdge = { source: e.source, target: e.target };
      const from = byId.get(e.source)?.data;
      const branch = from && branchOfHandle(from.type, from.config, e.sourceHandle);
      if (branch !== undefined) out.branch = branch;
      return out;
    }),
  };
}

// The graph of a journey (its blocks, their settings, its wires; not where the blocks stand) as a
// key that changes only when the graph does: saving such a change to an active or paused journey
// makes a version. Keys of settings are sorted: the same settings give the same key.
export function graphKey(j: Pick<JourneyInput, 'blocks' | 'edges'>): string {
  const sorted = (_key: string, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  const blocks = j.blocks
    .map((b) => {
      const config = b.config ?? {};
      return [b.id, b.type, b.type === 'webhook' ? webhookConfigToSend(config) : config];
    })
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  const edges = j.edges.map((e) => `${e.source} ${e.branch ?? ''} ${e.target}`).sort();
  return JSON.stringify([blocks, edges], sorted);
}

// A refused save, for the canvas: errors on their blocks, the banner's text, the cycle to mark.
export interface Refusal {
  perBlock: Record<string, string>;
  text: string;
  nameError?: string;
  cycle?: { blocks: string[]; edge: string };
}

// The handle an edge of the API leaves its block by (null: a split has no such branch).
export function handleOf(blocks: JourneyBlock[], edge: JourneyEdge): Branch | null {
  const from = blocks.find((b) => b.id === edge.source);
  return from ? handleOfBranch(from.type, from.config ?? {}, edge.branch) : edge.branch;
}

// "Condition condition_1", as the canvas shows the block.
function blockName(blocks: JourneyBlock[], blockId: string): string {
  const block = blocks.find((b) => b.id === blockId);
  return block ? `${TYPE_TITLES[block.type]} ${blockId}` : `Block ${blockId}`;
}

// The server names the block at fault in the error's field ("blocks.<id>..." or "blocks[<n>]")
// and its message ("block <id>: ..."). A cycle it names by one of its blocks; the builder finds
// the rest, names them in order and marks the edge that leads back.
export function explainRefusal(error: unknown, input: JourneyInput): Refusal {
  if (!(error instanceof ApiError)) return { perBlock: {}, text: String(error) };
  const m = /^blocks(?:\.([^.[\]]+)|\[(\d+)\])/.exec(error.field ?? '');
  const blockId = m ? (m[1] ?? input.blocks[Number(m[2])]?.id) : undefined;
  if (!blockId || !input.blocks.some((b) => b.id === blockId)) {
    return {
      perBlock: {},
      text: error.message,
      nameError: error.field === 'name' ? error.message : undefined,
    };
  }
  const name = (b: string) => blockName(input.blocks, b);
  const loop = /part of a cycle/.test(error.message) ? cycleThrough(blockId, input.edges) : null;
  if (loop) {
    const first = loop[0];
    const last = loop[loop.length - 1];
    const back = input.edges.find((e) => e.source === last && e.target === first);
    return {
      perBlock: { [first]: `Part of a cycle: ${name(last)} leads back here.` },
      text:
        `${name(last)} leads back to ${name(first)}, which makes a cycle ` +
        `(${[...loop, first].join(' → ')}): ` +
        `a contact would go round it forever. Change where ${name(last)} goes next; the ` +
        `connection that loops back is marked in red.`,
      cycle: {
        blocks: loop,
        edge: back ? edgeId(back.source, handleOf(input.blocks, back) ?? undefined, back.target) : '',
      },
    };
  }
  const raw = error.message.replace(new RegExp(`^block ${blockId}:\\s*`), '');
  // A response mapping's row is named in the field only: the message says which.
  const row = mappingRowOf(error.field);
  const message = (row ? `Response mapping ${row}: ` : '') + (durationMessage(raw) ?? sentence(raw));
  return { perBlock: { [blockId]: message }, text: `${name(blockId)}: ${message}` };
}

// The wires out of a condition, a split, a wait until an event or a webhook that waits, labelled
// with how many contacts took them ("Yes · 12", "A · 12", "Happened · 12", "Succeeded · 12"), for
// screen readers too; only where the block
// has counts (a saved journey's, not a new block's). A split's wires are named by their branch's
// name as it is now, renamed or not.
export function withBranchCounts(edges: Edge[], nodes: BlockNodeType[]): Edge[] {
  const byId = new Map(nodes.map((n) => [n.id, n.data]));
  return edges.map((e) => {
    const from = byId.get(e.source);
    const handle = e.sourceHandle;
    let name: string;
    let count: number | undefined;
    if (from?.type === 'split') {
      const branch = branchesOf(from.config)[handleIndex(handle)];
      if (!branch) return e;
      name = branch.name;
      // Every branch the server knows is counted; a branch added or renamed since has no runs.
      count = from.stats?.branches ? (from.stats.branches[branch.name] ?? 0) : undefined;
    } else if (from?.type === 'wait_until') {
      const outcome = untilOutcome(from.config, handle);
      if (!outcome) return e;
      name = outcome.name;
      count = from.stats?.[outcome.branch];
    } else if (from?.type === 'webhook') {
      const outcome = answerOutcome(from.config, handle);
      if (!outcome) return e;
      name = outcome.name;
      count = answerCount(from.stats, outcome.branch);
    } else if (handle === 'yes' || handle === 'no') {
      name = handle === 'yes' ? 'Yes' : 'No';
      count = from?.stats?.[handle];
    } else {
      return e;
    }
    const path = `${e.source} ${from?.type === 'split' ? name : handle} to ${e.target}`;
    if (typeof count !== 'number') return from?.type === 'split' ? { ...e, ariaLabel: path } : e;
    const shown = formatCount(count);
    return {
      ...e,
      data: { ...e.data, label: `${name} · ${shown}`, count },
      ariaLabel: `${path}: ${shown} contact${count === 1 ? '' : 's'}`,
    };
  });
}

// The edges as the canvas draws them: the one that closes a refused cycle red, labelled.
export function markCycle(edges: Edge[], cycleEdge: string | null): Edge[] {
  if (!cycleEdge) return edges;
  return edges.map((e) =>
    e.id === cycleEdge
      ? {
          ...e,
          className: `${e.className ?? ''} edge-cycle`.trim(),
          ariaLabel: `${e.source} loops back to ${e.target}`,
          data: { ...e.data, label: 'Loops back', count: undefined },
          markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: '#c62828' },
          zIndex: 1,
        }
      : e,
  );
}

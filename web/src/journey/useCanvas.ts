// The builder's canvas state: the blocks and wires React Flow draws, and every edit made to them
// (drag, connect, add from the palette, configure, delete), each reported through onChange so that
// the page knows it holds unsaved changes. Also the errors shown on blocks and the cycle marked.
import {
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { journeyStats, type Journey, type JourneyVersion } from '../api';
import type { BlockNodeType } from './BlockNode';
import { PALETTE, paletteLimit, type PaletteItem } from './blocks';
import {
  branchesOf,
  branchHandle,
  handleIndex,
  hasInput,
  hasOutputRow,
  outputsOf,
  removeBranch,
} from './branches';
import { handleOf, makeEdge, markCycle, newBlockId, withBranchCounts, type Branch, type Edge } from './draft';
import { layeredLayout, NODE_WIDTH, needsLayout } from './graph';
import { DND_TYPE } from './Palette';
import { answerCount, waitsForAnswer } from './webhookAnswer';

const ZERO = { entered: 0, waiting: 0, left: 0 };

export function useCanvas({
  withStats,
  onChange,
  onAdd,
}: {
  withStats: boolean; // a saved journey: new blocks show counts (zero) too
  onChange: () => void;
  onAdd: () => void;
}) {
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [nodes, setNodes, onNodesChangeBase] = useNodesState<BlockNodeType>([]);
  const [edges, setEdges, onEdgesChangeBase] = useEdgesState<Edge>([]);
  // The edge that closes the cycle the server refused, drawn in red until the wires change.
  const [cycleEdge, setCycleEdge] = useState<string | null>(null);

  // Blocks and wires as the API gives them (laid out from the trigger when they came without
  // positions), each block with the counts it shows.
  const place = useCallback(
    (
      j: Pick<Journey, 'blocks' | 'edges'>,
      counts: (blockId: string) => Pick<BlockNodeType['data'], 'stats'>,
    ) => {
      const laid = needsLayout(j.blocks) ? layeredLayout(j.blocks, j.edges) : null;
      setNodes(
        j.blocks.map((b) => ({
          id: b.id,
          type: 'block' as const,
          position: laid?.[b.id] ?? b.position,
          data: { type: b.type, config: b.config ?? {}, ...counts(b.id) },
        })),
      );
      // A wire whose branch the split does not have (the server refuses those) is left out.
      setEdges(
        j.edges.flatMap((e) => {
          const handle = handleOf(j.blocks, e);
          return handle === null ? [] : [makeEdge(e.source, e.target, handle)];
        }),
      );
      window.requestAnimationFrame(() => void flow.fitView({ padding: 0.25, maxZoom: 1 }));
    },
    [flow, setEdges, setNodes],
  );

  // A journey as loaded (laid out anew), or only its counts as they move.
  const load = useCallback(
    (j: Journey, { layout }: { layout: boolean }) => {
      const stats = journeyStats(j);
      if (!layout) {
        setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, stats: stats[n.id] ?? ZERO } })));
        return;
      }
      place(j, (blockId) => ({ stats: stats[blockId] ?? ZERO }));
    },
    [place, setNodes],
  );

  // An older version, shown read only: each block with its counts on that version.
  const loadVersion = useCallback(
    (v: JourneyVersion) => place(v, (blockId) => ({ stats: v.stats?.[blockId] ?? ZERO })),
    [place],
  );

  const showBlockErrors = useCallback(
    (perBlock: Record<string, string>) =>
      setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, error: perBlock[n.id] } }))),
    [setNodes],
  );

  const clearBlockErrors = useCallback(
    () =>
      setNodes((ns) =>
        ns.some((n) => n.data.error)
          ? ns.map((n) => (n.data.error ? { ...n, data: { ...n.data, error: undefined } } : n))
          : ns,
      ),
    [setNodes],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockNodeType>[]) => {
      const edited = (c: NodeChange<BlockNodeType>) =>
        c.type === 'remove' || c.type === 'add' || (c.type === 'position' && c.dragging === false);
      if (changes.some(edited)) onChange();
      onNodesChangeBase(changes);
    },
    [onNodesChangeBase, onChange],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<Edge>[]) => {
      if (changes.some((c) => c.type === 'remove' || c.type === 'add')) {
        onChange();
        setCycleEdge(null);
      }
      onEdgesChangeBase(changes);
    },
    [onEdgesChangeBase, onChange],
  );

  const connect = useCallback(
    (source: string, branch: Branch, target: string) => {
      setEdges((es) => {
        // One path leaves each output: a new connection replaces the old one.
        const rest = es.filter((e) => !(e.source === source && (e.sourceHandle ?? undefined) === branch));
        return target ? [...rest, makeEdge(source, target, branch)] : rest;
      });
      onChange();
      setCycleEdge(null);
      clearBlockErrors();
    },
    [setEdges, clearBlockErrors, onChange],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || c.source === c.target) return;
      connect(c.source, c.sourceHandle ?? undefined, c.target);
    },
    [connect],
  );

  // The outputs of a block that no wire leaves by yet, each with its place among all of them
  // (-0.5 and 0.5 for a condition's yes and no): a block added after it goes there.
  const freeOutputs = useCallback(
    (block: BlockNodeType) => {
      const outputs = outputsOf(block.data.type, block.data.config);
      return outputs.flatMap((o, i) =>
        edges.some((e) => e.source === block.id && (e.sourceHandle ?? undefined) === o.handle)
          ? []
          : [{ handle: o.handle, shift: i - (outputs.length - 1) / 2 }],
      );
    },
    [edges],
  );

  // A new block, selected; after `after` (the keyboard's way), wired to its first free output.
  // Not one the journey may not have more of (a second goal).
  const addBlock = useCallback(
    (item: PaletteItem, position: { x: number; y: number }, after?: BlockNodeType) => {
      if (paletteLimit(item, nodes)) return;
      const created = newBlockId(item.type, nodes);
      const node: BlockNodeType = {
        id: created,
        type: 'block',
        position,
        selected: true,
        data: { type: item.type, config: item.config(), stats: withStats ? ZERO : undefined },
      };
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
      if (after && hasInput(item.type)) {
        const free = freeOutputs(after);
        if (free.length) connect(after.id, free[0].handle, created);
      }
      onChange();
      onAdd();
      clearBlockErrors();
    },
    [nodes, freeOutputs, setNodes, connect, clearBlockErrors, withStats, onChange, onAdd],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DND_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(DND_TYPE);
      const item = PALETTE.find((p) => p.kind === kind);
      if (!item) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addBlock(item, { x: Math.round(at.x - NODE_WIDTH / 2), y: Math.round(at.y - 30) });
    },
    [flow, addBlock],
  );

  // Keyboard (or click) on a palette item: below the selected block (under the output it will be
  // wired to, so that a condition's or a split's next blocks stand side by side), else in view. A
  // goal, wired to nothing, goes beside the trigger, and the view takes in the whole journey.
  const addFromPalette = useCallback(
    (item: PaletteItem) => {
      const selected = nodes.find((n) => n.selected);
      const trigger = nodes.find((n) => n.data.type === 'trigger');
      let position: { x: number; y: number };
      if (item.type === 'goal' && trigger) {
        position = { x: trigger.position.x + NODE_WIDTH + 80, y: trigger.position.y };
      } else if (selected) {
        const shift = item.type === 'trigger' ? 0 : (freeOutputs(selected)[0]?.shift ?? 0);
        // A split, a wait until an event, a webhook that waits, are taller: their outputs are a row
        // at their foot.
        const below = hasOutputRow(selected.data.type, selected.data.config) ? 230 : 170;
        position = { x: selected.position.x + shift * (NODE_WIDTH + 30), y: selected.position.y + below };
      } else {
        const rect = canvasRef.current?.getBoundingClientRect();
        const center = flow.screenToFlowPosition({
          x: (rect?.left ?? 0) + (rect?.width ?? 600) / 2,
          y: (rect?.top ?? 0) + 100 + nodes.length * 30,
        });
        position = { x: Math.round(center.x - NODE_WIDTH / 2), y: Math.round(center.y) };
      }
      addBlock(item, position, selected);
      if (item.type === 'goal' && trigger) {
        window.requestAnimationFrame(() => void flow.fitView({ padding: 0.25, maxZoom: 1 }));
      }
    },
    [nodes, flow, addBlock, freeOutputs],
  );

  // New settings for a block. Wires that leave by an output the block no longer has go (a wait
  // until switched from an event to a time of day loses its Happened and Timed out; a webhook that
  // no longer waits for the answer, its Succeeded and Failed; one that now does, its plain wire).
  const setConfig = useCallback(
    (nodeId: string, config: Record<string, unknown>) => {
      const type = nodes.find((n) => n.id === nodeId)?.data.type;
      setNodes((ns) =>
        ns.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config, error: undefined } } : n)),
      );
      const handles = new Set(type ? outputsOf(type, config).map((o) => o.handle ?? null) : []);
      const gone = (e: Edge) => e.source === nodeId && !handles.has(e.sourceHandle ?? null);
      if (type && edges.some(gone)) {
        setEdges((es) => es.filter((e) => !gone(e)));
        setCycleEdge(null);
      }
      onChange();
    },
    [nodes, edges, setNodes, setEdges, onChange],
  );

  // A split's branch removed, with its wire; the wires of the branches after it move up a handle.
  const removeSplitBranch = useCallback(
    (nodeId: string, index: number) => {
      setNodes((ns) =>
        ns.map((n) => {
          if (n.id !== nodeId) return n;
          const branches = removeBranch(branchesOf(n.data.config), index);
          return { ...n, data: { ...n.data, config: { ...n.data.config, branches }, error: undefined } };
        }),
      );
      setEdges((es) =>
        es.flatMap((e) => {
          const at = e.source === nodeId ? handleIndex(e.sourceHandle) : -1;
          if (at < index) return [e];
          return at === index ? [] : [makeEdge(e.source, e.target, branchHandle(at - 1))];
        }),
      );
      onChange();
      setCycleEdge(null);
    },
    [setNodes, setEdges, onChange],
  );

  const deleteBlock = useCallback(
    (nodeId: string) => {
      setNodes((ns) => ns.filter((n) => n.id !== nodeId));
      setEdges((es) => es.filter((e) => e.source !== nodeId && e.target !== nodeId));
      onChange();
      setCycleEdge(null);
    },
    [setNodes, setEdges, onChange],
  );

  // The conditions' yes/no counts, the splits' branches (names and counts), the wait untils' and
  // the webhooks' outcomes (mode or wait, and counts), as a key that changes only when they do:
  // the wires are labelled again then, not on every drag of a block.
  const branchKey = JSON.stringify(
    nodes.flatMap((n): unknown[] => {
      const { type, config, stats } = n.data;
      if (type === 'condition') return [n.id, stats?.yes, stats?.no];
      if (type === 'split') return [n.id, branchesOf(config).map((b) => b.name), stats?.branches];
      if (type === 'wait_until') return [n.id, config.until, stats?.happened, stats?.timed_out];
      if (type === 'webhook')
        return [n.id, waitsForAnswer(config), answerCount(stats, 'succeeded'), answerCount(stats, 'failed')];
      return [];
    }),
  );
  const shownEdges = useMemo(
    () => markCycle(withBranchCounts(edges, nodes), cycleEdge),
    [edges, branchKey, cycleEdge],
  );

  return {
    canvasRef,
    nodes,
    edges,
    shownEdges,
    load,
    loadVersion,
    showBlockErrors,
    markCycleEdge: setCycleEdge,
    onNodesChange,
    onEdgesChange,
    onConnect,
    connect,
    onDragOver,
    onDrop,
    addFromPalette,
    setConfig,
    removeSplitBranch,
    deleteBlock,
  };
}

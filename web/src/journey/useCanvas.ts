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
import { journeyStats, type Journey } from '../api';
import type { BlockNodeType } from './BlockNode';
import { PALETTE, type PaletteItem } from './blocks';
import { makeEdge, markCycle, newBlockId, withBranchCounts, type Branch, type Edge } from './draft';
import { layeredLayout, NODE_WIDTH, needsLayout } from './graph';
import { DND_TYPE } from './Palette';

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

  // A journey as loaded (laid out from the trigger when it came without positions), or only its
  // counts as they move.
  const load = useCallback(
    (j: Journey, { layout }: { layout: boolean }) => {
      const stats = journeyStats(j);
      if (!layout) {
        setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, stats: stats[n.id] ?? ZERO } })));
        return;
      }
      const laid = needsLayout(j.blocks) ? layeredLayout(j.blocks, j.edges) : null;
      setNodes(
        j.blocks.map((b) => ({
          id: b.id,
          type: 'block' as const,
          position: laid?.[b.id] ?? b.position,
          data: { type: b.type, config: b.config ?? {}, stats: stats[b.id] ?? ZERO },
        })),
      );
      setEdges(j.edges.map((e) => makeEdge(e.source, e.target, e.branch)));
      window.requestAnimationFrame(() => void flow.fitView({ padding: 0.25, maxZoom: 1 }));
    },
    [flow, setEdges, setNodes],
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
      const branch = c.sourceHandle === 'yes' || c.sourceHandle === 'no' ? c.sourceHandle : undefined;
      connect(c.source, branch, c.target);
    },
    [connect],
  );

  // A new block, selected; after `after` (the keyboard's way), wired to its first free output.
  const addBlock = useCallback(
    (item: PaletteItem, position: { x: number; y: number }, after?: BlockNodeType) => {
      const created = newBlockId(item.type, nodes);
      const node: BlockNodeType = {
        id: created,
        type: 'block',
        position,
        selected: true,
        data: { type: item.type, config: item.config(), stats: withStats ? ZERO : undefined },
      };
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
      if (after && item.type !== 'trigger') {
        const outputs: Branch[] =
          after.data.type === 'condition' ? ['yes', 'no'] : after.data.type === 'exit' ? [] : [undefined];
        const free = outputs.filter(
          (b) => !edges.some((e) => e.source === after.id && (e.sourceHandle ?? undefined) === b),
        );
        if (free.length) connect(after.id, free[0], created);
      }
      onChange();
      onAdd();
      clearBlockErrors();
    },
    [nodes, edges, setNodes, connect, clearBlockErrors, withStats, onChange, onAdd],
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

  // Keyboard (or click) on a palette item: below the selected block, else in view.
  const addFromPalette = useCallback(
    (item: PaletteItem) => {
      const selected = nodes.find((n) => n.selected);
      let position: { x: number; y: number };
      if (selected) {
        position = { x: selected.position.x, y: selected.position.y + 170 };
      } else {
        const rect = canvasRef.current?.getBoundingClientRect();
        const center = flow.screenToFlowPosition({
          x: (rect?.left ?? 0) + (rect?.width ?? 600) / 2,
          y: (rect?.top ?? 0) + 100 + nodes.length * 30,
        });
        position = { x: Math.round(center.x - NODE_WIDTH / 2), y: Math.round(center.y) };
      }
      addBlock(item, position, selected);
    },
    [nodes, flow, addBlock],
  );

  const setConfig = useCallback(
    (nodeId: string, config: Record<string, unknown>) => {
      setNodes((ns) =>
        ns.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config, error: undefined } } : n)),
      );
      onChange();
    },
    [setNodes, onChange],
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

  // The conditions' yes/no counts, as a key that changes only when they do: the wires are
  // labelled again then, not on every drag of a block.
  const branchKey = nodes
    .filter((n) => n.data.type === 'condition' && n.data.stats)
    .map((n) => `${n.id}:${n.data.stats?.yes ?? '-'}/${n.data.stats?.no ?? '-'}`)
    .join(' ');
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
    deleteBlock,
  };
}

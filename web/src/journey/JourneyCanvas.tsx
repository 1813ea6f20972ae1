// The canvas: React Flow with the journey's blocks and wires, what to do first while it is empty,
// and above it, once the journey has run, its totals. Read only (an older version), its blocks
// can be selected to see their settings, but not moved, wired, dropped or deleted.
import { useEffect } from 'react';
import { Background, Controls, MarkerType, ReactFlow, useUpdateNodeInternals } from '@xyflow/react';
import type { JourneyTotals as Totals } from '../api';
import { nodeTypes, type BlockNodeType } from './BlockNode';
import type { Edge } from './draft';
import { edgeTypes } from './FlowEdge';
import { JourneyTotals } from './JourneyTotals';
import type { useCanvas } from './useCanvas';

export function JourneyCanvas({
  canvas,
  totals,
  stale,
  readOnly = false,
}: {
  canvas: ReturnType<typeof useCanvas>;
  totals: Totals | null; // null: not shown
  stale: boolean; // the last read of the counts failed
  readOnly?: boolean;
}) {
  // Wires are drawn between the handles React Flow measured in each block. A journey loaded (its
  // blocks replaced) or the totals strip appearing above can leave those measures stale with no
  // change of a block's own size to renew them, and then no wire is drawn: measure again.
  const updateNodeInternals = useUpdateNodeInternals();
  const ids = canvas.nodes.map((n) => n.id).join(' ');
  const withTotals = totals !== null;
  useEffect(() => {
    if (!ids) return;
    const frame = window.requestAnimationFrame(() => updateNodeInternals(ids.split(' ')));
    return () => window.cancelAnimationFrame(frame);
  }, [ids, withTotals, updateNodeInternals]);

  return (
    <div className="canvas-column">
      {totals && <JourneyTotals totals={totals} stale={stale} />}
      <div
        className="canvas"
        ref={canvas.canvasRef}
        onDrop={readOnly ? undefined : canvas.onDrop}
        onDragOver={readOnly ? undefined : canvas.onDragOver}
        aria-label="Journey canvas"
      >
        <ReactFlow<BlockNodeType, Edge>
          nodes={canvas.nodes}
          edges={canvas.shownEdges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={canvas.onNodesChange}
          onEdgesChange={canvas.onEdgesChange}
          onConnect={readOnly ? undefined : canvas.onConnect}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
          defaultViewport={{ x: 40, y: 40, zoom: 1 }}
          minZoom={0.3}
          maxZoom={1.5}
          snapToGrid
          snapGrid={[10, 10]}
          connectionRadius={30}
          defaultEdgeOptions={{ type: 'flow', markerEnd: { type: MarkerType.ArrowClosed } }}
          isValidConnection={(c) => c.source !== c.target}
          ariaLabelConfig={{
            'node.a11yDescription.default': readOnly
              ? 'Press Enter or Space to select this block and see its settings.'
              : 'Press Enter or Space to select this block; Delete removes it.',
          }}
        >
          <Background gap={20} size={1.2} />
          <Controls showInteractive={false} />
        </ReactFlow>
        {canvas.nodes.length === 0 && (
          <div className="canvas-empty" aria-hidden="true">
            <div className="canvas-empty-card">
              <strong>Start with a trigger</strong>
              <span>Drag “Email link clicked” or another trigger from the left onto the canvas.</span>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

// A wire between two blocks. Forward (down the canvas) it is React Flow's curve; a wire that goes
// back up (to a block above its source, as a cycle does) would run behind the blocks between, so it
// leaves downwards, runs beside them on the right and enters its target from above.
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { NODE_WIDTH } from './graph';

// `count`: on a condition's, a split's or a wait until's wire, how many contacts took it (the
// label says it).
export type FlowEdgeData = { label?: string; count?: number };
export type FlowEdgeType = Edge<FlowEdgeData, 'flow'>;

const OUT = 26; // straight run out of the source and into the target
const RADIUS = 12;
const BACK_MARGIN = 40;

function loopPath(sx: number, sy: number, tx: number, ty: number): [string, number, number] {
  const side = Math.max(sx, tx) + NODE_WIDTH / 2 + 50;
  const down = sy + OUT;
  const up = ty - OUT;
  const r = RADIUS;
  const path = [
    `M ${sx},${sy}`,
    `L ${sx},${down - r}`,
    `Q ${sx},${down} ${sx + r},${down}`,
    `L ${side - r},${down}`,
    `Q ${side},${down} ${side},${down - r}`,
    `L ${side},${up + r}`,
    `Q ${side},${up} ${side - r},${up}`,
    `L ${tx + r},${up}`,
    `Q ${tx},${up} ${tx},${up + r}`,
    `L ${tx},${ty}`,
  ].join(' ');
  return [path, side, (down + up) / 2];
}

export function FlowEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  markerEnd,
  style,
  data,
}: EdgeProps<FlowEdgeType>) {
  // Clearly above, not merely level: blocks that grow (an error shown, counts) must not flip a
  // short forward wire into a loop.
  const backwards = targetY < sourceY - BACK_MARGIN;
  const [path, labelX, labelY] = backwards
    ? loopPath(sourceX, sourceY, targetX, targetY)
    : getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      style={style}
      label={data?.label}
      labelX={labelX}
      labelY={labelY}
      labelBgPadding={[6, 3]}
      labelBgBorderRadius={6}
    />
  );
}

export const edgeTypes = { flow: FlowEdge };

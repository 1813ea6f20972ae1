// A split's outputs at the foot of its block: one cell per branch, "A · 50%" over the handle its
// wire leaves by, the handles spread evenly so that each is easy to grab. Three or more branches
// stack name over share, to leave the name a cell's width; a longer name is cut short (the whole
// of it in the cell's title and in the settings panel).
import { useEffect } from 'react';
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import { branchesOf, branchHandle } from './branches';

export function SplitOutputs({ id, config }: { id: string; config: Record<string, unknown> }) {
  const branches = branchesOf(config);
  // React Flow measures a block's handles when the block changes size: a branch added or
  // removed leaves the size as it was and moves the handles, so they are measured again.
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => updateNodeInternals(id), [id, branches.length, updateNodeInternals]);
  const at = (i: number) => `${((i + 0.5) * 100) / branches.length}%`;
  return (
    <div className={`split-outputs ${branches.length > 2 ? 'stacked' : ''}`}>
      {branches.map((b, i) => (
        <div key={i} className="split-output" title={`${b.name}: ${b.percent ?? 0}% of contacts`}>
          <span className="split-output-name">{b.name || '—'}</span>
          <span className="split-output-share">
            <span className="split-output-dot"> · </span>
            {b.percent ?? 0}%
          </span>
        </div>
      ))}
      {branches.map((b, i) => (
        <Handle
          key={i}
          type="source"
          id={branchHandle(i)}
          position={Position.Bottom}
          className="handle handle-branch"
          style={{ left: at(i) }}
          data-branch={b.name}
        />
      ))}
    </div>
  );
}

// A split's outputs at the foot of its block: one cell per branch, "A · 50%" over the handle its
// wire leaves by, the handles spread evenly so that each is easy to grab. Three or more branches
// stack name over share, to leave the name a cell's width; a longer name is cut short (the whole
// of it in the cell's title and in the settings panel).
import { Handle, Position } from '@xyflow/react';
import { branchesOf, branchHandle } from './branches';

// The block measures its handles again when a branch is added or removed (BlockNode).
export function SplitOutputs({ config }: { config: Record<string, unknown> }) {
  const branches = branchesOf(config);
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

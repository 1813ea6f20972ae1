// A block's named outputs at its foot, as a split's branches are: a cell over each handle, the
// handle's id the edge's branch (a wait until an event's Happened and Timed out, a webhook's
// Succeeded and Failed when it waits for the answer).
import { Handle, Position } from '@xyflow/react';

export interface Outcome {
  branch: string;
  name: string;
}

export function OutcomeOutputs({
  kind,
  outcomes,
  titles,
}: {
  kind: string; // class prefix of the cells: `${kind}-outputs`, `${kind}-${branch}`
  outcomes: readonly Outcome[];
  titles: Record<string, string>; // what each output's contacts are, by branch
}) {
  const at = (i: number) => `${((i + 0.5) * 100) / outcomes.length}%`;
  return (
    <div className={`split-outputs ${kind}-outputs`}>
      {outcomes.map((o) => (
        <div key={o.branch} className={`split-output ${kind}-${o.branch}`} title={titles[o.branch]}>
          {o.name}
        </div>
      ))}
      {outcomes.map((o, i) => (
        <Handle
          key={o.branch}
          type="source"
          id={o.branch}
          position={Position.Bottom}
          className={`handle handle-${o.branch}`}
          style={{ left: at(i) }}
        />
      ))}
    </div>
  );
}

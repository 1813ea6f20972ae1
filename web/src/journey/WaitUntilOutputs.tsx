// A wait until an event's two outputs at the foot of its block, as a split's branches are: a cell
// "Happened" over the handle the contacts to whom the event happened leave by, a cell "Timed out"
// over the one for those still waiting when the timeout ran out.
import { Handle, Position } from '@xyflow/react';
import { UNTIL_OUTCOMES } from './waitUntil';

const TITLES: Record<string, string> = {
  happened: 'Contacts to whom the event happened while they waited',
  timed_out: 'Contacts still waiting when the timeout ran out',
};

export function WaitUntilOutputs() {
  const at = (i: number) => `${((i + 0.5) * 100) / UNTIL_OUTCOMES.length}%`;
  return (
    <div className="split-outputs until-outputs">
      {UNTIL_OUTCOMES.map((o) => (
        <div key={o.branch} className={`split-output until-${o.branch}`} title={TITLES[o.branch]}>
          {o.name}
        </div>
      ))}
      {UNTIL_OUTCOMES.map((o, i) => (
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

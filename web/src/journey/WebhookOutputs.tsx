// A webhook that waits for the answer: its two outputs at the foot of its block, in the cells a
// wait until's take: "Succeeded" over the handle the contacts whose call got a 2xx answer leave by,
// "Failed" over the one for those whose call finally failed.
import { Handle, Position } from '@xyflow/react';
import { ANSWER_OUTCOMES } from './webhookAnswer';

const TITLES: Record<string, string> = {
  succeeded: 'Contacts whose call got a 2xx answer (retries included)',
  failed: 'Contacts whose call finally failed: every retry failed, or it was refused',
};

export function WebhookOutputs() {
  const at = (i: number) => `${((i + 0.5) * 100) / ANSWER_OUTCOMES.length}%`;
  return (
    <div className="split-outputs answer-outputs">
      {ANSWER_OUTCOMES.map((o) => (
        <div key={o.branch} className={`split-output answer-${o.branch}`} title={TITLES[o.branch]}>
          {o.name}
        </div>
      ))}
      {ANSWER_OUTCOMES.map((o, i) => (
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

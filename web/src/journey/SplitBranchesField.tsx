// A split's branches in the settings panel: a name and a share per row, 2 to 5 rows, and the
// total as it is typed. A branch's wire stays with it when it is renamed (wires follow a branch's
// place, not its name); removing a branch is the canvas's to do, as its wire goes too.
import { useId } from 'react';
import { AddRowButton, Button, RemoveRowButton } from '../ui';
import {
  addBranch,
  branchesOf,
  evenBranches,
  MAX_BRANCH_NAME,
  MAX_BRANCHES,
  MIN_BRANCHES,
  percentTotal,
  type SplitBranch,
} from './branches';

export function SplitBranchesField({
  config,
  onChange,
  onRemove,
}: {
  config: Record<string, unknown>;
  onChange: (branches: SplitBranch[]) => void;
  onRemove: (index: number) => void;
}) {
  const branches = branchesOf(config);
  const labelId = useId();
  const helpId = useId();
  const total = percentTotal(branches);
  const names = branches.map((b) => b.name);
  const repeated = (name: string) => names.indexOf(name) !== names.lastIndexOf(name);
  const edit = (index: number, patch: Partial<SplitBranch>) =>
    onChange(branches.map((b, i) => (i === index ? { ...b, ...patch } : b)));

  return (
    <div className="field" role="group" aria-labelledby={labelId} aria-describedby={helpId}>
      <span className="field-label" id={labelId}>
        Branches
      </span>
      <p className="field-help" id={helpId}>
        Contacts are shared out at random in these percents; a contact always takes the same branch,
        also when it enters the journey again.
      </p>
      {branches.map((b, i) => (
        <div className="split-row" key={i}>
          <input
            className="input input-sm"
            aria-label={`Branch ${i + 1} name`}
            maxLength={MAX_BRANCH_NAME}
            value={b.name}
            aria-invalid={!b.name || repeated(b.name)}
            onChange={(e) => edit(i, { name: e.target.value })}
          />
          <span className="percent-input">
            <input
              className="input input-sm"
              type="number"
              min={1}
              max={99}
              step={1}
              aria-label={`Branch ${i + 1} percent`}
              value={b.percent ?? ''}
              onChange={(e) => {
                const n = Math.floor(Number(e.target.value));
                edit(i, { percent: e.target.value !== '' && Number.isFinite(n) ? n : null });
              }}
            />
            <span aria-hidden="true">%</span>
          </span>
          {branches.length > MIN_BRANCHES && (
            <RemoveRowButton label={`Remove branch ${b.name || i + 1}`} onClick={() => onRemove(i)} />
          )}
        </div>
      ))}
      <p className={`split-total ${total === 100 ? '' : 'off'}`} role="status">
        <strong>Total: {total}%</strong>
        {total !== 100 && <span>: the percents must add up to 100%.</span>}
      </p>
      {branches.some((b) => b.name && repeated(b.name)) && (
        <p className="split-total off">Two branches have the same name: names must be unique.</p>
      )}
      <div className="split-actions">
        {branches.length < MAX_BRANCHES && (
          <AddRowButton onClick={() => onChange(addBranch(branches))}>Add branch</AddRowButton>
        )}
        <Button size="sm" variant="ghost" onClick={() => onChange(evenBranches(branches))}>
          Split evenly
        </Button>
      </div>
    </div>
  );
}

// A duration as a number and a unit: a Wait's "Wait for", a Wait until's "Give up after". The
// number is labelled by the field, the unit by "Unit".
import type { ReactNode } from 'react';
import { Field } from '../ui';
import { durationParts } from './duration';

export function DurationField({
  label,
  help,
  value,
  onChange,
}: {
  label: string;
  help?: ReactNode;
  value: unknown; // as the API writes it: "90m"
  onChange: (duration: string) => void;
}) {
  const { n, unit } = durationParts(value);
  return (
    <Field label={label} help={help}>
      {({ id, describedBy }) => (
        <div className="inline-fields">
          <input
            id={id}
            className="input"
            type="number"
            min={1}
            value={n}
            aria-describedby={describedBy}
            onChange={(e) => onChange(`${Math.max(0, Math.floor(Number(e.target.value) || 0))}${unit}`)}
          />
          <select
            className="input select"
            aria-label="Unit"
            value={unit}
            onChange={(e) => onChange(`${n}${e.target.value}`)}
          >
            <option value="m">minutes</option>
            <option value="h">hours</option>
            <option value="d">days</option>
            <option value="s">seconds</option>
          </select>
        </div>
      )}
    </Field>
  );
}

// A webhook's response mapping in the settings panel: a row per field of the JSON answer copied
// onto the contact (From: where it is in the answer; To: the contact property; Type: the JSON type
// the value must have), up to the server's 20. A row's problem shows once its field is filled in
// (an empty field is said at Save); the server names anything missed here.
import { useId } from 'react';
import { AddRowButton, RemoveRowButton } from '../ui';
import {
  fromProblem,
  MAPPING_TYPES,
  MAX_MAPPINGS,
  newMapping,
  toProblem,
  type MappingType,
  type ResponseMapping,
} from './webhookAnswer';

export function ResponseMappingField({
  rows,
  onChange,
}: {
  rows: ResponseMapping[];
  onChange: (rows: ResponseMapping[]) => void;
}) {
  const labelId = useId();
  const helpId = useId();
  const edit = (index: number, patch: Partial<ResponseMapping>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  return (
    <div className="field" role="group" aria-labelledby={labelId} aria-describedby={helpId}>
      <span className="field-label" id={labelId}>
        Response mapping
      </span>
      <p className="field-help" id={helpId}>
        {rows.length
          ? 'Each row copies a field of the JSON answer onto the contact. A field missing or of ' +
            'another type, or an answer that is not JSON, is counted on the block as not mapped; ' +
            'the contact still goes on by Succeeded.'
          : 'No mappings. Fields of a JSON answer can be copied onto the contact, for a later ' +
            'Condition to test: /lead/score to lead_score, then a Condition on contact.lead_score.'}
      </p>
      {rows.map((r, i) => {
        const fromBad = r.from ? fromProblem(r.from) : null;
        const toBad = r.to ? toProblem(rows, i) : null;
        const problem = fromBad ?? toBad;
        const problemId = `${helpId}-${i}`;
        return (
          <div className="mapping-row" key={i}>
            <input
              className="input input-sm mono"
              aria-label={`From ${i + 1}`}
              placeholder="/score or $.lead.score"
              spellCheck={false}
              value={r.from}
              aria-invalid={!!fromBad || undefined}
              aria-describedby={fromBad ? problemId : undefined}
              onChange={(e) => edit(i, { from: e.target.value })}
            />
            <div className="mapping-row-2">
              <span className="mapping-arrow" aria-hidden="true">
                →
              </span>
              <input
                className="input input-sm mono"
                aria-label={`To ${i + 1}`}
                placeholder="contact property"
                spellCheck={false}
                maxLength={64}
                value={r.to}
                aria-invalid={!!toBad || undefined}
                aria-describedby={toBad ? problemId : undefined}
                onChange={(e) => edit(i, { to: e.target.value })}
              />
              <select
                className="input input-sm select"
                aria-label={`Type ${i + 1}`}
                value={r.type ?? 'any'}
                onChange={(e) => edit(i, { type: e.target.value as MappingType })}
              >
                {MAPPING_TYPES.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.label}
                  </option>
                ))}
              </select>
              <RemoveRowButton
                label={`Remove mapping ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              />
            </div>
            {problem && (
              <p className="mapping-problem" id={problemId}>
                {problem.charAt(0).toUpperCase() + problem.slice(1)}.
              </p>
            )}
          </div>
        );
      })}
      {rows.length >= MAX_MAPPINGS ? (
        <p className="muted small">At most {MAX_MAPPINGS} mappings.</p>
      ) : (
        <AddRowButton onClick={() => onChange([...rows, newMapping()])}>Add mapping</AddRowButton>
      )}
    </div>
  );
}

// Rows of a contact's custom properties: a name and a value each, added and removed by the user.
// A value keeps the type it came with: a number stays a number, yes or no stays yes or no.
import { AddRowButton, FieldError, RemoveRowButton } from '../../ui';
import { newPropertyRow, rowErrorKey, type PropertyRow } from './properties';

function ValueInput({
  row,
  label,
  invalid,
  onChange,
}: {
  row: PropertyRow;
  label: string;
  invalid: boolean;
  onChange: (value: string) => void;
}) {
  if (row.kind === 'boolean') {
    return (
      <select
        className="input select"
        aria-label={label}
        value={row.value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    );
  }
  return (
    <input
      className={`input ${row.kind === 'structured' ? 'mono' : ''}`}
      aria-label={label}
      type={row.kind === 'number' ? 'number' : 'text'}
      step={row.kind === 'number' ? 'any' : undefined}
      value={row.value}
      data-error-key={rowErrorKey(row, 'value')}
      aria-invalid={invalid}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function PropertiesEditor({
  rows,
  errors,
  onChange,
}: {
  rows: PropertyRow[];
  errors: Record<string, string>;
  onChange: (rows: PropertyRow[]) => void;
}) {
  const set = (key: number, patch: Partial<PropertyRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="fieldset properties">
      <legend className="field-label">Custom properties</legend>
      {errors.properties && <FieldError message={errors.properties} />}
      {rows.length === 0 && <p className="muted small">No custom properties.</p>}
      <div className="rows">
        {rows.map((row, i) => {
          const nameError = errors[rowErrorKey(row, 'name')];
          const valueError = errors[rowErrorKey(row, 'value')];
          return (
            <div className="row" key={row.key}>
              <div className="row-cell">
                <input
                  className="input mono"
                  aria-label={`Property ${i + 1} name`}
                  placeholder="Name"
                  value={row.name}
                  data-error-key={rowErrorKey(row, 'name')}
                  aria-invalid={!!nameError}
                  onChange={(e) => set(row.key, { name: e.target.value })}
                />
                {nameError && <FieldError message={nameError} />}
              </div>
              <div className="row-cell grow">
                <ValueInput
                  row={row}
                  label={`Property ${i + 1} value`}
                  invalid={!!valueError}
                  onChange={(value) => set(row.key, { value })}
                />
                {valueError && <FieldError message={valueError} />}
              </div>
              <RemoveRowButton
                label={`Remove property ${i + 1}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              />
            </div>
          );
        })}
      </div>
      <AddRowButton onClick={() => onChange([...rows, newPropertyRow()])}>Add property</AddRowButton>
    </fieldset>
  );
}

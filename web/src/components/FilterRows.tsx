// Rows of filters (field, operator, value): a journey trigger's "Only if", a contact-field
// condition, and a webhook's subscription filters. Fields are typed, with suggestions, since any
// key of an event's details or a contact may be tested. With `errors`, a row's error shows
// beside the part at fault, keyed "<prefix>.<row key>.field|op|value" as the webhook form keeps them.
import { useId } from 'react';
import type { Filter } from '../api';
import { FILTER_OPS } from '../catalog';
import { AddRowButton, FieldError, RemoveRowButton } from '../ui';

// `key` keeps a row's identity, and its errors, when a row above it is removed; rows without one
// (a journey's) are told apart by position.
export interface FilterRow extends Filter {
  key?: number;
}

type Part = 'field' | 'op' | 'value';

// Numbers compare as numbers on the server only when both sides read as one.
function parseValue(op: string, text: string): unknown {
  if ((op === 'gt' || op === 'lt') && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

// A value as the value box shows it: text as it is, anything else (a number, true, a list) as JSON.
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function FilterRows<T extends FilterRow>({
  filters,
  onChange,
  fields,
  label,
  newFilter,
  fieldPlaceholder = 'event_details.campaign_name',
  errors = {},
  errorPrefix = 'filter',
  onClearError,
  max,
}: {
  filters: T[];
  onChange: (filters: T[]) => void;
  fields: string[]; // suggested field paths
  label: string;
  newFilter?: () => T; // by default the first suggested field, "is", no value yet
  fieldPlaceholder?: string;
  errors?: Record<string, string>;
  errorPrefix?: string;
  onClearError?: (...keys: string[]) => void;
  max?: number; // the server's limit: no Add beyond it
}) {
  const baseId = useId();
  const listId = `${baseId}-fields`;
  const added = newFilter ?? (() => ({ field: fields[0] ?? '', op: 'eq', value: '' }) as T);
  const set = (i: number, next: T) => onChange(filters.map((x, j) => (j === i ? next : x)));

  return (
    <div className="filters" role="group" aria-label={label}>
      <datalist id={listId}>
        {fields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {filters.map((f, i) => {
        const keyOf = (part: Part) => (f.key === undefined ? '' : `${errorPrefix}.${f.key}.${part}`);
        const errorOf = (part: Part) => (f.key === undefined ? undefined : errors[keyOf(part)]);
        const errorId = (part: Part) => `${baseId}-${i}-${part}-error`;
        const invalid = (part: Part) => ({
          'data-error-key': keyOf(part) || undefined,
          'aria-invalid': !!errorOf(part) || undefined,
          'aria-describedby': errorOf(part) ? errorId(part) : undefined,
        });
        const clear = (...parts: Part[]) => f.key !== undefined && onClearError?.(...parts.map(keyOf));
        return (
          <div className="filter-row" key={f.key ?? i}>
            <div className="filter-cell">
              <input
                className="input input-sm mono"
                aria-label={`Filter ${i + 1} field`}
                list={listId}
                placeholder={fieldPlaceholder}
                spellCheck={false}
                value={f.field}
                {...invalid('field')}
                onChange={(e) => {
                  set(i, { ...f, field: e.target.value });
                  clear('field');
                }}
              />
              {errorOf('field') && <FieldError id={errorId('field')} message={errorOf('field')!} />}
            </div>
            <div className="filter-cell">
              <div className="filter-row-2">
                <select
                  className="input input-sm select"
                  aria-label={`Filter ${i + 1} operator`}
                  value={f.op}
                  {...invalid('op')}
                  onChange={(e) => {
                    const op = e.target.value;
                    const next: T = { ...f, op, value: parseValue(op, valueText(f.value)) };
                    if (op === 'exists') delete next.value;
                    set(i, next);
                    clear('op', 'value');
                  }}
                >
                  {FILTER_OPS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
                {f.op !== 'exists' && (
                  <input
                    className="input input-sm"
                    aria-label={`Filter ${i + 1} value`}
                    placeholder={f.op === 'gt' || f.op === 'lt' ? 'Number' : 'Value'}
                    value={valueText(f.value)}
                    {...invalid('value')}
                    onChange={(e) => {
                      set(i, { ...f, value: parseValue(f.op, e.target.value) });
                      clear('value');
                    }}
                  />
                )}
                <RemoveRowButton
                  label={`Remove filter ${i + 1}`}
                  onClick={() => {
                    clear('field', 'op', 'value');
                    onChange(filters.filter((_, j) => j !== i));
                  }}
                />
              </div>
              {errorOf('op') && <FieldError id={errorId('op')} message={errorOf('op')!} />}
              {errorOf('value') && <FieldError id={errorId('value')} message={errorOf('value')!} />}
            </div>
          </div>
        );
      })}
      {max !== undefined && filters.length >= max ? (
        <p className="muted small">At most {max} filters.</p>
      ) : (
        <AddRowButton onClick={() => onChange([...filters, added()])}>Add filter</AddRowButton>
      )}
    </div>
  );
}
